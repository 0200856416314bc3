"""Rental market: market rent per district moves with the vacancy of lettable dwellings.

rent ← rent × (1 + clip(speed × (reference vacancy − vacancy), ±max change)) monthly; the reference is the
district's rental vacancy in 2016-01 (rents are taken to be in balance then; the plans give no rent data).
Households that need a rental take a vacant lettable dwelling (``state.housing.take_vacant_rentals``).
"""
from __future__ import annotations

import numpy as np

from ..state.city import CityState


def adjust_rent(rent: np.ndarray, vacancy: np.ndarray, reference: np.ndarray, speed: float,
                max_change: float) -> np.ndarray:
    change = np.clip(speed * (reference - vacancy), -max_change, max_change)
    return rent * (1 + change)


def adjust_rents(state: CityState) -> None:
    """End of month: each district's market rent moves with its rental vacancy."""
    rm = state.params.rental_market
    state.rent = adjust_rent(state.rent, state.rental_vacancy(), state.reference_rental_vacancy,
                             rm.rent_adjust_speed, rm.max_rent_change)
