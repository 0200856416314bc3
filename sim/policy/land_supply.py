"""Land supply throttled by the destocking cycle, one rule for both plans.

- Panzhihua (seed 000 三(一)3 加强房地联动): four bands <6, 6–12, 12–18, >18 months; a band acts only after
  the cycle has stayed in it for 3 consecutive months (连续3个月), per 县（区）.
- Anshan (seed 002 四(五), national 住宅用地五类目标调控): five bands <6, 6–12, 12–18, 18–36, ≥36 months.

Both are a ``BandRule``: band edges (months), one multiplier per band applied to the planned supply, and the
number of consecutive months a band must hold before it becomes the acting band. Bands are right-open:
a cycle of exactly 12 months is in the 12–18 band.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class BandRule:
    edges: tuple[float, ...]          # months, increasing
    multipliers: tuple[float, ...]    # len(edges) + 1, ratio to the planned supply
    persistence_months: int           # consecutive months a band must hold before it acts

    def band_of(self, cycle: np.ndarray) -> np.ndarray:
        """Band index (0 = shortest cycle) of each district's destocking cycle."""
        return np.digitize(np.asarray(cycle, dtype=float), self.edges, right=False)


class LandSupplyMonitor:
    """Per-district state of the rule: the band seen last month, how long it has held, the acting band."""

    def __init__(self, rule: BandRule, initial_cycle: np.ndarray) -> None:
        self.rule = rule
        first = rule.band_of(initial_cycle)
        self.candidate = first.copy()
        self.run_length = np.full(first.shape, rule.persistence_months, dtype=int)
        self.acting = first.copy()  # the starting cycle is taken as having held

    def update(self, cycle: np.ndarray) -> np.ndarray:
        """Feed this month's cycles; returns the multiplier acting in each district."""
        band = self.rule.band_of(cycle)
        same = band == self.candidate
        self.run_length = np.where(same, self.run_length + 1, 1)
        self.candidate = band
        held = self.run_length >= self.rule.persistence_months
        self.acting = np.where(held, band, self.acting)
        return np.asarray(self.rule.multipliers, dtype=float)[self.acting]
