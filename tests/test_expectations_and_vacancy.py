"""Extrapolative price expectations in demand, and the vacancy survey's count of seasonal residents."""
from __future__ import annotations

import numpy as np
import pytest

from sim.agents.demand import demand_multiplier
from sim.model import HousingMarketModel


def test_rising_prices_raise_purchase_hazards_by_the_expectation_weight(scenarios):
    base = scenarios["panzhihua"]
    flat = HousingMarketModel(base, seed=1, scale=200).state
    keen = HousingMarketModel(base.with_overrides({"demand.price_expectation_weight": 2.0}), seed=1, scale=200).state
    np.testing.assert_allclose(demand_multiplier(keen), demand_multiplier(flat))   # no price history yet
    for m in (flat, keen):
        m.price_history[0] = m.new_price / 1.10          # prices 10 % up on a year ago
    np.testing.assert_allclose(demand_multiplier(keen) / demand_multiplier(flat), 1 + 2.0 * 0.10)
    keen.price_history[0] = keen.new_price / 0.40         # a 60 % fall: hazards floor at zero, never negative
    assert (demand_multiplier(keen) == 0).all()


@pytest.mark.parametrize("months", [3, 24])
def test_expectations_look_back_over_the_scenarios_price_memory(scenarios, months):
    m = HousingMarketModel(scenarios["panzhihua"].with_overrides({"demand.price_memory_months": months,
                                                                    "demand.price_expectation_weight": 1.0}),
                           seed=1, scale=200).state
    assert len(m.price_history) == months + 1
    flat = demand_multiplier(m)
    for rise in range(months):                    # one 1 % rise a month: the window sees all of them, no more
        m.price_history = np.vstack([m.price_history[1:], m.new_price * 1.01 ** (rise + 1)])
    m.new_price = m.price_history[-1]
    growth = 1.01 ** months - 1
    expected = flat * (1 + growth) / (1.01 ** months) ** m.params.demand.price_elasticity
    np.testing.assert_allclose(demand_multiplier(m), expected)


@pytest.fixture(scope="module")
def vacancy_runs(scenarios):
    out = {}
    for share in (0.0, 0.5):
        m = HousingMarketModel(scenarios["panzhihua"].with_overrides({"simulation.seasonal_occupied_share": share}),
                               seed=2, scale=200)
        for _ in range(24):
            m.step()
        annual, _ = m.results()
        out[share] = annual[annual.district == "all"].set_index(["year", "indicator"]).value
    return out, m.raw_table()


def test_seasonal_share_changes_only_the_vacancy_measure(vacancy_runs):
    runs, raw = vacancy_runs
    none, half = runs[0.0], runs[0.5]
    others = none.index.get_level_values("indicator") != "vacancy_rate"
    np.testing.assert_array_equal(none[others].to_numpy(), half[others].to_numpy())
    december = raw[(raw.district == "all") & (raw.month == 23)].iloc[0]
    expected = 0.5 * december.non_resident_empty / december.dwellings_total
    assert december.non_resident_empty > 0
    assert none[(2017, "vacancy_rate")] - half[(2017, "vacancy_rate")] == pytest.approx(expected)
