"""New-home market (presale and completed), cleared every month.

Within each district buyers take the cheapest project they can afford: projects are served in order of
asking price, and each takes up to its saleable units from the buyers (in random order) whose budget covers
one of its homes. Loops run over projects (tens), never over households.
"""
from __future__ import annotations

import numpy as np


def allocate(buyer_district: np.ndarray, buyer_budget: np.ndarray, project_district: np.ndarray,
             project_value: np.ndarray, project_saleable: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Project index bought by each buyer, -1 if none.

    project_value: price of one home in the project (元); project_saleable: units it may sell now.
    """
    choice = np.full(len(buyer_district), -1, dtype=np.int64)
    order = rng.permutation(len(buyer_district))
    for j in np.argsort(project_value, kind="stable"):
        if project_saleable[j] <= 0:
            continue
        open_ = order[(choice[order] < 0) & (buyer_district[order] == project_district[j])
                      & (buyer_budget[order] >= project_value[j])]
        choice[open_[: int(project_saleable[j])]] = j
    return choice
