"""The plan-target scorecard: for every quantitative 2021–2025 target, the projection and the chance of meeting it.

A target (``calibration/data/targets.csv``) is checked per run on the city (or on every district, scope
``each_district``): over a span of years a flow indicator is summed, and a stock indicator must meet the
target in every year of the span (and, for ``each_district``, in every district). The projection reported is
the city's summed flow or its stock in the last year; the probability of meeting the target is the share of
runs that do.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..indicators import CITY, FLOW_INDICATORS
from .run_matrix import RunMatrix


def meets(value: np.ndarray, relation: str, target: float, upper: float | None, tolerance: float | None) -> np.ndarray:
    v = np.asarray(value, dtype=float)
    if relation == ">":
        return v > target
    if relation == ">=":
        return v >= target
    if relation == "<":
        return v < target
    if relation == "<=":
        return v <= target
    if relation == "=":
        return np.isclose(v, target)
    if relation == "between":
        return (v >= target) & (v <= upper)
    if relation == "about":
        return np.abs(v - target) <= tolerance * abs(target)
    raise ValueError(f"unknown relation {relation!r}")


def target_text(t: pd.Series) -> str:
    if t.relation == "between":
        return f"{t.value:g}–{t.upper:g}"
    if t.relation == "about":
        return f"≈{t.value:g} (±{t.tolerance:.0%})"
    return f"{t.relation}{t.value:g}"


def target_bounds(t: pd.Series) -> tuple[float, float]:
    """(low, high) a value must lie within to meet the target, NaN where open; strictness is in ``relation``.
    An "about" target's bounds are its value ± the tolerance."""
    value = float(t.value)
    if t.relation in (">", ">="):
        return value, np.nan
    if t.relation in ("<", "<="):
        return np.nan, value
    if t.relation == "between":
        return value, float(t.upper)
    if t.relation == "about":
        return value - t.tolerance * abs(value), value + t.tolerance * abs(value)
    return value, value


def evaluate(runs: pd.DataFrame, t: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(projection per run, met per run) for one target."""
    years = range(int(t.start_year), int(t.year) + 1)
    sel = runs[(runs.indicator == t.indicator) & runs.year.isin(years)]
    city = sel[sel.district == CITY].pivot(index="run", columns="year", values="value")
    def check(v: np.ndarray) -> np.ndarray:
        return meets(v, t.relation, float(t.value), t.upper, t.tolerance)

    flow = t.indicator in FLOW_INDICATORS
    projection = city.sum(axis=1) if flow else city[int(t.year)]
    if flow:
        ok = pd.Series(check(projection.values), index=projection.index)
    else:
        districts = sel[sel.district != CITY]
        # a city modelled as one district has only its city rows: that district is the city
        scope = districts if t.scope == "each_district" and not districts.empty else sel[sel.district == CITY]
        per = scope.assign(ok=check(scope.value.values)).groupby("run").ok.all()
        ok = per.reindex(projection.index, fill_value=False)
    return projection, ok


def scorecard(runs: pd.DataFrame | RunMatrix, targets: pd.DataFrame) -> pd.DataFrame:
    """One row per modelled target of the city in ``runs`` (a long table, or a batch's matrix: then only the
    target's indicator is read at a time)."""
    matrix = runs if isinstance(runs, RunMatrix) else RunMatrix.from_long(runs)
    rows = []
    for _, t in targets[targets.modelled].iterrows():
        projection, ok = evaluate(matrix.long(matrix.columns(city=t.city, indicator=t.indicator)), t)
        if projection.empty:
            continue
        period = str(t.year) if t.start_year == t.year else f"{t.start_year}–{t.year}"
        low, high = target_bounds(t)
        rows.append({"indicator": t.indicator, "period": period, "scope": t.scope, "target": target_text(t),
                     "relation": t.relation, "low": low, "high": high, "unit": t.unit, "attribute": t.attribute,
                     "median": projection.median(), "p5": projection.quantile(0.05),
                     "p95": projection.quantile(0.95),
                     "probability": ok.mean(), "runs": len(ok), "source": t.source})
    return pd.DataFrame(rows)
