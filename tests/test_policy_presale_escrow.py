"""Presale-permit threshold and its tightening for red-line developers; escrow deposits and node releases."""
from __future__ import annotations

import numpy as np
import pytest

from sim.policy import escrow, presale

RULE = dict(relax_below=6.0, tighten_above=18.0, step=0.1)


def test_completed_only_is_not_relaxed_by_a_short_cycle():
    t = presale.progress_threshold(np.array([0.3, 1.0]), np.array([3.0, 3.0]), **RULE)
    assert t[0] == pytest.approx(0.2)   # relaxed for a short cycle
    assert t[1] == 1.0                   # completed-only is not relaxed


def test_threshold_moves_with_the_destocking_cycle():
    t = presale.progress_threshold(np.full(3, 0.3), np.array([4.0, 12.0, 24.0]), **RULE)
    assert t == pytest.approx([0.2, 0.3, 0.4])


def test_red_line_measures_raise_the_threshold_from_one_line_in_force(scenarios):
    """踩线 (one line crossed) brings the raised presale standard, only once the red lines are in force."""
    from sim.model import HousingMarketModel

    state = HousingMarketModel(scenarios["panzhihua"], seed=1, scale=100).state
    ps, start = state.params.presale, state.params.red_lines.start_year
    assert state.params.red_lines.min_lines == 1
    state.calendar.month = 12 * (start - 2016)
    assert presale.developer_threshold(state, 0) == ps.progress_threshold
    assert presale.developer_threshold(state, 1) == ps.red_line_progress_threshold > ps.progress_threshold
    state.calendar.month = 12 * (start - 2016) - 1
    assert presale.developer_threshold(state, 3) == ps.progress_threshold


def test_permit_issued_only_above_threshold(scenarios):
    from sim.model import HousingMarketModel

    model = HousingMarketModel(scenarios["anshan"], seed=1, scale=100)
    pending = [pr for pr in model.state.projects if not pr.permitted]
    assert pending
    threshold = model.state.params.presale.progress_threshold
    for _ in range(6):
        model.step()
    step = 1 / model.state.params.developers.construction_months
    assert any(pr.permitted for pr in pending) and any(not pr.permitted for pr in pending)
    for pr in pending:
        if pr.permitted:
            assert pr.progress + 1e-9 >= threshold
        else:   # a project crossing the threshold this month gets its permit next month
            assert pr.progress < threshold + step


def test_escrow_split_and_supervised_amount():
    per_m2 = escrow.supervised_amount(2200.0, 1.3)
    assert per_m2 == pytest.approx(2860.0)
    dep, free = escrow.split_payment(np.array([500_000.0, 200_000.0]), np.array([100.0, 100.0]), per_m2)
    assert dep == pytest.approx([286_000.0, 200_000.0])
    assert free == pytest.approx([214_000.0, 0.0])


def test_escrow_released_by_node():
    nodes, shares = [0.5, 0.75, 1.0], [0.3, 0.7, 1.0]
    share = escrow.released_share(np.array([0.0, 0.49, 0.5, 0.8, 1.0]), nodes, shares)
    assert share == pytest.approx([0.0, 0.0, 0.3, 0.7, 1.0])
    # early release brings the nodes forward by 0.1 of progress
    assert escrow.released_share(np.array([0.42]), nodes, shares, shift=0.1)[0] == pytest.approx(0.3)
    # releases are the part of the due share not yet released
    assert escrow.release(1000.0, 300.0, 0.8, nodes, shares) == pytest.approx(400.0)
    assert escrow.release(1000.0, 700.0, 0.8, nodes, shares) == pytest.approx(0.0)


def test_the_supervised_account_pays_its_projects_construction_bill(scenarios):
    """000 三(一)4: presale money is paid out against the construction plan, so a developer with no cash and no
    credit still builds a project whose account holds its buyers' money; without it the project stands still."""
    from sim.model import HousingMarketModel

    model = HousingMarketModel(scenarios["anshan"], seed=1, scale=100)
    state = model.state
    dp = state.params.developers
    building = [pr for pr in state.projects if pr.started and not pr.completed and not pr.problem]
    funded, unfunded = building[0], building[1]
    for pr in (funded, unfunded):
        dev = state.developer(pr.developer_id)
        dev.cash = 0.0
        dev.set_debt(0.0)
        dev.borrowing_headroom = lambda capped=True: 0.0      # no credit at all
    cost = dp.build_cost * funded.area / dp.construction_months
    funded.escrow_deposits = funded.escrow_released + 1.5 * cost
    unfunded.escrow_deposits = unfunded.escrow_released
    before = {pr.pid: (pr.progress, pr.escrow_balance) for pr in (funded, unfunded)}
    assert escrow.construction_from_escrow(funded, cost) == pytest.approx(cost)
    assert escrow.construction_from_escrow(unfunded, cost) == 0.0
    for dev in {state.developer(funded.developer_id), state.developer(unfunded.developer_id)}:
        dev.start_month()
        dev.step()
    assert funded.progress == pytest.approx(min(1.0, before[funded.pid][0] + 1 / dp.construction_months))
    assert funded.escrow_balance == pytest.approx(before[funded.pid][1] - cost)
    assert unfunded.progress == before[unfunded.pid][0] and unfunded.unfunded_months == 1
