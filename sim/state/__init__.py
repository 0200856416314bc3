"""The city's state, below every process: households, dwellings, projects, prices, the calendar, records."""
