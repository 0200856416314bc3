"""Presale permits (预售许可) with a construction-progress threshold, seed 000 三(一)3 and 三(一)5.

A project may presell once its construction progress reaches the threshold. For developers that cross the
"three red lines" the threshold is raised ('提高商品房预售工程建设形象进度要求'), or only completed homes may be
sold (现房销售) when that option is on. Where the plan links the presale standard to the destocking cycle
('调整预售许可标准对建设工程进度的要求'), the threshold is lowered by a step when the district's cycle is short
and raised by a step when it is long.
"""
from __future__ import annotations

import numpy as np

from ..state.city import CityState
from ..state.developers import FAILED
from .red_lines import crosses_enough

COMPLETED = 1.0


def progress_threshold(lines_crossed: np.ndarray, cycle: np.ndarray, *, normal: float, red_line: float,
                       completed_only: bool, min_lines: int, relax_below: float, tighten_above: float,
                       step: float) -> np.ndarray:
    """Construction progress (share 0–1) a project needs for a presale permit."""
    red = crosses_enough(lines_crossed, min_lines)
    base = np.where(red, COMPLETED if completed_only else red_line, normal)
    cycle = np.asarray(cycle, dtype=float)
    adjust = np.where(cycle < relax_below, -step, np.where(cycle > tighten_above, step, 0.0))
    # completed-only sales are a hard rule: the cycle does not relax them
    return np.where(red & completed_only, COMPLETED, np.clip(base + adjust, 0.0, COMPLETED))


def issue_permits(state: CityState, cycles: np.ndarray) -> None:
    """Started projects that reach their threshold get a presale permit (their area counts as supply, 万㎡
    达到销售条件) and start selling at the district's market price.

    cycles: each district's destocking cycle (months). The red-line threshold here applies to developers crossing
    ``[red_lines] min_lines`` whatever the year."""
    ps, min_lines = state.params.presale, state.params.red_lines.min_lines
    for pr in state.projects:
        if pr.permitted or not pr.started:
            continue
        dev = state.developer(pr.developer_id)
        if dev.status == FAILED and not pr.rescued:     # nothing is presold by a failed developer until a rescue
            continue
        threshold = progress_threshold(
            np.array([dev.lines]), np.array([cycles[pr.district]]), normal=ps.progress_threshold,
            red_line=ps.red_line_progress_threshold, completed_only=ps.red_line_completed_only,
            min_lines=min_lines, relax_below=ps.relax_below_cycle,
            tighten_above=ps.tighten_above_cycle, step=ps.cycle_threshold_step)[0]
        if pr.progress + 1e-9 >= threshold:
            pr.permitted = True
            pr.price = float(state.new_price[pr.district])
            state.flows.supply_area[pr.district] += pr.area
