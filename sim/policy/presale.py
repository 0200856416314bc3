"""Presale permits (预售许可) with a construction-progress threshold, seed 000 三(一)3 and 三(一)5.

A project may presell once its construction progress reaches the threshold. For developers that cross the
"three red lines" the threshold is raised ('提高商品房预售工程建设形象进度要求'), or only completed homes may be
sold (现房销售) when that option is on. Where the plan links the presale standard to the destocking cycle
('调整预售许可标准对建设工程进度的要求'), the threshold is lowered by a step when the district's cycle is short
and raised by a step when it is long.
"""
from __future__ import annotations

import numpy as np

COMPLETED = 1.0


def is_red_line_developer(lines_crossed: np.ndarray, min_lines: int) -> np.ndarray:
    """A developer 'stepping on the red lines' crosses at least ``min_lines`` of the three."""
    return np.asarray(lines_crossed) >= min_lines


def progress_threshold(lines_crossed: np.ndarray, cycle: np.ndarray, *, normal: float, red_line: float,
                       completed_only: bool, min_lines: int, relax_below: float, tighten_above: float,
                       step: float) -> np.ndarray:
    """Construction progress (share 0–1) a project needs for a presale permit."""
    red = is_red_line_developer(lines_crossed, min_lines)
    base = np.where(red, COMPLETED if completed_only else red_line, normal)
    cycle = np.asarray(cycle, dtype=float)
    adjust = np.where(cycle < relax_below, -step, np.where(cycle > tighten_above, step, 0.0))
    # completed-only sales are a hard rule: the cycle does not relax them
    return np.where(red & completed_only, COMPLETED, np.clip(base + adjust, 0.0, COMPLETED))
