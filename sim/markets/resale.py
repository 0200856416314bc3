"""Resale market (二手房): listings from movers and departing households, cleared every month.

In each district, buyers (in random order) meet listings (in random order) one to one; a pair trades when
the buyer's budget covers the listing's value (floor area × district resale price).
"""
from __future__ import annotations

import numpy as np


def match(buyer_district: np.ndarray, buyer_budget: np.ndarray, listing_district: np.ndarray,
          listing_value: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Listing index (position in the listing arrays) bought by each buyer, -1 if none."""
    choice = np.full(len(buyer_district), -1, dtype=np.int64)
    for d in np.unique(buyer_district):
        b = np.flatnonzero(buyer_district == d)
        b = b[rng.permutation(len(b))]
        lst = np.flatnonzero(listing_district == d)
        lst = lst[rng.permutation(len(lst))]
        m = min(len(b), len(lst))
        ok = buyer_budget[b[:m]] >= listing_value[lst[:m]]
        choice[b[:m][ok]] = lst[:m][ok]
    return choice
