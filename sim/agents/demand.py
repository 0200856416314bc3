"""Who wants to buy this month and how much each can pay (DESIGN §3.3 step 4).

- first home: renters and public tenants owning nothing;
- upgrade: owner-occupiers with less than ``upgrade_below_area_per_person`` m² per person;
- second home: owners above an income quantile;
- shantytown households holding compensation buy their home when their search ends: each month with chance
  ``[shantytown] purchase_hazard`` (they are paid at demolition and search from transitional housing, 过渡安置);
- non-resident buyers (市外购房者, seed 000 一(一)4) arrive from outside at a yearly rate and buy new homes
  (the plan's buyer shares are of new commercial housing).

Each household draws its own decision. Its hazard is scaled by what buying would cost it each month
(``monthly_cost``): the payment on a loan for a typical new home of its district at the rate it would borrow
at (a provident-fund loan or a commercial one, ``policy.credit``) over the mortgage term. Against the city's
mean income this is a payment-to-income; the hazard scales with (reference / payment-to-income)^
``price_elasticity``, so dearer homes and higher rates deter buyers and cheaper credit draws them in (a
household's own income decides what it can borrow and so what it can buy, ``policy.credit``). The reference
is the payment at the plan's reference price-to-income and the mortgage rate of ``reference_year``. A renter
also weighs the cost against the rent it pays now (after any subsidy): the hazard scales with (rent / cost,
per m², relative to the city's 2016 market rent / cost)^``rent_elasticity``, so dearer rents push renters to
buy and a subsidised rent keeps them renting. Second homes are bought to let where yields allow: the
second-home hazard also scales with (the district's gross rental yield, rent / price, over its 2016-01 level)^
``rental_yield_elasticity`` (a second home stands on the rental market, ``state.dwellings.lettable``).
Expectations multiply it: 1 + weight × the district's price change over the last ``price_memory_months`` (never
below 0). The down payment acts through what a buyer can pay: at most min(cash + max loan, cash / down payment)
(``policy.credit.max_purchase``), so a higher minimum down payment leaves fewer households able to buy any home.
"""
from __future__ import annotations

import numpy as np

from ..markets.buyers import Buyers
from ..markets.rental import rent_due
from ..policy import credit
from ..policy.rental_support import subsidies
from ..state import households as hh
from ..state.calendar import MONTHS_PER_YEAR, START_YEAR
from ..state.city import CityState
from ..state.random_streams import RandomStreams

UNLIMITED = np.inf


def monthly_cost(state: CityState, district: np.ndarray, rate: np.ndarray | float) -> np.ndarray:
    """元/month: the payment that would finance a typical new home (district price × new-home size) in full at
    ``rate`` (1/year) over the mortgage term. The loan's down payment is left out: it decides whether a
    household can buy (``credit.max_purchase``), not what owning costs it a month."""
    home = state.new_price[district] * state.unit_size
    return home * credit.annuity_factor(rate, state.params.credit.mortgage_term)


def reference_payment_to_income(state: CityState) -> float:
    """Payment-to-income at which demand is neither damped nor boosted: the reference price-to-income at the
    commercial mortgage rate of the reference year, over the mortgage term. The rate is the one acting in that
    year, so a variant that changes rates from 2021 (or a multiplier on the whole series) moves the payment and
    not the reference."""
    d, c = state.params.demand, state.params.credit
    rate = state.scenario.params_at(d.reference_year).credit.mortgage_rate[d.reference_year - START_YEAR]
    return d.reference_price_to_income * MONTHS_PER_YEAR * float(credit.annuity_factor(rate, c.mortgage_term))


def affordability(state: CityState, monthly_payment: np.ndarray, income: np.ndarray | float) -> np.ndarray:
    """(reference / payment-to-income)^price_elasticity; 0 where there is no income."""
    with np.errstate(divide="ignore"):
        payment_to_income = monthly_payment * MONTHS_PER_YEAR / np.asarray(income, dtype=float)
    return (reference_payment_to_income(state) / payment_to_income) ** state.params.demand.price_elasticity


def rent_against_cost(state: CityState, rent_per_m2: np.ndarray, cost: np.ndarray) -> np.ndarray:
    """A renter's pull to buy: (rent it pays per m² / monthly cost of buying per m² of a typical home, over the
    city's 2016-01 ratio of market rent to that cost)^rent_elasticity. Per m², so a small flat let at the market
    rent weighs like a large one; a subsidised or public rent pulls less."""
    housing, c = state.profile.housing, state.params.credit
    first_rate = state.scenario.params_at(START_YEAR).credit.mortgage_rate[0]     # the rate acting in 2016
    reference = housing.avg_rent / (housing.avg_price * float(credit.annuity_factor(first_rate, c.mortgage_term)))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = rent_per_m2 * state.unit_size / cost / reference
    return np.where(cost > 0, ratio, 1.0) ** state.params.demand.rent_elasticity


def rental_yield_factor(state: CityState) -> np.ndarray:
    """Per district: (rent / new-home price, over the 2016-01 city ratio)^rental_yield_elasticity."""
    housing = state.profile.housing
    relative = (state.rent / state.new_price) / (housing.avg_rent / housing.avg_price)
    return relative ** state.params.demand.rental_yield_elasticity


def expectations(state: CityState) -> np.ndarray:
    """Per district: 1 + weight × the price change over the memory window, never below 0."""
    growth = state.new_price / state.price_history[0] - 1.0
    return np.maximum(1.0 + state.params.demand.price_expectation_weight * growth, 0.0)


def demand_multiplier(state: CityState) -> np.ndarray:
    """Per district, for a household of the city's mean income borrowing at the commercial rate (and for
    non-resident buyers): affordability × expectations."""
    rate = state.params.credit.mortgage_rate[state.year_index]
    district = np.arange(state.n_districts)
    return affordability(state, monthly_cost(state, district, rate), state.mean_income()) * expectations(state)


def draw_buyers(state: CityState, streams: RandomStreams) -> Buyers:
    """This month's buyers: households deciding to buy, and non-resident buyers arriving from outside."""
    h, p = state.households, state.params.demand
    y = state.year_index
    n = h.n
    free = h.resident & (h.pending_project < 0) & (h.must_buy == hh.MUST_BUY_NONE)
    renting = free & ((h.tenure == hh.RENTER) | (h.tenure == hh.PUBLIC_TENANT)) & (h.n_owned == 0)
    owner = free & (h.tenure == hh.OWNER)
    area_pp = np.zeros(n)
    housed_owners = np.flatnonzero(owner & (h.dwelling >= 0))
    area_pp[housed_owners] = (state.dwellings.area[h.dwelling[housed_owners]]
                              / np.maximum(h.size[housed_owners], 1))
    upgrader = owner & (area_pp < p.upgrade_below_area_per_person)
    incomes = h.income[h.resident]
    rich = owner & (h.income >= (np.quantile(incomes, p.second_home_income_quantile) if incomes.size else np.inf))

    # every household draws (so each keeps its own draws whoever else decides); costs are worked out only for
    # the households that may decide: renters, upgraders and the rich
    provident = credit.takes_provident_loan(state, streams.loan_choice)
    may_buy = np.flatnonzero(renting | upgrader | rich)
    district = h.district[may_buy]
    cost = monthly_cost(state, district, credit.rate(state, provident[may_buy]))
    mult = affordability(state, cost, state.mean_income()) * expectations(state)[district]
    renter = renting[may_buy]
    renters = may_buy[renter]
    rent_per_m2 = state.rent[h.district[renters]]       # the market rent, for a household without a home
    housed = np.flatnonzero(h.dwelling[renters] >= 0)
    tenants = renters[housed]
    rent_per_m2[housed] = ((rent_due(state, tenants) - subsidies(state, tenants))
                           / np.maximum(state.dwellings.area[h.dwelling[tenants]], 1.0))
    renter_mult = mult[renter] * rent_against_cost(state, rent_per_m2, cost[renter])
    decide = streams.purchase_decisions
    u = decide.random(n)
    motive = np.full(n, -1, dtype=np.int8)
    motive[renters[u[renters] < p.first_home_hazard * renter_mult]] = hh.FIRST_HOME
    up = upgrader[may_buy]
    upgraders = may_buy[up]
    motive[upgraders[u[upgraders] < p.upgrade_hazard * mult[up]]] = hh.UPGRADE
    second = rich[may_buy]
    second_rows = may_buy[second]
    buy_to_let = mult[second] * rental_yield_factor(state)[h.district[second_rows]]
    u_second = decide.random(n)[second_rows]
    motive[second_rows[(motive[second_rows] < 0) & (u_second < p.second_home_hazard * buy_to_let)]] = hh.SECOND_HOME
    resettled = np.flatnonzero(h.must_buy != hh.MUST_BUY_NONE)
    searched = streams.resettlement_search.random(len(resettled)) < state.params.shantytown.purchase_hazard
    motive[resettled[searched]] = hh.RESETTLED
    rows = np.flatnonzero(motive >= 0)
    motive = motive[rows]

    terms = credit.loan_terms(state, rows, provident[rows])
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
