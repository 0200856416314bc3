"""Who wants to buy this month and how much each can pay (DESIGN §3.3 step 4).

- first home: renters and public tenants owning nothing;
- upgrade: owner-occupiers with less than ``upgrade_below_area_per_person`` m² per person;
- second home: owners above an income quantile;
- shantytown households holding compensation buy with certainty;
- non-resident buyers (市外购房者, seed 000 一(一)4) arrive from outside at a yearly rate and buy new homes
  (the plan's buyer shares are of new commercial housing).
Each household draws its own decision; hazards scale with (reference / its district's price-to-income)^
elasticity, so demand falls where homes become dearer relative to incomes. A buyer can pay at most
min(cash + max loan, cash / down payment) (see ``policy.credit``).
"""
from __future__ import annotations

import numpy as np

from ..markets.buyers import Buyers
from ..policy import credit
from ..state import households as hh
from ..state.calendar import MONTHS_PER_YEAR
from ..state.city import CityState
from ..state.random_streams import RandomStreams

UNLIMITED = np.inf


def demand_multiplier(state: CityState) -> np.ndarray:
    """Per district: affordability × expectations.

    Affordability is (reference price-to-income / the district's price-to-income)^elasticity: dearer homes
    deter buyers. Expectations are extrapolative: buyers hurry when prices have been rising (and wait when they
    have been falling), 1 + weight × the district's price change over the last ``price_memory_months``, never
    below 0."""
    d = state.params.demand
    with np.errstate(divide="ignore"):     # a city everyone has left: infinite price-to-income, no demand
        pti = state.new_price * state.unit_size / state.mean_income()
    growth = state.new_price / state.price_history[0] - 1.0
    return (d.reference_price_to_income / pti) ** d.price_elasticity * np.maximum(
        1.0 + d.price_expectation_weight * growth, 0.0)


def draw_buyers(state: CityState, streams: RandomStreams) -> Buyers:
    """This month's buyers: households deciding to buy, and non-resident buyers arriving from outside."""
    h, p = state.households, state.params.demand
    y = state.year_index
    mult = demand_multiplier(state)[h.district]
    n = h.n
    free = h.resident & (h.pending_project < 0) & (h.must_buy == hh.MUST_BUY_NONE)
    renting = free & ((h.tenure == hh.RENTER) | (h.tenure == hh.PUBLIC_TENANT)) & (h.n_owned == 0)
    owner = free & (h.tenure == hh.OWNER)
    area_pp = np.zeros(n)
    lives = h.dwelling >= 0
    area_pp[lives] = state.dwellings.area[h.dwelling[lives]] / np.maximum(h.size[lives], 1)
    upgrader = owner & (area_pp < p.upgrade_below_area_per_person)
    incomes = h.income[h.resident]
    rich = owner & (h.income >= (np.quantile(incomes, p.second_home_income_quantile) if incomes.size else np.inf))
    decide = streams.purchase_decisions
    u = decide.random(n)
    motive = np.full(n, -1, dtype=np.int8)
    motive[renting & (u < p.first_home_hazard * mult)] = hh.FIRST_HOME
    motive[upgrader & (u < p.upgrade_hazard * mult)] = hh.UPGRADE
    second_draw = rich & (motive < 0) & (decide.random(n) < p.second_home_hazard * mult)
    motive[second_draw] = hh.SECOND_HOME
    motive[h.must_buy != hh.MUST_BUY_NONE] = hh.RESETTLED
    rows = np.flatnonzero(motive >= 0)
    motive = motive[rows]

    terms = credit.loan_terms(state, rows, streams.loan_choice)
    new_only = h.must_buy[rows] == hh.MUST_BUY_NEW
    wants_new = new_only | (streams.segment_choice.random(n)[rows] < p.new_home_share)
    buyers = Buyers(row=rows, district=h.district[rows].astype(np.int64), budget=terms.budget,
                    loan_limit=terms.loan_limit, down_payment=terms.down_payment, rate=terms.rate,
                    provident=terms.provident, motive=motive, new_only=new_only, wants_new=wants_new)

    # non-resident buyers: cash-rich households from outside, spread over districts by their buyer shares
    arrive = streams.non_resident_buyers
    arrivals = arrive.poisson(p.non_resident_buyers[y] / MONTHS_PER_YEAR / state.scale * state.non_resident_weights
                              * demand_multiplier(state))
    k = int(arrivals.sum())
    if k:
        district = np.repeat(np.arange(state.n_districts), arrivals)
        z = np.zeros(k)
        outsiders = Buyers(row=np.full(k, -1), district=district, budget=np.full(k, UNLIMITED), loan_limit=z,
                           down_payment=np.ones(k), rate=z, provident=np.zeros(k, bool),
                           motive=np.full(k, hh.NON_RESIDENT, dtype=np.int8), new_only=np.ones(k, bool),
                           wants_new=np.ones(k, bool))
        buyers = Buyers(**{f: np.concatenate([getattr(buyers, f), getattr(outsiders, f)])
                           for f in buyers.__dict__})
    return buyers
