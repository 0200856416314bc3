"""Destocking cycle (去化周期), DESIGN §3.4 and seed 000 三(一)3.

cycle (months) = unsold commercial housing area that may be sold (permitted for presale or completed)
                 ÷ average monthly sales area over the trailing window (12 months by default).
"""
from __future__ import annotations

import numpy as np


def destocking_cycle(inventory_area: np.ndarray, trailing_sales: np.ndarray) -> np.ndarray:
    """Months of inventory per district.

    inventory_area: unsold saleable area per district (any area unit).
    trailing_sales: monthly sales area, shape (months, districts), same unit; its mean is the denominator.
    A district with stock but no sales has an infinite cycle; one with neither has a cycle of 0.
    """
    inventory = np.asarray(inventory_area, dtype=float)
    mean_sales = np.asarray(trailing_sales, dtype=float).mean(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        cycle = np.where(mean_sales > 0, inventory / np.where(mean_sales > 0, mean_sales, 1.0), np.inf)
    return np.where((inventory <= 0) & (mean_sales <= 0), 0.0, cycle)
