"""Scenario files: the schema of every key (type, unit, range, description) and the loader/validator."""
