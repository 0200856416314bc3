"""Paired comparison of policy variants on common random numbers: differences, charts, the HTML report."""
