"""Developer liquidity (issue 19 part 4): short-term debt that lenders roll over or not, the group's sweep of spare
cash, projects stalling where escrow does not cover them, and buyers wary of presold homes where projects stall;
constructed cases (sim/agents/developer.py, sim/markets/new_homes.py, sim/markets/clearing.py)."""
from __future__ import annotations

import numpy as np
import pytest

from sim.markets import new_homes
from sim.model import HousingMarketModel
from sim.state.projects import Project


def model_of(scenarios, overrides=None, city="panzhihua"):
    return HousingMarketModel(scenarios[city].with_overrides(overrides or {}), seed=3, scale=100)


def indebted_developer(model):
    """The largest developer, with short-term debt within its lenders' limit, at the start of a month."""
    dev = max(model.state.developers, key=lambda d: d.assets())
    dev.short_debt += 0.5 * max(dev.borrowing_headroom(capped=False), 1e6)
    dev.start_month()
    return dev


def test_lenders_roll_maturing_debt_over_unless_credit_is_frozen(scenarios):
    """A month's maturity (short debt / maturity months) is rolled over in normal times: cash and debt stay; in a
    credit freeze it is paid from cash, and a developer without the cash falls into arrears."""
    freeze = {"red_lines.developer_credit_freeze": [1.0] * 10}
    for overrides, rolled in ((None, True), (freeze, False)):
        dev = indebted_developer(model_of(scenarios, overrides))
        due = dev.short_debt / dev.state.params.developers.short_debt_maturity_months
        cash, short = dev.cash, dev.short_debt
        dev.roll_over_short_debt()
        if rolled:
            assert dev.cash == pytest.approx(cash) and dev.short_debt == pytest.approx(short)
        else:
            assert dev.cash == pytest.approx(cash - due) and dev.short_debt == pytest.approx(short - due)
        assert dev.cash_flow_residual() == pytest.approx(0.0, abs=1e-3)
    dev = indebted_developer(model_of(scenarios, freeze))
    dev.cash = 0.0
    dev.roll_over_short_debt()
    assert dev.cash < 0     # arrears: the distress that fails a developer after failure_months


def test_the_group_sweeps_a_share_of_cash_above_the_buffer_and_the_books_add_up(scenarios):
    """With debt at its target, a windfall above the buffer leaves the city at group_sweep_share a month; none
    leaves with a sweep share of 0."""
    def cash_after_windfall(share: float) -> tuple[float, float]:
        model = model_of(scenarios, {"developers.group_sweep_share": share,
                                     "developers.target_debt_to_assets": 0.9})
        dev = max(model.state.developers, key=lambda d: d.assets())
        dev.cash += 1e9
        dev.start_month()
        dev.step()
        assert dev.cash_flow_residual() == pytest.approx(0.0, abs=1e-3)
        return dev.cash, dev.ledger["upstreamed"]

    kept_all, none_swept = cash_after_windfall(0.0)
    kept, swept = cash_after_windfall(0.5)
    assert none_swept == 0.0 and swept > 0.4e9
    assert kept == pytest.approx(kept_all - swept)


def test_a_developer_in_arrears_loses_the_projects_its_escrow_does_not_cover(scenarios):
    """At an arrears stall rate of 1, a project whose escrow covers its remaining construction keeps going and
    one with an empty account stalls (``Developer.step`` calls this only while the developer is in arrears)."""
    model = model_of(scenarios, {"developers.arrears_stall_rate": 1.0})
    state = model.state
    dev = state.developers[0]
    dp = state.params.developers

    def building(escrow_share: float) -> Project:
        pr = Project(pid=state.next_project_id(), developer_id=dev.unique_id, district=0, units=10,
                     unit_area=90.0, land_ha=0.1, land_cost=1e6, price=5000.0, start_month=0, progress=0.5)
        pr.escrow_deposits = escrow_share * dp.build_cost * pr.area * 0.5
        state.add_project(dev, pr)
        return pr

    covered, bare = building(1.0), building(0.0)
    dev.cash = -1.0
    dev.builders_walk_off()
    assert bare.problem and not covered.problem


def test_a_failed_developer_s_project_covered_by_its_escrow_is_finished_not_stalled(scenarios):
    model = model_of(scenarios)
    state = model.state
    dev = state.developers[0]
    dp = state.params.developers
    projects = []
    for escrow_share in (1.0, 0.2):
        pr = Project(pid=state.next_project_id(), developer_id=dev.unique_id, district=0, units=10,
                     unit_area=90.0, land_ha=0.1, land_cost=1e6, price=5000.0, start_month=0, progress=0.5)
        pr.escrow_deposits = escrow_share * dp.build_cost * pr.area * 0.5
        state.add_project(dev, pr)
        projects.append(pr)
    dev.fail()
    covered, short = projects
    assert covered.rescued and not covered.problem and state.may_sell(covered) == (covered.saleable_units > 0)
    assert short.problem and not short.rescued


def test_buyers_turn_from_presold_homes_as_projects_stall_in_their_district(scenarios):
    model = model_of(scenarios)
    state = model.state
    acceptance = new_homes.presale_acceptance(np.array([0.0, 0.1, 0.5]), aversion=3.0)
    assert acceptance == pytest.approx(np.exp([0.0, -0.3, -1.5]))
    state.projects = [p for p in state.projects if not (p.started and not p.completed)]   # nothing unfinished
    assert new_homes.stalled_share(state) == pytest.approx(np.zeros(state.n_districts))
    for problem in (True, False, False, False):
        pr = Project(pid=state.next_project_id(), developer_id=state.developers[0].unique_id, district=0, units=5,
                     unit_area=90.0, land_ha=0.1, land_cost=1e6, price=5000.0, start_month=0, progress=0.5,
                     problem=problem)
        state.add_project(state.developers[0], pr)
    assert new_homes.stalled_share(state)[0] == pytest.approx(0.25)


def test_a_buyer_wary_of_presale_buys_only_a_completed_home(scenarios):
    """With every district's stalled share at 1 and a large aversion nobody accepts a presold home: buyers buy
    completed homes only; at aversion 0 the same buyers buy presold homes too."""
    from sim.markets import clearing
    from sim.markets.buyers import Buyers
    from sim.state import households as hh

    def bought_presold(aversion: float) -> tuple[int, int]:
        model = model_of(scenarios, {"demand.presale_aversion": aversion})
        state = model.state
        for pr in state.projects:
            pr.available_at_month_start = pr.saleable_units if state.may_sell(pr) else 0
        on_sale = [pr for pr in state.projects if pr.available_at_month_start > 0]
        assert any(pr.completed for pr in on_sale) and any(not pr.completed for pr in on_sale)
        stalled = Project(pid=state.next_project_id(), developer_id=state.developers[0].unique_id, district=0,
                          units=1, unit_area=90.0, land_ha=0.1, land_cost=1e6, price=5000.0, start_month=0,
                          progress=0.5, problem=True)
        state.add_project(state.developers[0], stalled)
        original = new_homes.stalled_share
        new_homes.stalled_share = lambda s: np.ones(s.n_districts)
        try:
            n = 400     # well-off buyers from outside the city, in the districts with homes on offer
            district = np.resize(np.unique([pr.district for pr in on_sale]), n)
            buyers = Buyers(row=np.full(n, -1), district=district, budget=np.full(n, 1e9), loan_limit=np.zeros(n),
                            down_payment=np.ones(n), rate=np.full(n, 0.05), provident=np.zeros(n, dtype=bool),
                            motive=np.full(n, hh.NON_RESIDENT), new_only=np.zeros(n, dtype=bool),
                            wants_new=np.ones(n, dtype=bool))
            sold_before = {pr.pid: pr.sold_units for pr in on_sale}
            clearing.clear_new(state, buyers, on_sale, model.streams)
        finally:
            new_homes.stalled_share = original
        presold = sum(pr.sold_units - sold_before[pr.pid] for pr in on_sale if not pr.completed)
        completed = sum(pr.sold_units - sold_before[pr.pid] for pr in on_sale if pr.completed)
        return presold, completed

    presold, completed = bought_presold(50.0)
    assert presold == 0 and completed > 0
    presold, _ = bought_presold(0.0)
    assert presold > 0


def test_the_group_takes_a_share_of_presale_money_outside_escrow_and_supervision_limits_what_it_takes(scenarios):
    """Buyers of a presold home pay part into escrow and part to the developer; the group takes
    presale_sweep_share of that free part at once. Looser supervision leaves more of a sale free, so more is
    taken; a completed home's receipts are not presale money and stay; the books add up."""
    from sim.markets import settlement
    from sim.markets.buyers import Buyers
    from sim.state import households as hh

    loose = {"escrow.supervised_multiple": 0.6, "escrow.red_line_supervised_multiple": 0.78}

    def sale(overrides: dict, completed: bool) -> tuple[float, float]:
        model = model_of(scenarios, overrides)
        state = model.state
        pr = next(p for p in state.projects if p.completed == completed and p.saleable_units >= 3
                  and p.developer_id >= 0)
        dev = state.developer(pr.developer_id)
        dev.cash = 1e9
        dev.start_month()
        n = 3
        buyers = Buyers(row=np.full(n, -1), district=np.full(n, pr.district), budget=np.full(n, 1e9),
                        loan_limit=np.zeros(n), down_payment=np.ones(n), rate=np.full(n, 0.05),
                        provident=np.zeros(n, dtype=bool), motive=np.full(n, hh.NON_RESIDENT),
                        new_only=np.zeros(n, dtype=bool), wants_new=np.ones(n, dtype=bool))
        settlement.settle_new(state, buyers, np.zeros(n, dtype=int), [pr])
        assert dev.cash_flow_residual() == pytest.approx(0.0, abs=1e-3)
        return dev.ledger["receipts_free"], dev.ledger["upstreamed"]

    free, taken = sale({"developers.presale_sweep_share": [0.5] * 10}, completed=False)
    assert free > 0 and taken == pytest.approx(0.5 * free)
    free_loose, taken_loose = sale({"developers.presale_sweep_share": [0.5] * 10, **loose}, completed=False)
    assert free_loose > free and taken_loose > taken
    assert sale({"developers.presale_sweep_share": [0.0] * 10}, completed=False)[1] == 0.0
    free_done, taken_done = sale({"developers.presale_sweep_share": [0.5] * 10}, completed=True)
    assert free_done > 0 and taken_done == 0.0
