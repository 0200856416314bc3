"""The city in 2016-01, built from its profile and scenario: households and their dwellings
(``population``), developers with their cash, debt, inventory, pipeline and legacy problem projects
(``developers``)."""
from __future__ import annotations

import mesa
import numpy as np

from ..config.loader import Scenario
from ..state.city import CityState
from .developers import build_developers
from .population import build_population

__all__ = ["build_city"]


def build_city(model: mesa.Model, scenario: Scenario, scale: int, rng: np.random.Generator) -> CityState:
    """The city's state at 2016-01 at 1/``scale``, its developers registered as agents of ``model``."""
    if scale < 1:
        raise ValueError(f"scale must be a positive integer, got {scale}")
    households, dwellings = build_population(scenario.profile, scenario.districts, scale, rng)
    state = CityState(scenario, scale, households, dwellings)
    build_developers(model, state, rng)
    return state
