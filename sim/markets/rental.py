"""Rental market: market rent per district moves with the vacancy of lettable dwellings.

rent ← rent × (1 + clip(speed × (reference vacancy − vacancy), ±max change)) monthly; the reference is the
district's rental vacancy in 2016-01 (rents are taken to be in balance then; the plans give no rent data).
Households that need a rental take a vacant lettable dwelling (``agents.demography.take_vacant_dwellings``).
"""
from __future__ import annotations

import numpy as np


def rental_vacancy(vacant_lettable: np.ndarray, rented: np.ndarray) -> np.ndarray:
    """Share of lettable dwellings standing empty, per district."""
    total = vacant_lettable + rented
    return np.where(total > 0, vacant_lettable / np.maximum(total, 1), 0.0)


def adjust_rent(rent: np.ndarray, vacancy: np.ndarray, reference: np.ndarray, speed: float,
                max_change: float) -> np.ndarray:
    change = np.clip(speed * (reference - vacancy), -max_change, max_change)
    return rent * (1 + change)
