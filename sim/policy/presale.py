"""Presale permits (预售许可) with a construction-progress threshold, seed 000 三(一)3 and 三(一)5.

A project may presell once its construction progress reaches the threshold. For developers that cross the
"three red lines" (from the rule's start year) the threshold of projects they start is raised
('提高商品房预售工程建设形象进度要求'), or only completed homes may be sold (现房销售) when that option is on.
Where the plan links the presale standard to the destocking cycle ('调整预售许可标准对建设工程进度的要求'), the
threshold is lowered by a step when the district's cycle is short and raised by a step when it is long.
"""
from __future__ import annotations

import numpy as np

from ..state.city import CityState
from ..state.developers import FAILED
from ..state.projects import Project
from .red_lines import is_red_line_developer

COMPLETED = 1.0


def developer_threshold(state: CityState, lines_crossed: int) -> float:
    """Construction progress (share 0–1) a developer's new projects will need for presale before any cycle
    adjustment: the normal threshold, the raised one under the red-line measures, or completion (现房销售)."""
    ps = state.params.presale
    if not is_red_line_developer(state, lines_crossed):
        return ps.progress_threshold
    return COMPLETED if ps.red_line_completed_only else ps.red_line_progress_threshold


def progress_threshold(base: np.ndarray, cycle: np.ndarray, *, relax_below: float, tighten_above: float,
                       step: float) -> np.ndarray:
    """Construction progress (share 0–1) a project needs for a presale permit: its base threshold, a step lower
    when its district's destocking cycle (months) is short and a step higher when it is long. Completed-only
    sales (base 1) are a hard rule the cycle does not relax."""
    base = np.asarray(base, dtype=float)
    cycle = np.asarray(cycle, dtype=float)
    adjust = np.where(cycle < relax_below, -step, np.where(cycle > tighten_above, step, 0.0))
    return np.where(base >= COMPLETED, COMPLETED, np.clip(base + adjust, 0.0, COMPLETED))


def issue_permits(state: CityState, cycles: np.ndarray) -> list[Project]:
    """Started projects that reach their threshold get a presale permit (their area counts as supply, 万㎡
    达到销售条件); returns them, to be priced for launch (``markets.pricing.launch``).

    cycles: each district's destocking cycle (months). A project's base threshold is the one in force for its
    developer when construction started (``Project.presale_threshold``; ``developer_threshold``), so a
    developer plans its funding to presale under a standard that does not move mid-way."""
    ps = state.params.presale
    waiting = [pr for pr in state.projects if not pr.permitted and pr.started
               and (pr.rescued or state.developer(pr.developer_id).status != FAILED)]  # a failed developer presells
    if not waiting:                                                                   # nothing until a rescue
        return []
    district = np.array([pr.district for pr in waiting])
    thresholds = progress_threshold(np.array([pr.presale_threshold for pr in waiting]), cycles[district],
                                    relax_below=ps.relax_below_cycle, tighten_above=ps.tighten_above_cycle,
                                    step=ps.cycle_threshold_step)
    permitted = []
    for pr, threshold in zip(waiting, thresholds.tolist(), strict=True):
        if pr.progress + 1e-9 >= threshold:
            pr.permitted = True
            permitted.append(pr)
            state.flows.supply_area[pr.district] += pr.area
    return permitted
