"""Destocking cycle (去化周期), DESIGN §3.4 and seed 000 三(一)3 — the one formula, used by the land-supply and
presale rules and by the ``destocking_cycle`` indicator.

cycle (months) = unsold commercial housing area that may be sold (permitted for presale or completed)
                 ÷ average monthly sales area over the trailing window (``[simulation] trailing_sales_months``).
"""
from __future__ import annotations

import numpy as np

from ..state.city import CityState


def destocking_cycle(inventory_area: np.ndarray, mean_monthly_sales: np.ndarray) -> np.ndarray:
    """Months of inventory per district (or per row).

    inventory_area: unsold saleable area (any area unit); mean_monthly_sales: mean monthly sales area over the
    trailing window, same unit. A district with stock but no sales has an infinite cycle; one with neither has
    a cycle of 0.
    """
    inventory = np.asarray(inventory_area, dtype=float)
    mean_sales = np.asarray(mean_monthly_sales, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        cycle = np.where(mean_sales > 0, inventory / np.where(mean_sales > 0, mean_sales, 1.0), np.inf)
    return np.where((inventory <= 0) & (mean_sales <= 0), 0.0, cycle)


def cycles(state: CityState) -> np.ndarray:
    """This month's destocking cycle (months) of each district."""
    return destocking_cycle(state.inventory_area_by_district(), state.trailing_sales_area())
