"""Rental support: eligibility, the annual quota and budget, and service within 6 months (应保尽保)."""
from __future__ import annotations

import numpy as np
import pytest

from sim.policy import rental_support as rs
from sim.state import households as hh


def test_eligibility_groups():
    """低保/低收入 below 0.35 × mean (guaranteed), 中等偏下 below the income quantile, newcomers below their line."""
    income = np.array([10_000, 30_000, 45_000, 45_000, 10_000, 10_000.0])
    newcomer = np.array([False, False, False, True, False, False])
    lines = rs.income_lines(income, newcomer, 60_000, low_income_ratio=0.35, lower_middle_quantile_income=40_000,
                            newcomer_income_ratio=0.8)
    assert list(lines.line) == [40_000, 40_000, 40_000, 48_000, 40_000, 40_000]
    assert list(lines.guaranteed) == [True, False, False, False, True, True]
    renter = np.array([True, True, True, True, True, False])
    owns = np.array([False, False, False, False, True, False])
    assert list(rs.eligible(income, renter, owns, lines.line)) == [True, True, False, True, False, False]


def test_subsidy_follows_market_rent():
    assert rs.monthly_subsidy(np.array([10.0, 20.0]), 0.5, 56.1) == pytest.approx([280.5, 561.0])


def decide(wait, quota=100, budget=1e12, vacancies=(0,), guarantee=False, cost=100.0, guaranteed=None):
    n = len(wait)
    return rs.serve_queue(np.array(wait), np.zeros(n, dtype=np.int64), np.array(vacancies), np.full(n, cost),
                          quota_left=quota, budget_left=budget, months_left_in_year=12, service_months=6,
                          guarantee=guarantee, guaranteed=guaranteed)


def test_public_rental_first_then_subsidy_longest_wait_first():
    d = decide([0, 3, 1, 5], vacancies=(1,), quota=2)
    assert list(d.public) == [3]                 # the longest wait gets the vacant public unit
    assert sorted(d.subsidy) == [1, 2]           # then subsidies in order of waiting, up to the quota


def test_quota_limits_grants():
    d = decide([2, 2, 2, 2], quota=3)
    assert len(d.subsidy) == 3 and d.forced == 0


def test_budget_limits_grants():
    # each subsidy costs 100 元/month × 12 months; budget 2500 covers two
    d = decide([1, 1, 1], budget=2500.0)
    assert len(d.subsidy) == 2


def test_guarantee_serves_applicants_at_the_deadline_past_the_quota():
    d = decide([5, 5, 2, 0], quota=0, guarantee=True)
    assert sorted(d.subsidy) == [0, 1] and d.forced == 2
    d = decide([5, 5, 2, 0], quota=0, guarantee=False)
    assert len(d.subsidy) == 0


def test_guarantee_covers_the_low_income_group_only():
    d = decide([5, 5, 2, 0], quota=0, guarantee=True, guaranteed=np.array([True, False, True, True]))
    assert list(d.subsidy) == [0] and d.forced == 1


def test_nobody_waits_past_six_months_in_the_plan_scenario(scenarios):
    """With 应保尽保 on, no low-income applicant waits more than 6 months over a whole run."""
    from sim.model import HousingMarketModel

    model = HousingMarketModel(scenarios["anshan"], seed=5, scale=50)
    waits, served = [], 0
    while model.running:
        model.step()
        waits.append(model.state.rental_max_wait)
        served = max(served, int(model.state.households.subsidy.sum()))
    assert max(waits) <= model.state.params.rental_support.service_months
    assert served > 0


def test_quota_binds_without_the_guarantee(scenarios):
    from dataclasses import replace

    from sim.model import HousingMarketModel

    sc = scenarios["anshan"]
    params = sc.params.replaced(rental_support=sc.params.rental_support.replaced(
        guarantee_service=False, annual_quota=[100.0] * 10, application_rate=0.05))
    model = HousingMarketModel(replace(sc, params=params), seed=5, scale=50)
    peak = 0
    while model.running:
        model.step()
        peak = max(peak, int((model.state.households.subsidy & model.state.households.resident).sum()))
    assert 0 < peak <= 100 / 50   # the quota caps the households holding a subsidy
    h = model.state.households
    waits = model.state.month - h.applied_month[h.applied_month >= 0]
    assert (waits > 6).any()   # without the guarantee some applicants wait longer than six months
    assert hh.PUBLIC_TENANT in set(h.tenure)


def _one_renter(scenarios, kind=None):
    """A model (incomes without growth or shocks) whose first resident renter is the household under test; its
    dwelling's kind set to ``kind``."""
    from sim.model import HousingMarketModel

    sc = scenarios["panzhihua"].with_overrides({"income.shock_sd": 0.0, "income.growth": 0.0})
    model = HousingMarketModel(sc, seed=3, scale=100)
    s = model.state
    h = s.households
    row = int(np.flatnonzero((h.tenure == hh.RENTER) & h.resident & (h.dwelling >= 0) & ~h.subsidy)[0])
    if kind is not None:
        s.dwellings.kind[h.dwelling[row]] = kind
    return model, row


def test_a_renter_pays_rent_and_a_subsidy_lowers_it(scenarios):
    """A renter's savings grow by the saving rate of what the rent leaves; with a subsidy the rent it pays is
    lower and its savings grow by the saving rate × the subsidy more."""
    from sim.agents import household_finances
    from sim.markets.rental import rent_due

    model, row = _one_renter(scenarios)
    s, h = model.state, model.state.households
    p = s.params
    h.column("income")[row] = 60_000.0
    rent = rent_due(s)[row]
    assert rent == pytest.approx(s.rent[h.district[row]] * s.dwellings.area[h.dwelling[row]])
    assert rent > 0
    before = h.savings[row]
    household_finances.step(s, np.random.default_rng(0))
    assert h.savings[row] - before == pytest.approx(p.income.savings_rate * (5_000.0 - rent))

    # the same renter with a subsidy: the subsidy is paid towards the rent, so what it pays falls
    h.column("subsidy")[row] = True
    paid = rs.subsidies(s)[row]
    assert paid > 0
    before = h.savings[row]
    support = rs.RentalSupport()
    support.step(s, np.random.default_rng(0))
    assert h.subsidy[row]
    assert h.savings[row] - before == pytest.approx(p.income.savings_rate * paid)


def test_guaranteed_rental_is_let_at_most_90_percent_of_market_rent(scenarios):
    from sim.markets.rental import rent_due
    from sim.state import dwellings as dw

    model, row = _one_renter(scenarios, kind=dw.GUARANTEED_RENTAL)
    s, h = model.state, model.state.households
    market = s.rent[h.district[row]] * s.dwellings.area[h.dwelling[row]]
    assert rent_due(s)[row] == pytest.approx(0.9 * market)
    assert s.params.rental_support.guaranteed_rent_share <= 0.9


def test_guaranteed_rental_target_can_be_missed(scenarios):
    """Units are raised only while those raised are let: with no newcomers to let them to, the plan's units are
    not all raised."""
    from dataclasses import replace

    from sim.model import HousingMarketModel

    sc = scenarios["panzhihua"]
    demo = sc.params.demography.replaced(in_migration=[0.0] * 10, household_formation_rate=0.0)
    model = HousingMarketModel(replace(sc, params=sc.params.replaced(demography=demo)), seed=1, scale=50)
    model.run()
    annual, _ = model.results()
    rows = annual[(annual.indicator == "guaranteed_rental_units") & (annual.district == "all") & (annual.year > 2020)]
    raised = rows.value.sum()
    planned = sum(sc.params.rental_support.guaranteed_rental_units[5:])
    assert 0 < raised < planned


def test_the_approved_renters_rent_burden_falls_when_one_of_them_is_subsidised(scenarios):
    """``approved_rent_burden``: private renters holding a subsidy or waiting; a subsidy granted to one of them
    lowers the group's rent net of subsidies, and a renter who never applied is not in the group."""
    from sim import indicators

    model, row = _one_renter(scenarios)
    s, h = model.state, model.state.households
    h.column("applied_month")[:] = -1
    h.column("subsidy")[:] = False
    assert not rs.approved_private_renters(s)[row]
    h.column("applied_month")[row] = 0                                # waiting
    assert rs.approved_private_renters(s)[row] and rs.approved_private_renters(s).sum() == 1
    waiting, _ = indicators.measure(s, np.zeros(s.n_districts))
    d = h.district[row]
    assert waiting.approved_income[d] == pytest.approx(h.income[row] / 12)
    h.column("applied_month")[row] = -1
    h.column("subsidy")[row] = True                                   # served: a subsidy towards its rent
    served, _ = indicators.measure(s, np.zeros(s.n_districts))
    assert served.approved_rent[d] == pytest.approx(waiting.approved_rent[d] - rs.subsidies(s)[row])
    assert served.approved_rent[d] < waiting.approved_rent[d]
