"""Distributions over runs: mean and percentiles of every indicator, year and district."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ..indicators import INDICATORS
from .run_matrix import RunMatrix

PERCENTILES = (5, 10, 25, 50, 75, 90, 95)
KEYS = ["city", "district", "indicator", "year"]
BLOCK_VALUES = 4_000_000   # values read at once (32 MB): a few columns of a large batch at a time


def percentiles(block: np.ndarray, q: tuple[int, ...]) -> np.ndarray:
    """``np.nanpercentile`` (linear) of each column, also where some values are +∞ (a destocking cycle with no
    sales): a percentile that reaches into the infinite values is +∞, where NumPy's interpolation gives NaN."""
    infinite = np.isposinf(block)
    if not infinite.any():
        return np.nanpercentile(block, q, axis=0)
    finite_max = np.nanmax(np.where(infinite, np.nan, block), axis=0)
    filled = np.where(infinite, np.nan_to_num(finite_max, nan=0.0), block)   # same order statistics below ∞
    out = np.nanpercentile(filled, q, axis=0)
    n = np.count_nonzero(~np.isnan(block), axis=0)
    first_infinite = n - np.count_nonzero(infinite, axis=0)           # sorted position of the first ∞
    h = np.multiply.outer(np.asarray(q) / 100, n - 1)
    low = np.floor(h)
    reaches = (low >= first_infinite) | ((low + 1 >= first_infinite) & (h > low))
    out[reaches & (first_infinite < n)] = np.inf
    return out


def summarise(runs: pd.DataFrame | RunMatrix) -> pd.DataFrame:
    """One row per (city, district, indicator, year): unit, runs, mean, p5 … p95 (NaN values ignored)."""
    matrix = runs if isinstance(runs, RunMatrix) else RunMatrix.from_long(runs)
    n_runs, n_keys = matrix.values.shape
    stats = np.full((n_keys, 2 + len(PERCENTILES)), np.nan)
    width = max(1, BLOCK_VALUES // max(n_runs, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)     # a key with no value in any run: NaN, as pandas
        for start in range(0, n_keys, width):
            block = np.asarray(matrix.values[:, start:start + width])
            stop = start + block.shape[1]
            stats[start:stop, 0] = np.count_nonzero(~np.isnan(block), axis=0)
            stats[start:stop, 1] = np.nanmean(block, axis=0)
            stats[start:stop, 2:] = percentiles(block, PERCENTILES).T
    out = matrix.keys[KEYS].copy()
    out["runs"] = stats[:, 0].astype(int)
    out["mean"] = stats[:, 1]
    for i, p in enumerate(PERCENTILES):
        out[f"p{p}"] = stats[:, 2 + i]
    out = out.sort_values(KEYS, kind="stable").reset_index(drop=True)
    out["year"] = out["year"].astype(int)
    out.insert(3, "unit", out.indicator.map(lambda k: INDICATORS[k].unit))
    return out
