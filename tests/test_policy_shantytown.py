"""Shantytown resettlement (sim/policy/shantytown.py)."""
from __future__ import annotations

import numpy as np

from sim.model import HousingMarketModel
from sim.policy import shantytown


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
