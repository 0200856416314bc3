"""Developers' pricing: prices follow sell-through (share of the available homes sold in a month).

change = clip(speed × (sell-through − target), ±max change) a month. The same rule moves each project's
asking price and each district's market price (the price newly permitted projects start from, and the basis
of land, resale and compensation values). A district with nothing to sell but buyers turned away counts as
fully sold through. A project never asks less than its full cost per m².
"""
from __future__ import annotations

import numpy as np


def price_change(sell_through: np.ndarray | float, target: float, speed: float, max_change: float) -> np.ndarray:
    """Relative price change for a month's sell-through (share 0–1)."""
    return np.clip(speed * (np.asarray(sell_through, dtype=float) - target), -max_change, max_change)


def district_sell_through(sold_units: np.ndarray, available_units: np.ndarray, unmet_buyers: np.ndarray,
                          target: float) -> np.ndarray:
    """Sold / available per district; 1 where nothing was available and buyers went without, else target."""
    with np.errstate(divide="ignore", invalid="ignore"):
        st = sold_units / available_units
    return np.where(available_units > 0, st, np.where(unmet_buyers > 0, 1.0, target))
