"""The plans' rules, one per module, each with its own ``[section]`` of the scenario (see docs/model.md)."""
