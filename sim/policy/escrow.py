"""Presale-fund escrow (预售资金监管), seed 000 三(一)4–5.

Buyers' payments for presold homes go to a supervised account up to the supervised amount per m², which is a
multiple of the city's construction-and-installation cost (建安成本; raised for red-line developers). The account
pays the project's own construction bills first — "根据项目实际进度，对照工程款用款计划拨付预售资金 … 确保购房款优先
用于项目建设" (000 三(一)4) — so supervision protects completion. What the bills leave is released to the
developer by construction-progress node: at each node a cumulative share of everything deposited becomes free
(construction already paid from the account counts towards it). A cash-short developer in good credit may have
its nodes brought forward ('可适当调整监管资金拨付节点'). A problem project taken over by the government is
finished from its escrow first (``policy.problem_projects``).

Amounts in 元 at model scale.
"""
from __future__ import annotations

import numpy as np

from ..state.city import CityState
from ..state.developers import DISTRESSED, FAILED, DeveloperView
from ..state.projects import Project
from .red_lines import is_red_line_developer


def supervised_amount(build_cost: float, multiple: float) -> float:
    """Supervised amount per m² of presold floor area (元/㎡)."""
    return build_cost * multiple


def split_payment(value: np.ndarray, area: np.ndarray, supervised_per_m2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Split purchase payments (元) into (escrow deposit, free cash to the developer)."""
    value = np.asarray(value, dtype=float)
    escrow = np.minimum(value, np.asarray(area, dtype=float) * supervised_per_m2)
    return escrow, value - escrow


def released_share(progress: np.ndarray, nodes: list[float], shares: list[float],
                   shift: np.ndarray | float = 0.0) -> np.ndarray:
    """Cumulative share of deposits released at a construction progress (0–1).

    ``shift`` (share of progress) brings every node forward by that much, for early release.
    """
    effective = np.minimum(np.asarray(progress, dtype=float) + shift, 1.0)
    idx = np.searchsorted(np.asarray(nodes), effective + 1e-12, side="right")
    table = np.concatenate([[0.0], shares])
    return table[idx]


def release(deposits: np.ndarray, released: np.ndarray, progress: np.ndarray, nodes: list[float],
            shares: list[float], shift: np.ndarray | float = 0.0) -> np.ndarray:
    """Amount (元) to release now so that released/deposits reaches the node share for the progress."""
    due = np.asarray(deposits, dtype=float) * released_share(progress, nodes, shares, shift)
    return np.maximum(due - np.asarray(released, dtype=float), 0.0)


def deposit_sale(state: CityState, pr: Project, developer: DeveloperView, value: float, area: float) -> float:
    """Buyers pay ``value`` 元 for ``area`` m² of presold homes in ``pr``: the supervised part goes to the
    project's escrow account; returns the part paid freely to the developer."""
    es = state.params.escrow
    multiple = (es.red_line_supervised_multiple if is_red_line_developer(state, developer.lines)
                else es.supervised_multiple)
    per_m2 = supervised_amount(state.params.developers.build_cost, multiple)
    deposit = min(value, area * per_m2)      # split_payment for one payment
    pr.escrow_deposits += deposit
    state.city_flows.escrow_deposits += deposit
    return value - deposit


def construction_from_escrow(pr: Project, cost: float) -> float:
    """元 of this month's construction bill ``cost`` that the project's supervised account pays: all of it, up to
    the balance (专款专用)."""
    return max(min(cost, pr.escrow_balance), 0.0)


def pay_out(state: CityState, pr: Project, amount: float) -> None:
    """``amount`` 元 leaves the project's escrow account."""
    pr.escrow_released += amount
    state.city_flows.escrow_releases += amount


def release_by_progress(state: CityState) -> None:
    """Each month, every project's escrow is released up to its construction node's share; a distressed
    developer outside the red lines has its nodes brought forward; a failed developer gets nothing."""
    es = state.params.escrow
    holding = [pr for pr in state.projects if pr.escrow_deposits > pr.escrow_released]
    if not holding:
        return
    developers = [state.developer(pr.developer_id) for pr in holding]
    shift = np.array([es.early_release_shift if dev.status == DISTRESSED and not is_red_line_developer(state, dev.lines)
                      else 0.0 for dev in developers])   # good credit, short of cash
    amounts = release(np.array([pr.escrow_deposits for pr in holding]),
                      np.array([pr.escrow_released for pr in holding]),
                      np.array([pr.progress for pr in holding]), es.release_progress, es.release_share, shift)
    for pr, dev, amount in zip(holding, developers, amounts.tolist(), strict=True):
        if amount > 0 and dev.status != FAILED:
            pay_out(state, pr, amount)
            dev.receive("escrow_released", amount)
