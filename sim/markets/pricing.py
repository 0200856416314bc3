"""Developers' pricing: prices follow sell-through (share of the available homes sold in a month).

change = clip(speed × (sell-through − target), ±max change) a month. The same rule moves each project's
asking price and each district's market price (the price newly permitted projects start from, and the basis
of land, resale and compensation values). A district with nothing to sell but buyers turned away counts as
fully sold through. A project never asks less than its full cost per m².
"""
from __future__ import annotations

import numpy as np

from ..state.city import CityState


def price_change(sell_through: np.ndarray | float, target: float, speed: float, max_change: float) -> np.ndarray:
    """Relative price change for a month's sell-through (share 0–1)."""
    return np.clip(speed * (np.asarray(sell_through, dtype=float) - target), -max_change, max_change)


def district_sell_through(sold_units: np.ndarray, available_units: np.ndarray, unmet_buyers: np.ndarray,
                          target: float) -> np.ndarray:
    """Sold / available per district; 1 where nothing was available and buyers went without, else target."""
    with np.errstate(divide="ignore", invalid="ignore"):
        st = sold_units / available_units
    return np.where(available_units > 0, st, np.where(unmet_buyers > 0, 1.0, target))


def adjust_prices(state: CityState) -> None:
    """End of month: every selling project's asking price and each district's market price move with the
    month's sell-through; the month's sales join the trailing sales and price histories."""
    dp = state.params.developers
    sold = state.flows.sales_area
    state.sales_history = np.vstack([state.sales_history[1:], sold])
    n = state.n_districts
    selling = [pr for pr in state.projects if pr.available_at_month_start > 0]
    district = np.array([pr.district for pr in selling], dtype=np.int64)
    offered = np.array([pr.available_at_month_start for pr in selling], dtype=float)
    sold_now = np.array([pr.sold_this_month for pr in selling], dtype=float)
    available = np.bincount(district, weights=offered, minlength=n)
    sold_units = np.bincount(district, weights=sold_now, minlength=n)
    change = price_change(sold_now / np.maximum(offered, 1.0), dp.target_sell_through, dp.price_adjust_speed,
                          dp.max_price_change)
    for pr, c in zip(selling, change.tolist(), strict=True):
        pr.price = max(pr.price * (1 + c), pr.cost_per_unit(dp.build_cost) / pr.unit_area)
    st = district_sell_through(sold_units, available, state.unmet_buyers, dp.target_sell_through)
    state.new_price = state.new_price * (1 + price_change(st, dp.target_sell_through, dp.price_adjust_speed,
                                                          dp.max_price_change))
    state.price_history = np.vstack([state.price_history[1:], state.new_price])
