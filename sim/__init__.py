"""Housing-market ABM of a Chinese city under its 14th Five-Year housing plan. Start at ``sim.api``."""
