"""Credit reaches demand (issue 19 part 1, sim/agents/demand.py): purchase hazards scale with the monthly cost
of buying against income (affordability) and, for renters, against the rent paid now; constructed cases."""
from __future__ import annotations

import numpy as np
import pytest

from sim.agents import demand
from sim.config.loader import load_scenario
from sim.model import HousingMarketModel
from sim.policy import credit
from sim.state.calendar import MONTHS_PER_YEAR

from .conftest import SCENARIOS


@pytest.fixture(scope="module")
def state():
    return HousingMarketModel(load_scenario(SCENARIOS["panzhihua"]), seed=0, scale=200).state


def test_the_reference_household_is_neither_damped_nor_boosted(state):
    """A household whose payment-to-income equals the reference has affordability 1; a dearer payment lowers
    it by the elasticity, a cheaper one raises it."""
    d = state.params.demand
    cost = np.array([1000.0])
    income = cost * MONTHS_PER_YEAR / demand.reference_payment_to_income(state)
    assert demand.affordability(state, cost, income) == pytest.approx(1.0)
    assert demand.affordability(state, 2 * cost, income) == pytest.approx(0.5 ** d.price_elasticity)
    assert demand.affordability(state, 0.5 * cost, income) == pytest.approx(2 ** d.price_elasticity)


def test_cheaper_credit_lowers_the_monthly_cost_of_buying(state):
    district = np.zeros(3, dtype=np.int64)
    c, y = state.params.credit, state.year_index
    cost = demand.monthly_cost(state, district, np.array([c.mortgage_rate[y] + 0.01, c.mortgage_rate[y],
                                                          c.provident_fund_rate[y]]))
    assert cost[0] > cost[1] > cost[2]
    home = state.new_price[0] * state.unit_size
    assert cost[1] == pytest.approx(home * credit.annuity_factor(c.mortgage_rate[y], c.mortgage_term))


def test_a_renter_paying_the_2016_market_rent_for_a_typical_home_is_at_the_reference(state):
    """At set-up prices, rents and rates a renter paying the market rent per m² has rent-against-cost factor 1;
    half the rent per m² (a subsidy, public rent) gives 0.5 to the power of the elasticity."""
    rate = state.params.credit.mortgage_rate[0]
    cost = demand.monthly_cost(state, np.array([0]), rate)
    market_rent = state.rent[0]
    assert demand.rent_against_cost(state, np.array([market_rent]), cost) == pytest.approx(1.0)
    e = state.params.demand.rent_elasticity
    assert demand.rent_against_cost(state, np.array([market_rent / 2]), cost) == pytest.approx(0.5 ** e)


def test_a_rate_change_from_2021_moves_the_payment_not_the_reference():
    """The reference is the payment at the rate acting in the reference year: a variant that scales the whole
    rate series from 2021 leaves it alone (else a rate change would cancel out of affordability)."""
    base = load_scenario(SCENARIOS["panzhihua"])
    cheaper = base.variant("cheaper_credit", "rates × 0.7 from 2021", {"credit.mortgage_rate*": 0.7})
    states = []
    for scenario in (base, cheaper):
        model = HousingMarketModel(scenario, seed=0, scale=200)
        model.run(until_year=2020)
        model.step()            # 2021-01
        states.append(model.state)
    assert states[0].year == 2021
    assert demand.reference_payment_to_income(states[1]) == pytest.approx(
        demand.reference_payment_to_income(states[0]))
    district = np.zeros(1, dtype=np.int64)
    costs = [demand.monthly_cost(s, district, s.params.credit.mortgage_rate[s.year_index]) / s.new_price[0]
             for s in states]
    assert costs[1][0] < costs[0][0]
