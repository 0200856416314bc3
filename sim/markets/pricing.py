"""Developers' pricing: from their costs at launch, then with the market's sell-through.

- **Launch** (at the presale permit: the government's step passes the newly permitted projects to ``launch``):
  a project asks the district's market price or its cost-plus price, whichever is higher (``launch_price``).
  The cost-plus price covers the land it bought at auction, the build cost and the interest carried, with the
  margin the developer required when it bid (``[developers] required_margin``): land bought dear in a
  scarce-land auction launches homes dear.
- **Every month**: change = clip(speed × (sell-through − target), ±max change) moves the asking price of every
  selling project in a district with the district's sell-through: the homes sold over the last
  ``sell_through_months`` / the homes on offer at those months' starts. A project's own sell-through, or one
  month's, is a ratio of small counts at coarse scales, and since sell-through cannot fall below 0 while its
  upside is clipped, noise alone would lower prices (README "Scale"). A project never asks less than its full
  cost per m² (land and construction).
- **The region's market** (``regional_price_weight`` × the year's ``regional_price_growth``, spread evenly over
  its months): developers price against comparable projects and their regional portfolio, so a share of the
  region's price trend (the NBS 70-city index of the city's neighbours) joins every month's change, whatever the
  local sell-through. Anshan's prices rose 24 % in 2016–2019 with its neighbours' (丹东, 锦州) while its own
  destocking cycle stayed at 22–32 months (002 四(一)(二)). At weight 0 prices follow the local market alone.
- **The district's market price** (the price the next projects launch at, and the basis of land reserves,
  resale and compensation values) is the unit-weighted mean asking price of the homes on offer in the district,
  where there are any: launches above the market lift it, costs hold it up in a glut. A district with nothing
  on offer moves its price by the district's sell-through rule (1, fully sold through, where buyers went
  without; the target otherwise, so the price holds).
"""
from __future__ import annotations

import numpy as np

from ..state.calendar import MONTHS_PER_YEAR
from ..state.city import CityState
from ..state.projects import Project
from .land import carry_share


def price_change(sell_through: np.ndarray | float, target: float, speed: float, max_change: float) -> np.ndarray:
    """Relative price change for a month's sell-through (share 0–1)."""
    return np.clip(speed * (np.asarray(sell_through, dtype=float) - target), -max_change, max_change)


def regional_drift(growth: float, weight: float) -> float:
    """Relative price change a month from the region's market: ``weight`` × the month's share of the year's
    regional growth (1/year), compounded evenly over twelve months."""
    return weight * ((1.0 + growth) ** (1.0 / MONTHS_PER_YEAR) - 1.0)


def district_sell_through(sold_units: np.ndarray, available_units: np.ndarray, unmet_buyers: np.ndarray,
                          target: float) -> np.ndarray:
    """Sold / available per district; 1 where nothing was available and buyers went without, else target."""
    with np.errstate(divide="ignore", invalid="ignore"):
        st = sold_units / available_units
    return np.where(available_units > 0, st, np.where(unmet_buyers > 0, 1.0, target))


def window_sell_through(state: CityState, sold_units: np.ndarray, offered_units: np.ndarray) -> np.ndarray:
    """Add the month's homes sold and homes on offer at its start (per district) to the pricing window and
    return each district's sell-through over the window (``[developers] sell_through_months``)."""
    state.units_sold_history = np.vstack([state.units_sold_history[1:], sold_units])
    state.units_offered_history = np.vstack([state.units_offered_history[1:], offered_units])
    return district_sell_through(state.units_sold_history.sum(axis=0), state.units_offered_history.sum(axis=0),
                                 state.unmet_buyers, state.params.developers.target_sell_through)


def launch(state: CityState, projects: list[Project]) -> None:
    """Projects going on sale this month (just permitted) ask their launch price."""
    for pr in projects:
        pr.price = launch_price(state, pr)


def launch_price(state: CityState, pr: Project) -> float:
    """元/㎡ a project asks when it goes on sale: max(the district's market price, cost-plus price), the
    cost-plus price = (land + build cost) per m² × (1 + carry) / (1 − required margin)."""
    p = state.params.developers
    carry = carry_share(p.debt_rate, p.start_lag_months + p.construction_months)
    cost_plus = pr.cost_per_unit(p.build_cost) / pr.unit_area * (1 + carry) / (1 - p.required_margin)
    return max(float(state.new_price[pr.district]), cost_plus)


def adjust_prices(state: CityState) -> None:
    """End of month: every selling project's asking price moves with its district's sell-through over the
    pricing window; each district's market price becomes the mean asking price of the homes on offer (or moves
    with that sell-through where none are); the month's sales join the trailing sales and price histories."""
    dp = state.params.developers
    sold = state.flows.sales_area
    state.sales_history = np.vstack([state.sales_history[1:], sold])
    n = state.n_districts
    selling = [pr for pr in state.projects if pr.available_at_month_start > 0]
    district = np.array([pr.district for pr in selling], dtype=np.int64)
    offered = np.array([pr.available_at_month_start for pr in selling], dtype=float)
    sold_now = np.array([pr.sold_this_month for pr in selling], dtype=float)
    st = window_sell_through(state, np.bincount(district, weights=sold_now, minlength=n),
                             np.bincount(district, weights=offered, minlength=n))
    change = (price_change(st, dp.target_sell_through, dp.price_adjust_speed, dp.max_price_change)
              + regional_drift(dp.regional_price_growth[state.year_index], dp.regional_price_weight))
    for pr in selling:
        pr.price = max(pr.price * (1 + change[pr.district]), pr.cost_per_unit(dp.build_cost) / pr.unit_area)
    moved = state.new_price * (1 + change)
    on_offer = [pr for pr in state.projects if pr.saleable_units > 0 and state.may_sell(pr)]
    where = np.array([pr.district for pr in on_offer], dtype=np.int64)
    units = np.bincount(where, weights=np.array([pr.saleable_units for pr in on_offer], dtype=float), minlength=n)
    value = np.bincount(where, weights=np.array([pr.saleable_units * pr.price for pr in on_offer], dtype=float),
                        minlength=n)
    with np.errstate(divide="ignore", invalid="ignore"):
        state.new_price = np.where(units > 0, value / units, moved)
    state.price_history = np.vstack([state.price_history[1:], state.new_price])
