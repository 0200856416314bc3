"""The model's calendar: one step is one month, 2016-01 … 2025-12 (the plans' 13th and 14th Five-Year periods)."""
from __future__ import annotations

import numpy as np

from ..config.schema import YEARS

START_YEAR = YEARS[0]
MONTHS_PER_YEAR = 12
N_MONTHS = MONTHS_PER_YEAR * len(YEARS)


class Calendar:
    """The month being simulated (0 = 2016-01), and the fractions carried by planned monthly quantities."""

    def __init__(self) -> None:
        self.month = 0
        self._carry: dict[str, np.ndarray | float] = {}

    @property
    def year(self) -> int:
        return START_YEAR + self.month // MONTHS_PER_YEAR

    @property
    def year_index(self) -> int:
        """Position of this year in the scenario's per-year series (0 = 2016)."""
        return self.month // MONTHS_PER_YEAR

    @property
    def month_of_year(self) -> int:
        """0 = January."""
        return self.month % MONTHS_PER_YEAR

    @property
    def finished(self) -> bool:
        return self.month >= N_MONTHS

    def advance(self) -> None:
        self.month += 1

    def scheduled(self, key: str, amount: np.ndarray | float) -> np.ndarray | int:
        """Whole units due this month of a planned quantity (``amount`` units this month, fractional), carrying
        the fractions to the next month so that yearly totals are exact."""
        total = self._carry.get(key, 0.0) + np.asarray(amount, dtype=float)
        whole = np.floor(total + 1e-9)
        self._carry[key] = total - whole
        return whole.astype(int) if np.ndim(whole) else int(whole)
