"""Shantytown resettlement (sim/policy/shantytown.py)."""
from __future__ import annotations

import numpy as np

from sim.model import HousingMarketModel
from sim.policy import shantytown


def test_resettlement_homes_count_as_construction_investment(scenarios):
    """In-kind resettlement homes (回迁房) are built: build cost × area each enters investment, no land."""
    in_kind_only = {"shantytown.cash_share*": 0.0, "shantytown.purchase_share*": 0.0}
    model = HousingMarketModel(scenarios["panzhihua"].with_overrides(in_kind_only), seed=3, scale=50)
    investment = model.month_flows_by_district["investment"]
    investment[:] = 0.0
    counts = shantytown.step(model)
    assert counts["shantytown_resettled"] > 0 and counts["shantytown_cash"] == 0
    expected = counts["shantytown_resettled"] * model.params.developers.build_cost * model.unit_size
    assert np.isclose(investment.sum(), expected)
