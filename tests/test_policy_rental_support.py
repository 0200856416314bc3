"""Rental support: eligibility, the annual quota and budget, and service within 6 months (应保尽保)."""
from __future__ import annotations

import numpy as np
import pytest

from sim.state import households as hh
from sim.policy import rental_support as rs


def test_eligibility():
    income = np.array([10_000, 10_000, 10_000, 50_000.0])
    renter = np.array([True, True, False, True])
    owns = np.array([False, True, False, False])
    assert list(rs.eligible(income, renter, owns, mean_income=60_000, income_ratio=0.35)) == [True, False, False, False]


def test_subsidy_follows_market_rent():
    assert rs.monthly_subsidy(np.array([10.0, 20.0]), 0.5, 56.1) == pytest.approx([280.5, 561.0])


def decide(wait, quota=100, budget=1e12, vacancies=(0,), guarantee=False, cost=100.0):
    n = len(wait)
    return rs.serve_queue(np.array(wait), np.zeros(n, dtype=np.int64), np.array(vacancies), np.full(n, cost),
                          quota_left=quota, budget_left=budget, months_left_in_year=12, service_months=6,
                          guarantee=guarantee)


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


def test_nobody_waits_past_six_months_in_the_plan_scenario(scenarios):
    """With 应保尽保 on, the longest wait never exceeds 6 months over a whole run."""
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
        peak = max(peak, model.government.rental_support.granted_this_year)
    assert 0 < peak <= 100 / 50
    h = model.state.households
    waits = model.state.month - h.applied_month[h.applied_month >= 0]
    assert (waits > 6).any()   # without the guarantee some applicants wait longer than six months
    assert hh.PUBLIC_TENANT in set(h.tenure)
