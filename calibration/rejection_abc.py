"""Rejection ABC on a reference table: the runs nearest the figures, weighted by how near they are.

Of a reference table of runs at parameter sets drawn uniformly from a prior box (``calibration.reference_table``),
the ``accept_share`` whose moments lie nearest the target figures (the plans' own, or a synthetic truth's) by the
calibration distance (``calibration.moments``: root-mean-square log ratio, each indicator weighing 1, each
moment's error in units of its spread over the table's runs) are the posterior sample, weighted by the
Epanechnikov kernel of their distance. Every posterior row is a parameter set the model actually ran.

Why plain rejection, on evidence from Panzhihua's tables (issue 18):

- ABC-SMC's weights collapsed (an effective sample size of 4.4 of 200) because the distance's noise from one seed
  to the next (sd 0.06 at one parameter set, ``benchmarks/abc_degeneracy.py``) is as large as the steps by which
  its threshold fell between late generations (0.03–0.04): a few particles that drew lucky seeds took the weight.
  Rejection on one table has no importance weights to collapse, and every run is used.
- Summaries learnt by a neural network with a local-linear regression adjustment (semi-automatic ABC; tried,
  not kept) gave narrower intervals with honest coverage on synthetic truths, but the adjustment extrapolates
  when the model cannot reproduce every figure at once (Frazier, Robert & Rousseau 2020, JRSS B 82:421): its
  posterior predictive held 52 % of Panzhihua's figures in the 90 % band, against 86 % for rejection on the
  plans' distance from the same runs.
- Rejection's 90 % intervals cover synthetic truths 86–95.5 % of the time for every Panzhihua parameter and
  87.5–96 % for every Anshan one (``calibration.coverage``).
"""
from __future__ import annotations

import numpy as np

from .moments import Moment, distances, moment_scales

ACCEPT_SHARE = 0.1      # share of the table accepted (coverage check: calibration/coverage.py)
MIN_ACCEPTED = 60       # accepted rows at least, for stable weighted quantiles


def accept(errors: np.ndarray, ms: list[Moment], target: np.ndarray | float = 0.0,
           accept_share: float = ACCEPT_SHARE) -> tuple[np.ndarray, np.ndarray, float]:
    """(accepted rows, their normalised weights, the acceptance distance ε) of a table's log errors (runs,
    moments) for the ``target`` figures' log errors (0: the plans' figures), each moment scaled by its spread
    over the table (``moment_scales``)."""
    distance = distances(errors, ms, target, moment_scales(errors))
    n = len(distance)
    k = min(n, max(int(round(accept_share * n)), MIN_ACCEPTED))
    rows = np.argpartition(distance, k - 1)[:k]
    rows = rows[np.argsort(distance[rows], kind="stable")]     # nearest first
    epsilon = float(distance[rows[-1]])
    weights = 1.0 - (distance[rows] / (epsilon * (1 + 1e-9) or 1.0)) ** 2
    return rows, weights / weights.sum(), epsilon


def weighted_quantiles(values: np.ndarray, weights: np.ndarray, qs: tuple[float, ...]) -> np.ndarray:
    """Weighted quantiles of each column of ``values`` (k, p): shape (len(qs), p)."""
    out = np.empty((len(qs), values.shape[1]))
    for j in range(values.shape[1]):
        order = np.argsort(values[:, j])
        cum = np.cumsum(weights[order])
        cum = (cum - weights[order] / 2) / cum[-1]
        out[:, j] = np.interp(qs, cum, values[order, j])
    return out
