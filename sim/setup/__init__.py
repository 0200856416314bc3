"""The city in 2016-01, built from its profile and scenario: households and their dwellings
(``population``), developers with their cash, debt, inventory, pipeline and legacy problem projects
(``developers``)."""
from __future__ import annotations

import math

import mesa
import numpy as np

from ..config.loader import Scenario
from ..state.city import CityState
from .developers import build_developers
from .population import build_population

__all__ = ["MIN_ROWS_PER_DISTRICT", "build_city", "check_scale"]

# Fewer household rows than this in a district make its figures noise, and a very large scale leaves districts
# empty; a scale that would is refused (the model's own floor, not a plan figure).
MIN_ROWS_PER_DISTRICT = 30


def check_scale(scenario: Scenario, scale: int) -> None:
    """Refuse a scale that leaves a district fewer than ``MIN_ROWS_PER_DISTRICT`` household rows."""
    if scale < 1:
        raise ValueError(f"scale must be a positive integer, got {scale}")
    households = scenario.profile.population.urban_population / scenario.profile.population.household_size
    smallest = min(scenario.districts, key=lambda d: d.population_share)
    rows = households * smallest.population_share / scale
    if rows < MIN_ROWS_PER_DISTRICT:
        largest = math.floor(households * smallest.population_share / MIN_ROWS_PER_DISTRICT)
        raise ValueError(f"scale {scale} leaves {rows:.0f} household rows in {scenario.city}'s district "
                         f"{smallest.name} (fewer than {MIN_ROWS_PER_DISTRICT}); use a scale of at most {largest}")


def build_city(model: mesa.Model, scenario: Scenario, scale: int, rng: np.random.Generator) -> CityState:
    """The city's state at 2016-01 at 1/``scale``, its developers registered as agents of ``model``."""
    check_scale(scenario, scale)
    households, dwellings = build_population(scenario.profile, scenario.districts, scale, rng)
    state = CityState(scenario, scale, households, dwellings)
    build_developers(model, state, rng)
    return state
