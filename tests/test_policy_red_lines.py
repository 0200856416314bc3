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
