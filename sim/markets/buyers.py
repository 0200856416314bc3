"""This month's buyers, column-wise: who they are, where they look and what they can pay."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Buyers:
    row: np.ndarray         # household row, -1 for a non-resident buyer not yet in the table
    district: np.ndarray
    budget: np.ndarray      # 元: most the buyer can pay for a home
    loan_limit: np.ndarray  # 元
    down_payment: np.ndarray  # share of the price
    rate: np.ndarray        # 1/year, mortgage rate of the loan they would take
    provident: np.ndarray   # bool: the loan is a provident-fund loan
    motive: np.ndarray      # households.FIRST_HOME … NON_RESIDENT
    new_only: np.ndarray    # bool: government-purchase resettlement buys new homes only
    wants_new: np.ndarray   # bool: looks at new homes first

    def __len__(self) -> int:
        return len(self.row)

    def subset(self, idx: np.ndarray) -> Buyers:
        return Buyers(**{k: v[idx] for k, v in self.__dict__.items()})
