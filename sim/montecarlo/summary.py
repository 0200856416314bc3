"""Distributions over runs: mean and percentiles of every indicator, year and district."""
from __future__ import annotations

import pandas as pd

from ..indicators import INDICATORS

PERCENTILES = (5, 10, 25, 50, 75, 90, 95)
KEYS = ["city", "district", "indicator", "year"]


def summarise(runs: pd.DataFrame) -> pd.DataFrame:
    """One row per (city, district, indicator, year): unit, runs, mean, p5 … p95 (NaN values ignored)."""
    g = runs.groupby(KEYS, sort=True)["value"]
    out = pd.DataFrame({"runs": g.count(), "mean": g.mean()})
    for p in PERCENTILES:
        out[f"p{p}"] = g.quantile(p / 100)
    out = out.reset_index()
    out.insert(3, "unit", out.indicator.map(lambda k: INDICATORS[k].unit))
    return out
