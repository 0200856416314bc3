"""The "three red lines" (三道红线) on developers' balance sheets, seed 000 三(一)5 and the national rule
(中国人民银行、住房和城乡建设部《重点房地产企业资金监测和融资管理规则》, 2020-08-20).

1. liabilities excluding advance receipts / assets excluding advance receipts > 70 %
2. net debt / equity > 100 %
3. cash / short-term debt < 1
The number of lines crossed puts a developer in a tier (0 green, 1 yellow, 2 orange, 3 red) that caps the
growth of its interest-bearing debt over the previous year-end (15 / 10 / 5 / 0 % a year); the base is the debt
developers actually carry (they roll debt over, ``Developer.target_debt``), not a balance swept to zero.
The cap limits the credit that finances expansion — land and new starts (``Developer.funds_to_spare``) — not the
credit a project already under way draws for its own construction bills, nor the interest on debt already owed
(``Developer.borrowing_headroom(capped=False)``): the plan asks the red lines to 杜绝问题楼盘增量 (000 三(一)5), and
a cap that stopped buildings already presold would make the problem projects it is there to prevent. This reading
is the model's (the national rule caps all interest-bearing debt; in practice lenders rolled over and extended
project loans to finish presold homes, 保交楼).

踩线: from ``[red_lines] start_year`` a developer crossing at least ``[red_lines] min_lines`` lines (1 in the plan
scenarios: the national rule tiers developers by lines touched, 触线, and a yellow-tier developer has 踩线) is
under the plan's measures for 脚踩"三道红线" developers (000 三(一)5), each in its rule's home:
- a higher supervised presale amount (``policy.escrow``, 提高预售资金监管额度);
- a higher construction progress for presale, or completed-home sales only (``policy.presale``, 提高商品房预售
  工程建设形象进度要求、现房销售);
- no early release of escrow (``policy.escrow``: the early release is for developers 信用良好, 000 三(一)4);
- land bought from its own funds only (``land_from_own_funds`` below: 对重点监管房地产企业购地资金实施穿透式核查).
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


def is_red_line_developer(state: CityState, lines_crossed: int) -> bool:
    """The red-line rules apply to this developer this month: the rule is in force and it crosses enough lines."""
    rl = state.params.red_lines
    return state.year >= rl.start_year and lines_crossed >= rl.min_lines


def land_from_own_funds(state: CityState, lines_crossed: int) -> bool:
    """购地资金穿透式核查 (000 三(一)5): a developer under the red-line measures (重点监管) pays for land from its
    own cash; borrowed money may not buy land."""
    return is_red_line_developer(state, lines_crossed)
