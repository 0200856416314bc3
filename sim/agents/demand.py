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

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..policy import credit
from . import households as hh

if TYPE_CHECKING:
    from ..model import HousingMarketModel

UNLIMITED = np.inf


@dataclass
class Buyers:
    row: np.ndarray         # household row, -1 for a non-resident buyer not yet in the table
    district: np.ndarray
    budget: np.ndarray      # 元: most the buyer can pay for a home
    loan_limit: np.ndarray  # 元
    down_payment: np.ndarray
    rate: np.ndarray        # 1/year, mortgage rate of the loan they would take
    provident: np.ndarray   # bool: the loan is a provident-fund loan
    motive: np.ndarray
    new_only: np.ndarray    # bool: government-purchase resettlement buys new homes only
    wants_new: np.ndarray   # bool: looks at new homes first

    def __len__(self) -> int:
        return len(self.row)

    def subset(self, idx: np.ndarray) -> Buyers:
        return Buyers(**{k: v[idx] for k, v in self.__dict__.items()})


def demand_multiplier(model: HousingMarketModel) -> np.ndarray:
    """Per district: affordability × expectations.

    Affordability is (reference price-to-income / the district's price-to-income)^elasticity: dearer homes
    deter buyers. Expectations are extrapolative: buyers hurry when prices have been rising (and wait when they
    have been falling), 1 + weight × the district's price change over the last ``price_memory_months``, never
    below 0."""
    d = model.params.demand
    pti = model.new_price * model.unit_size / model.mean_income()
    growth = model.new_price / model.price_history[0] - 1.0
    return (d.reference_price_to_income / pti) ** d.price_elasticity * np.maximum(
        1.0 + d.price_expectation_weight * growth, 0.0)


def draw_buyers(model: HousingMarketModel) -> Buyers:
    h, rng, p, c = model.households, model.streams["demand"], model.params.demand, model.params.credit
    y = model.year_index
    mult = demand_multiplier(model)[h.district]
    n = h.n
    free = h.resident & (h.pending_project < 0) & (h.must_buy == hh.MUST_BUY_NONE)
    renting = free & ((h.tenure == hh.RENTER) | (h.tenure == hh.PUBLIC_TENANT)) & (h.n_owned == 0)
    owner = free & (h.tenure == hh.OWNER)
    area_pp = np.zeros(n)
    lives = h.dwelling >= 0
    area_pp[lives] = model.dwellings.area[h.dwelling[lives]] / np.maximum(h.size[lives], 1)
    upgrader = owner & (area_pp < p.upgrade_below_area_per_person)
    rich = owner & (h.income >= np.quantile(h.income[h.resident], p.second_home_income_quantile))
    u = rng.random(n)
    motive = np.full(n, -1, dtype=np.int8)
    motive[renting & (u < p.first_home_hazard * mult)] = hh.FIRST_HOME
    motive[upgrader & (u < p.upgrade_hazard * mult)] = hh.UPGRADE
    second_draw = rich & (motive < 0) & (rng.random(n) < p.second_home_hazard * mult)
    motive[second_draw] = hh.SECOND_HOME
    motive[h.must_buy != hh.MUST_BUY_NONE] = hh.RESETTLED
    rows = np.flatnonzero(motive >= 0)
    motive = motive[rows]

    provident = h.pf_member[rows] & (rng.random(len(rows)) < c.provident_fund_share)
    rate = np.where(provident, c.provident_fund_rate[y], c.mortgage_rate[y])
    limit = credit.max_loan(h.income[rows] / 12, h.mortgage_payment[rows], c.max_payment_to_income, rate,
                            c.mortgage_term)
    limit = np.where(provident, np.minimum(limit, c.provident_fund_loan_cap), limit)
    down = np.where(h.n_owned[rows] > 0, c.down_payment_second[y], c.down_payment_first[y])
    cash = np.maximum(h.savings[rows], 0.0) + h.voucher[rows]
    budget = credit.max_purchase(cash, limit, down)
    new_only = h.must_buy[rows] == hh.MUST_BUY_NEW
    wants_new = new_only | (rng.random(len(rows)) < p.new_home_share)
    buyers = Buyers(row=rows, district=h.district[rows].astype(np.int64), budget=budget, loan_limit=limit,
                    down_payment=down, rate=rate, provident=provident, motive=motive, new_only=new_only,
                    wants_new=wants_new)

    # non-resident buyers: cash-rich households from outside, spread over districts by their buyer shares
    arrivals = rng.poisson(p.non_resident_buyers[y] / 12 / model.scale * model.non_resident_weights
                           * demand_multiplier(model))
    k = int(arrivals.sum())
    if k:
        district = np.repeat(np.arange(len(model.districts)), arrivals)
        z = np.zeros(k)
        outsiders = Buyers(row=np.full(k, -1), district=district, budget=np.full(k, UNLIMITED), loan_limit=z,
                           down_payment=np.ones(k), rate=z, provident=np.zeros(k, bool),
                           motive=np.full(k, hh.NON_RESIDENT, dtype=np.int8), new_only=np.ones(k, bool),
                           wants_new=np.ones(k, bool))
        buyers = Buyers(**{f: np.concatenate([getattr(buyers, f), getattr(outsiders, f)])
                           for f in buyers.__dict__})
    return buyers
