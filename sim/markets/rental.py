"""Rental market: market rent per district, and the rent each household pays.

rent ← rent × (1 + clip(speed × (reference vacancy − vacancy), ±max change)) monthly; the reference is the
district's rental vacancy in 2016-01 (rents are taken to be in balance then; the plans give no rent data).
Households that need a rental take a vacant lettable dwelling (``state.housing.take_vacant_rentals``): these
are new households and in-migrants, the 新市民、青年人 whom guaranteed rental housing is for (000 三(二)2).

What a tenant pays a month (元) is the district's market rent (元/㎡/month) × the dwelling's area, times:
- 1 in a commercial dwelling let on the market;
- ``[rental_support] guaranteed_rent_share`` in guaranteed rental housing (保障性租赁住房: '租金原则上不高于同地段
  同品质市场租赁住房租金水平的90%', 000 三(二)2);
- 1 − ``[rental_support] subsidy_rent_share`` in public rental housing (公租房): the plan keeps the subsidy's
  share of market rent and the public-rent discount equal ('租赁补贴标准占市场平均租金比例与公租房租金优惠比例
  基本保持一致', 000 三(二)1).
A rental subsidy (``policy.rental_support``) is paid towards that rent.

Rental supply answers demand (``let_seasonal_homes``): where the rental market is tighter than in 2016-01, owners
of homes held empty for seasonal use (non-resident buyers' homes, 000 一(一)4) let them. Each such home goes on
the rental market in a month with probability ``[rental_market] letting_rate`` × the district's shortfall of
rental vacancy below its 2016 level (1 − vacancy / reference, at least 0); once let it stays on the market.
Investors buying to let are in ``agents.demand`` (second-home purchases follow the rental yield).
"""
from __future__ import annotations

import numpy as np

from ..state import dwellings as dw
from ..state import households as hh
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


def letting_probability(vacancy: np.ndarray, reference: np.ndarray, letting_rate: float) -> np.ndarray:
    """Per district, the monthly chance that a home held empty for seasonal use is let: ``letting_rate`` × the
    shortfall of rental vacancy below its reference (0 where the market is no tighter than the reference)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        shortfall = np.where(reference > 0, 1.0 - np.asarray(vacancy) / reference, 0.0)
    return letting_rate * np.clip(shortfall, 0.0, 1.0)


def let_seasonal_homes(state: CityState, rng: np.random.Generator) -> None:
    """Start of month: owners of seasonal homes standing empty put some on the rental market where rentals are
    scarce (the tightness of last month's end). The home stops being a seasonal home (``non_resident`` off)."""
    stock = state.dwellings
    chance = letting_probability(state.rental_vacancy(), state.reference_rental_vacancy,
                                 state.params.rental_market.letting_rate)
    if not chance.any():
        return
    seasonal = np.flatnonzero(stock.non_resident & (stock.status == dw.VACANT))
    let_now = seasonal[rng.random(len(seasonal)) < chance[stock.district[seasonal]]]
    stock.non_resident[let_now] = False
    state.flows.seasonal_homes_let += np.bincount(stock.district[let_now], minlength=state.n_districts)


def rent_due(state: CityState, rows: np.ndarray | None = None) -> np.ndarray:
    """Rent (元/month) each household (or each of ``rows``) owes this month before any subsidy; 0 for owners and
    the unhoused."""
    h, stock, rs = state.households, state.dwellings, state.params.rental_support
    among = slice(None) if rows is None else rows
    tenure, dwelling = h.tenure[among], h.dwelling[among]
    out = np.zeros(len(tenure))
    tenant = np.flatnonzero(((tenure == hh.RENTER) | (tenure == hh.PUBLIC_TENANT)) & (dwelling >= 0))
    home = dwelling[tenant]
    kind = stock.kind[home]
    share = np.select([kind == dw.GUARANTEED_RENTAL, kind == dw.PUBLIC_RENTAL],
                      [rs.guaranteed_rent_share, 1.0 - rs.subsidy_rent_share], 1.0)
    out[tenant] = state.rent[h.district[among][tenant]] * stock.area[home] * share
    return out
