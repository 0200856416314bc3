"""Who acts: households' finances, demography and purchase decisions; developers and the government (mesa.Agent)."""
