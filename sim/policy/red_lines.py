"""The "three red lines" (三道红线) on developers' balance sheets, seed 000 三(一)5 and the national rule.

1. liabilities excluding advance receipts / assets excluding advance receipts > 70 %
2. net debt / equity > 100 %
3. cash / short-term debt < 1
The number of lines crossed puts a developer in a tier (0 green, 1 yellow, 2 orange, 3 red) that caps the
growth of its interest-bearing debt (15 / 10 / 5 / 0 % a year).

Membership: from ``[red_lines] start_year`` a developer crossing at least ``[red_lines] min_lines`` lines is a
red-line developer (脚踩"三道红线", 000 三(一)5); the escrow and presale rules tighten for it.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..state.city import CityState


@dataclass(frozen=True)
class RedLineRatios:
    liability_ratio: float   # (liabilities − advance receipts) / (assets − advance receipts)
    net_gearing: float       # (debt − cash) / equity; inf when equity ≤ 0 and net debt > 0
    cash_to_short_debt: float  # cash / short-term debt; inf when there is no short-term debt


def ratios(assets: float, liabilities: float, advance_receipts: float, cash: float, debt: float,
           short_debt: float) -> RedLineRatios:
    """The three ratios from a balance sheet (all in 元)."""
    adj_assets = assets - advance_receipts
    liability_ratio = (liabilities - advance_receipts) / adj_assets if adj_assets > 0 else np.inf
    equity = assets - liabilities
    net_debt = debt - cash
    if equity > 0:
        gearing = net_debt / equity
    else:
        gearing = np.inf if net_debt > 0 else 0.0
    cash_short = cash / short_debt if short_debt > 0 else np.inf
    return RedLineRatios(liability_ratio, gearing, cash_short)


def lines_crossed(r: RedLineRatios, liability_max: float, gearing_max: float, cash_short_min: float) -> int:
    """How many of the three lines a developer crosses (0–3)."""
    return int(r.liability_ratio > liability_max) + int(r.net_gearing > gearing_max) + int(
        r.cash_to_short_debt < cash_short_min)


def debt_growth_cap(lines: int, caps: list[float]) -> float:
    """Allowed annual growth of interest-bearing debt for a tier (share per year)."""
    return caps[lines]


def crosses_enough(lines_crossed: np.ndarray | int, min_lines: int) -> np.ndarray:
    """Developers crossing at least ``min_lines`` of the three lines."""
    return np.asarray(lines_crossed) >= min_lines


def is_red_line_developer(state: CityState, lines_crossed: int) -> bool:
    """The red-line rules apply to this developer this month: the rule is in force and it crosses enough lines."""
    rl = state.params.red_lines
    return state.year >= rl.start_year and bool(crosses_enough(lines_crossed, rl.min_lines))
