"""Households, column-wise: one row per household (``scale`` real households per row at scale > 1).

Rows are removed when a household dissolves or leaves the city; ``hid`` is a stable id that only grows, so
``hid`` stays sorted and a row can be found from an id with ``searchsorted``.
"""
from __future__ import annotations

import numpy as np

from .tables import ColumnTable

# tenure
OWNER, RENTER, PUBLIC_TENANT, NO_DWELLING = range(4)
# purchase motive of a pending (presale) purchase
FIRST_HOME, UPGRADE, SECOND_HOME, RESETTLED, NON_RESIDENT = range(5)
# compensated buyers from shantytown redevelopment
MUST_BUY_NONE, MUST_BUY_ANY, MUST_BUY_NEW = range(3)

HOUSEHOLD_COLUMNS = {
    "hid": np.int64,
    "district": np.int8,
    "size": np.int16,               # persons
    "income": np.float64,           # 元/year, disposable
    "savings": np.float64,          # 元
    "voucher": np.float64,          # 元 of redevelopment compensation that must go into a home
    "must_buy": np.int8,            # MUST_BUY_* for shantytown households awaiting a home
    "tenure": np.int8,
    "subsidy": np.bool_,            # receives a rental subsidy
    "dwelling": np.int64,           # dwelling lived in, -1 none
    "n_owned": np.int16,            # dwellings owned (including presold, undelivered ones)
    "mortgage_balance": np.float64,  # 元
    "mortgage_payment": np.float64,  # 元/month
    "mortgage_rate": np.float64,     # 1/year
    "resident": np.bool_,           # False for non-resident buyers (市外购房者)
    "pf_member": np.bool_,          # contributes to the housing provident fund (公积金)
    "pending_project": np.int32,    # presale purchase awaiting delivery, -1 none
    "pending_motive": np.int8,
    "applied_month": np.int16,      # month of application for rental support, -1 none
    "arrived_month": np.int16,      # month the household formed or moved to the city; ARRIVED_BEFORE_START
}
ARRIVED_BEFORE_START = -10_000      # households living in the city in 2016-01


class HouseholdTable(ColumnTable, columns=HOUSEHOLD_COLUMNS):
    def __init__(self, capacity: int = 1024) -> None:
        super().__init__(HOUSEHOLD_COLUMNS, capacity)
        self.next_hid = 0

    def add(self, count: int, **values: np.ndarray | float | int) -> np.ndarray:
        """Append households with fresh ids; unspecified columns take their neutral value."""
        defaults = {"dwelling": -1, "pending_project": -1, "applied_month": -1, "resident": True,
                    "tenure": NO_DWELLING, "arrived_month": ARRIVED_BEFORE_START}
        defaults.update(values)
        rows = self.append(count, hid=np.arange(self.next_hid, self.next_hid + count), **defaults)
        self.next_hid += count
        return rows

    def rows_of(self, hids: np.ndarray) -> np.ndarray:
        """Row index of each household id; -1 where the household is gone."""
        hids = np.asarray(hids)
        if self.n == 0:
            return np.full(len(hids), -1, dtype=np.int64)
        pos = np.minimum(np.searchsorted(self.hid, hids), self.n - 1)
        return np.where(self.hid[pos] == hids, pos, -1)


def lognormal_with_mean(rng: np.random.Generator, mean: float, sigma: float, n: int) -> np.ndarray:
    """Draws whose expected value is ``mean`` (元) with log standard deviation ``sigma``."""
    return rng.lognormal(np.log(mean) - sigma**2 / 2, sigma, n)


def household_sizes(rng: np.random.Generator, mean_size: float, n: int) -> np.ndarray:
    """Persons per household: 1 + Poisson(mean − 1), at most 8."""
    return np.minimum(1 + rng.poisson(max(mean_size - 1.0, 0.0), n), 8).astype(np.int16)
