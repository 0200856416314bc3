"""Presale-fund escrow (预售资金监管), seed 000 三(一)4–5.

Buyers' payments for presold homes go to a supervised account up to the supervised amount per m², which is a
multiple of the city's construction-and-installation cost (建安成本; raised for red-line developers). Deposits
are released to the developer by construction-progress node: at each node a cumulative share of everything
deposited becomes free. A cash-short developer in good credit may have its nodes brought forward
('可适当调整监管资金拨付节点').
"""
from __future__ import annotations

import numpy as np


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
