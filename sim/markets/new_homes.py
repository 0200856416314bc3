"""New-home market (presale and completed), cleared every month.

Each buyer picks one home among those on offer in its district that it can afford, every such home equally
likely, so a project draws buyers in proportion to its saleable units among the homes a buyer can pay for
(a random-utility choice with tastes — location, layout, builder — unknown to the model). Cheaper projects
still draw more buyers, since more budgets cover them, but the market does not run down the price ladder
cheapest-first, which drove every project's asking price to its cost floor. A project asked by more buyers
than it has units keeps them in random order; the rest choose again among the homes left. Everything is
vectorised over buyers; the rounds are bounded by the number of projects.

Buyers see stalled projects: a buyer accepts a presold (unfinished) home with probability
exp(−``presale_aversion`` × the share of its district's unfinished projects that are stalled and not yet taken
over, ``presale_acceptance``); one who does not buys only among completed homes, or turns to resale. After the
stalled projects of 2021–2022 buyers turned from presold to completed homes; supervision that keeps projects
finished thus keeps presale demand.
"""
from __future__ import annotations

import numpy as np

from ..state.city import CityState


def allocate(buyer_district: np.ndarray, buyer_budget: np.ndarray, project_district: np.ndarray,
             project_value: np.ndarray, project_saleable: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Project index bought by each buyer, -1 if none.

    project_value: price of one home in the project (元); project_saleable: units it may sell now.
    """
    n_buyers, n_projects = len(buyer_district), len(project_district)
    choice = np.full(n_buyers, -1, dtype=np.int64)
    if n_buyers == 0 or n_projects == 0:
        return choice
    # projects sorted by (district, value): a buyer's affordable homes are one contiguous run of them
    order = np.lexsort((project_value, project_district))
    district, value = project_district[order], project_value[order]
    remaining = np.asarray(project_saleable, dtype=np.int64)[order].clip(min=0)
    first = np.searchsorted(district, buyer_district, side="left")
    last = _affordable_end(district, value, buyer_district, buyer_budget, first)
    for _ in range(n_projects + 1):
        cum = np.concatenate(([0], np.cumsum(remaining)))
        low, high = cum[first], cum[last]
        seeking = np.flatnonzero((choice < 0) & (high > low))
        if not len(seeking):
            break
        draw = low[seeking] + np.floor(rng.random(len(seeking)) * (high[seeking] - low[seeking])).astype(np.int64)
        picked = np.searchsorted(cum, draw, side="right") - 1
        # random priority among buyers of the same project: rank within project after a random shuffle
        shuffled = rng.permutation(len(seeking))
        by_project = shuffled[np.argsort(picked[shuffled], kind="stable")]
        sorted_projects = picked[by_project]
        starts = np.searchsorted(sorted_projects, sorted_projects, side="left")
        rank = np.arange(len(by_project)) - starts
        keep = rank < remaining[sorted_projects]
        winners = by_project[keep]
        choice[seeking[winners]] = picked[winners]
        remaining -= np.bincount(picked[winners], minlength=n_projects)
    out = np.full(n_buyers, -1, dtype=np.int64)
    bought = choice >= 0
    out[bought] = order[choice[bought]]
    return out


def _affordable_end(district: np.ndarray, value: np.ndarray, buyer_district: np.ndarray,
                    buyer_budget: np.ndarray, first: np.ndarray) -> np.ndarray:
    """One past the last project (in (district, value) order) of each buyer's district that it can afford."""
    # one increasing key across districts: district × 2·span + (value − min) keeps each district's block apart
    span = float(value.max() - value.min()) + 1.0
    key = district.astype(float) * span * 2 + (value - value.min())
    budget_key = buyer_district.astype(float) * span * 2 + np.clip(buyer_budget - value.min(), -1.0, span)
    return np.maximum(np.searchsorted(key, budget_key, side="right"), first)


def stalled_share(state: CityState) -> np.ndarray:
    """Per district: share of the unfinished projects (started, not completed) that are stalled problem projects
    not yet taken over (0 where none is unfinished)."""
    unfinished = [pr for pr in state.projects if pr.started and not pr.completed]
    district = np.array([pr.district for pr in unfinished], dtype=np.int64)
    stalled = np.array([pr.problem and not pr.rescued for pr in unfinished], dtype=float)
    total = np.bincount(district, minlength=state.n_districts)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, np.bincount(district, weights=stalled, minlength=state.n_districts) / total, 0.0)


def presale_acceptance(stalled: np.ndarray, aversion: float) -> np.ndarray:
    """Probability a new-home buyer accepts a presold home, per district: exp(−aversion × stalled share)."""
    return np.exp(-aversion * np.asarray(stalled, dtype=float))
