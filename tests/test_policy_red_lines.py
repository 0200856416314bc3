"""The three red lines: ratios, tiers, and the cap they put on debt growth."""
from __future__ import annotations

import math

import pytest

from sim.policy import red_lines

LIMITS = dict(liability_max=0.7, gearing_max=1.0, cash_short_min=1.0)
CAPS = [0.15, 0.10, 0.05, 0.0]


def test_ratios_from_a_balance_sheet():
    # assets 100, liabilities 80 of which advance receipts 30, cash 10, debt 50, short debt 20
    r = red_lines.ratios(assets=100, liabilities=80, advance_receipts=30, cash=10, debt=50, short_debt=20)
    assert r.liability_ratio == pytest.approx(50 / 70)
    assert r.net_gearing == pytest.approx(40 / 20)
    assert r.cash_to_short_debt == pytest.approx(0.5)
    assert red_lines.lines_crossed(r, **LIMITS) == 3


@pytest.mark.parametrize("sheet, lines", [
    (dict(assets=100, liabilities=40, advance_receipts=10, cash=30, debt=30, short_debt=10), 0),
    # liability ratio exactly 0.7 is not over the line; net gearing 40/30 is
    (dict(assets=100, liabilities=70, advance_receipts=0, cash=30, debt=70, short_debt=10), 1),
    (dict(assets=100, liabilities=75, advance_receipts=0, cash=30, debt=75, short_debt=10), 2),
    (dict(assets=100, liabilities=75, advance_receipts=0, cash=5, debt=75, short_debt=10), 3),
])
def test_tiers(sheet, lines):
    r = red_lines.ratios(**sheet)
    assert red_lines.lines_crossed(r, **LIMITS) == lines
    assert red_lines.debt_growth_cap(lines, CAPS) == CAPS[lines]


def test_negative_equity_counts_as_over_geared():
    r = red_lines.ratios(assets=50, liabilities=60, advance_receipts=0, cash=5, debt=60, short_debt=0)
    assert math.isinf(r.net_gearing) and math.isinf(r.cash_to_short_debt)


def test_developer_debt_growth_is_capped_by_tier(scenarios):
    from sim.model import HousingMarketModel

    model = HousingMarketModel(scenarios["panzhihua"], seed=2, scale=100)
    model.state.calendar.month = 12 * (model.state.params.red_lines.start_year - 2016)   # inside the red-line regime
    dev = max(model.state.developers, key=lambda d: d.assets())
    dev.debt_at_year_start = dev.debt
    for lines, cap in enumerate(CAPS):
        dev.lines = lines
        assert dev.borrowing_headroom() <= dev.debt_at_year_start * cap + 1e-6
    dev.lines = 0
    before = dev.debt
    dev.borrow(1e15)
    assert dev.debt <= before * 1.15 + 1e-6


def _in_force(scenarios, city="panzhihua", overrides=None):
    from sim.model import HousingMarketModel

    model = HousingMarketModel(scenarios[city].with_overrides(overrides or {}), seed=2, scale=100)
    model.state.calendar.month = 12 * (model.state.params.red_lines.start_year - 2016)
    return model


def test_a_developer_crossing_one_line_is_under_the_measures(scenarios):
    """踩线 = one line touched: the supervised amount, the land-fund check apply; with no line crossed they do not."""
    from sim.policy import escrow

    model = _in_force(scenarios)
    state = model.state
    dev = state.developers[0]
    pr = dev.projects[0]
    for lines, red in ((0, False), (1, True)):
        dev.lines = lines
        assert red_lines.is_red_line_developer(state, lines) is red
        assert red_lines.land_from_own_funds(state, lines) is red
        before = pr.escrow_deposits
        escrow.deposit_sale(state, pr, dev, value=1e7, area=1000.0)
        es, cost = state.params.escrow, state.params.developers.build_cost
        multiple = es.red_line_supervised_multiple if red else es.supervised_multiple
        assert pr.escrow_deposits - before == pytest.approx(min(1e7, 1000.0 * cost * multiple))


def test_spare_cash_repays_debt_only_down_to_its_target(scenarios):
    """Developers roll debt over: spare cash repays debt above the target share of assets, so the cap has a
    base; with a zero target the same cash sweeps the debt away."""
    def debt_after_windfall(target: float) -> tuple[float, float, float]:
        model = _in_force(scenarios, overrides={"developers.target_debt_to_assets": target})
        dev = max(model.state.developers, key=lambda d: d.assets())
        before = dev.debt
        dev.cash += 3 * dev.debt
        dev.step()
        return before, dev.debt, dev.target_debt()

    before, kept, target = debt_after_windfall(0.3)
    assert 0 < before < target and kept == pytest.approx(before)     # below its target: nothing repaid
    before, kept, target = debt_after_windfall(0.1)
    assert kept < before and kept == pytest.approx(target, rel=0.1)   # above it: repaid down to about the target
    _, swept, _ = debt_after_windfall(0.0)
    assert swept == pytest.approx(0.0, abs=1e-6)


def test_a_developer_held_by_the_cap_leaves_land_waiting_rather_than_stall(scenarios):
    """A developer with no cash and no room under its debt cap does not start a new project: the land waits and
    no problem project is counted."""
    from sim.state.projects import Project

    model = _in_force(scenarios)
    state = model.state
    dev = state.developers[0]
    dev.lines = 3                          # red tier: no debt growth
    dev.debt_at_year_start = dev.debt
    dev.cash = 0.0
    pr = Project(pid=state.next_project_id(), developer_id=dev.unique_id, district=0, units=10, unit_area=90.0,
                 land_ha=0.1, land_cost=1e6, price=5000.0, start_month=state.month)
    state.add_project(dev, pr)
    for _ in range(3):                     # (fewer months than it takes arrears to fail it)
        dev.step()
    assert not pr.started and not pr.problem
    # the same project starts once the developer has the money to build it to presale
    dev.cash = 10 * dev.cost_to_presale(pr.area) + 10 * sum(p.area for p in dev.projects) * 3000.0
    dev.arrears_months = 0
    dev.step()
    assert pr.started


def test_the_cap_limits_expansion_not_the_completion_of_started_projects(scenarios):
    """A red-tier developer (no debt growth) with no cash still pays a started project's construction bill and
    its interest from credit within the lenders' limit, but cannot borrow for land."""
    model = _in_force(scenarios)
    dev = max(model.state.developers, key=lambda d: d.assets())
    dev.lines = 3
    dev.debt_at_year_start = dev.debt
    dev.cash = 0.0
    bill = 0.5 * dev.borrowing_headroom(capped=False)
    assert dev.borrowing_headroom() == 0.0 and bill > 0
    assert not dev.pay("land", bill)
    assert dev.pay("construction", bill, capped=False)
    assert dev.debt == pytest.approx(dev.debt_at_year_start + bill) and dev.cash == pytest.approx(0.0)


def test_a_loan_raised_for_a_bill_pays_the_bill_not_the_arrears(scenarios):
    """A developer in arrears (negative cash) that borrows for a construction bill pays the bill; its arrears
    stay as they were rather than swallow the loan and leave the bill unpaid."""
    model = _in_force(scenarios)
    dev = max(model.state.developers, key=lambda d: d.assets())
    dev.cash = -1e5
    bill = 0.5 * dev.borrowing_headroom(capped=False)
    assert dev.pay("construction", bill, capped=False)
    assert dev.cash == pytest.approx(-1e5)


def test_a_red_line_developer_buys_land_only_with_its_own_cash(scenarios):
    """购地资金穿透式核查 in the auction: with cash for its own share of a parcel but not for all of it, a developer
    outside the red lines wins the parcel on credit; one on the lines does not bid, and pays no land with debt."""
    import numpy as np

    from sim.config.schema import M2_PER_HA
    from sim.markets import land

    def auction_with(lines: int) -> tuple[float, float]:
        # land worth more than its reserve to every bidder (no margin required, no spread of valuations): the lone
        # bidder pays the reserve
        model = _in_force(scenarios, overrides={"developers.max_pipeline_months": 240,
                                                "developers.required_margin": 0.0, "developers.bid_dispersion": 0.0})
        state = model.state
        p = state.params.developers
        parcel_ha = state.params.land_supply.parcel_size / state.scale
        floor_area = parcel_ha * M2_PER_HA * p.plot_ratio
        units = max(int(round(floor_area / state.unit_size)), 1)
        price = p.land_cost_share * state.new_price[0] * units * state.unit_size
        for dev in state.developers:
            dev.cash = 0.0                                  # nobody else can bid
        bidder = state.developers[0]
        bidder.lines = lines
        bidder.cash = (1 - p.land_debt_share / 2) * price   # its own share, not the whole price
        bidder.borrowing_headroom = lambda capped=True: 1e12
        debt = bidder.debt
        parcels = np.zeros(state.n_districts, dtype=int)
        parcels[0] = 1
        sold = land.auction(state, parcels, parcel_ha, model.streams.land_auction)
        return sold, bidder.debt - debt

    sold, borrowed = auction_with(lines=0)
    assert sold > 0 and borrowed > 0           # bought partly on credit
    sold, borrowed = auction_with(lines=1)
    assert sold == 0 and borrowed == 0
