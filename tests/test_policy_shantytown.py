"""Shantytown resettlement (sim/policy/shantytown.py)."""
from __future__ import annotations

import numpy as np

from sim.agents import demand
from sim.model import HousingMarketModel
from sim.policy import shantytown
from sim.state import households as hh


def test_resettlement_homes_count_as_construction_investment(scenarios):
    """In-kind resettlement homes (回迁房) are built: build cost × area each enters investment, no land."""
    in_kind_only = {"shantytown.cash_share*": 0.0, "shantytown.purchase_share*": 0.0}
    model = HousingMarketModel(scenarios["panzhihua"].with_overrides(in_kind_only), seed=3, scale=50)
    state = model.state
    state.new_month()
    shantytown.step(state, np.random.default_rng(0))
    counts = state.city_flows
    assert counts.shantytown_resettled > 0 and counts.shantytown_cash == 0
    expected = counts.shantytown_resettled * state.params.developers.build_cost * state.unit_size
    assert np.isclose(state.flows.investment.sum(), expected)


def _resettled_buyers(scenarios, purchase_hazard: float) -> tuple[int, int]:
    """(compensated households waiting to buy, how many of them decide to buy) in Anshan's first month, the
    year's cash and government-purchase resettlements made at once."""
    sc = scenarios["anshan"].with_overrides({"shantytown.purchase_hazard": purchase_hazard})
    model = HousingMarketModel(sc, seed=5, scale=10)
    state = model.state
    state.new_month()
    shantytown.step(state, np.random.default_rng(0))
    waiting = int((state.households.must_buy != hh.MUST_BUY_NONE).sum())
    buyers = demand.draw_buyers(state, model.streams)
    return waiting, int((buyers.motive == hh.RESETTLED).sum())


def test_compensated_households_buy_when_their_search_ends(scenarios):
    """At purchase_hazard 1 every compensated household is a buyer the month it is paid; at 0.2 about a fifth of
    them are (a binomial draw: 3 standard deviations either side), the others buy in later months."""
    waiting, buying = _resettled_buyers(scenarios, 1.0)
    assert waiting > 60 and buying == waiting
    waiting, buying = _resettled_buyers(scenarios, 0.2)
    sd = np.sqrt(waiting * 0.2 * 0.8)
    assert abs(buying - 0.2 * waiting) < 3 * sd
