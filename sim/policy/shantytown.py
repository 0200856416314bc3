"""Shantytown redevelopment (棚户区改造) resettlement, seed 000 一(一)5 and 三(一)2, seed 002 四(四).

Each year the plan's count of households is resettled, spread evenly over the months (the model carries the
fractions, so the yearly totals are exact). Households are owners of pre-2000 dwellings; their dwelling is
demolished and they are resettled in one of three ways:
- cash compensation (纯货币化安置): compensation they must spend on a home, new or resale;
- government purchase or bridging (政府购买或政府搭桥安置): compensation usable only for a new commercial home;
- in-kind resettlement housing (回迁房): a new dwelling of the city's new-home size, built outside the market.
Compensation = compensation_ratio × the district's new-home price × the demolished floor area.

Resettlement homes are built by development companies on the cleared site, so their construction (build cost
× area, 元; no land purchase) counts in real-estate development investment, booked in the month the home is
handed over (the model has no construction period for them).
"""
from __future__ import annotations

import numpy as np

from ..state import dwellings as dw
from ..state import households as hh
from ..state.calendar import MONTHS_PER_YEAR
from ..state.city import CityState
from ..state.housing import demolish

OLD_STOCK_BEFORE = 2000


def step(state: CityState, rng: np.random.Generator) -> None:
    """Resettle this month's share of the year's households (run by the government in its turn)."""
    p, h, stock = state.params.shantytown, state.households, state.dwellings
    y = state.year_index
    k = state.calendar.scheduled("shantytown", p.households[y] / MONTHS_PER_YEAR / state.scale)
    if k == 0:
        return
    d = h.dwelling
    candidates = np.flatnonzero((h.tenure == hh.OWNER) & (d >= 0) & (h.must_buy == hh.MUST_BUY_NONE)
                                & (h.pending_project < 0))
    candidates = candidates[stock.build_year[d[candidates]] < OLD_STOCK_BEFORE]
    chosen = rng.choice(candidates, size=min(k, len(candidates)), replace=False)
    old = h.dwelling[chosen]
    area = stock.area[old].astype(float)
    demolish(stock, old)
    h.column("n_owned")[chosen] -= 1
    draw = rng.random(len(chosen))
    cash = draw < p.cash_share[y]
    purchase = ~cash & (draw < p.cash_share[y] + p.purchase_share[y])
    resettle = ~cash & ~purchase
    comp = p.compensation_ratio * state.new_price[h.district[chosen]] * area
    compensated = chosen[cash | purchase]
    h.column("voucher")[compensated] += comp[cash | purchase]
    h.column("must_buy")[chosen[cash]] = hh.MUST_BUY_ANY
    h.column("must_buy")[chosen[purchase]] = hh.MUST_BUY_NEW
    h.column("dwelling")[compensated] = -1
    h.column("tenure")[compensated] = hh.NO_DWELLING
    r = chosen[resettle]
    new = stock.append(len(r), district=h.district[r], area=state.unit_size, kind=dw.COMMERCIAL,
                       status=dw.OWNER_OCCUPIED, owner=h.hid[r], build_year=state.year, project=-1)
    h.column("dwelling")[r] = new
    h.column("n_owned")[r] += 1
    state.flows.investment += np.bincount(
        h.district[r], weights=np.full(len(r), state.params.developers.build_cost * state.unit_size),
        minlength=state.n_districts)
    state.city_flows.shantytown_cash = int(cash.sum())
    state.city_flows.shantytown_purchase = int(purchase.sum())
    state.city_flows.shantytown_resettled = int(resettle.sum())
