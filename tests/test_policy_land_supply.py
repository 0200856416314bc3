"""Land supply throttled by the destocking cycle: Panzhihua's four bands held 3 months, Anshan's five categories."""
from __future__ import annotations

import numpy as np
import pytest

from sim.policy.destocking_cycle import destocking_cycle
from sim.policy.land_supply import BandRule, LandSupplyMonitor, land_shares

PANZHIHUA = BandRule(edges=(6, 12, 18, 36), multipliers=(1.5, 1.2, 1.0, 0.4, 0.0), persistence_months=3)
ANSHAN = BandRule(edges=(6, 12, 15, 18, 36), multipliers=(1.5, 1.2, 1.1, 1.0, 0.5, 0.0), persistence_months=1)


def test_the_plan_scenarios_carry_these_rules(scenarios):
    from sim.policy.land_supply import band_rule

    assert band_rule(scenarios["panzhihua"].params.land_supply) == PANZHIHUA
    assert band_rule(scenarios["anshan"].params.land_supply) == ANSHAN


def test_destocking_cycle_formula():
    inventory = np.array([120.0, 60.0, 0.0, 50.0])
    trailing = np.array([[10, 5, 0, 0]] * 6 + [[10, 15, 0, 0]] * 6, dtype=float)  # 6 + 6 months
    cycle = destocking_cycle(inventory, trailing.mean(axis=0))
    assert cycle[0] == pytest.approx(12.0)
    assert cycle[1] == pytest.approx(60 / 10)
    assert cycle[2] == 0.0            # nothing to sell, nothing sold
    assert np.isinf(cycle[3])         # stock that does not sell


@pytest.mark.parametrize("cycle, band, multiplier", [
    (3.0, 0, 1.5), (5.99, 0, 1.5), (6.0, 1, 1.2), (11.9, 1, 1.2), (12.0, 2, 1.0), (17.9, 2, 1.0),
    (18.0, 3, 0.4), (35.9, 3, 0.4), (36.0, 4, 0.0), (60.0, 4, 0.0)])   # 必要时停止: none at ≥ 36 months
def test_panzhihua_bands(cycle, band, multiplier):
    assert PANZHIHUA.band_of(np.array([cycle]))[0] == band
    monitor = LandSupplyMonitor(PANZHIHUA, np.array([cycle]))
    assert monitor.update(np.array([cycle]))[0] == multiplier


@pytest.mark.parametrize("cycle, multiplier", [(2, 1.5), (8, 1.2), (13, 1.1), (15, 1.0), (17.9, 1.0), (20, 0.5),
                                               (35.9, 0.5), (36, 0.0), (50, 0.0)])
def test_anshan_five_categories(cycle, multiplier):
    monitor = LandSupplyMonitor(ANSHAN, np.array([15.0]))
    assert monitor.update(np.array([float(cycle)]))[0] == multiplier


def test_band_acts_only_after_three_consecutive_months():
    monitor = LandSupplyMonitor(PANZHIHUA, np.array([15.0]))      # normal band acting
    assert monitor.update(np.array([4.0]))[0] == 1.0               # 1st month below 6: no action yet
    assert monitor.update(np.array([4.5]))[0] == 1.0               # 2nd month
    assert monitor.update(np.array([5.0]))[0] == 1.5               # 3rd consecutive month: accelerate
    assert monitor.update(np.array([20.0]))[0] == 1.5              # a single month above 18 changes nothing
    assert monitor.update(np.array([10.0]))[0] == 1.5              # run broken: 6–12 for one month only
    assert monitor.update(np.array([20.0]))[0] == 1.5
    assert monitor.update(np.array([21.0]))[0] == 1.5
    assert monitor.update(np.array([25.0]))[0] == 0.4              # three months above 18: slow down


def test_each_district_keeps_its_own_counter():
    monitor = LandSupplyMonitor(PANZHIHUA, np.array([15.0, 15.0, 15.0]))
    seq = [np.array([4.0, 8.0, 20.0]), np.array([4.0, 15.0, 20.0]), np.array([4.0, 8.0, 20.0])]
    for cycles in seq:
        out = monitor.update(cycles)
    # district 0 held <6 for 3 months; district 1 never held 6–12 for 3; district 2 held >18 for 3
    assert list(out) == [1.5, 1.0, 0.4]


def test_land_offered_follows_the_rule_in_the_model(scenarios, monkeypatch):
    from sim.agents import government
    from sim.model import HousingMarketModel

    model = HousingMarketModel(scenarios["panzhihua"], seed=3, scale=50)
    # force every district's cycle: 0,1 very short for 3 months → accelerate; others long → slow down
    forced = np.array([2.0, 3.0, 25.0, 30.0, 40.0])     # the last beyond 36 months: supply stops
    monkeypatch.setattr(government.destocking_cycle, "cycles", lambda state: forced)
    for _ in range(3):
        model.step()
    assert list(model.government.land_supply.multiplier) == [1.5, 1.5, 0.4, 0.4, 0.0]
    assert list(model.government.land_supply.acting_band) == [0, 0, 3, 3, 4]
    raw = model.raw_table()
    last = raw[raw.month == 2].set_index("district").land_band        # recorded as an output, per district
    assert list(last.drop("all")) == [0, 0, 3, 3, 4] and last["all"] == 4      # the city: the highest band


def test_land_follows_population_flows():
    """人-地-房挂钩 (000 三(一)3): the land split is the population split, tilted toward districts whose population
    grew faster than the city's since the last review."""
    before = np.array([100.0, 100.0, 200.0])
    same_growth = land_shares(before * 1.1, before, tilt=10)
    assert same_growth == pytest.approx([0.25, 0.25, 0.5])                  # no relative flow: population shares
    now = np.array([104.0, 98.0, 200.0])                                  # +4 %, −2 %, 0 %; city +0.5 %
    tilted = land_shares(now, before, tilt=10)
    untilted = land_shares(now, before, tilt=0)
    assert untilted == pytest.approx(now / now.sum())
    assert tilted.sum() == pytest.approx(1.0)
    assert tilted[0] > untilted[0] and tilted[1] < untilted[1]              # toward the net inflow
    assert (land_shares(np.array([100.0, 50.0]), np.array([100.0, 100.0]), tilt=100) >= 0).all()


def test_the_land_split_is_reviewed_every_half_year(scenarios):
    from sim.model import HousingMarketModel

    model = HousingMarketModel(scenarios["panzhihua"], seed=3, scale=50)
    land = model.government.land_supply
    initial = land.shares.copy()
    for _ in range(6):
        model.step()
        assert (land.shares == initial).all()                             # January–June: the split at setup
    model.step()                                                          # July: reviewed
    assert not (land.shares == initial).all() and land.shares.sum() == pytest.approx(1.0)
