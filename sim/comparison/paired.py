"""Paired differences between scenarios run on common random numbers.

Every scenario of a comparison runs with the same root seed, so run *i* of the variant and run *i* of the
baseline share their model seed and their drawn parameter set; a difference taken run by run removes the noise
the two have in common. For each indicator the measure compared is the plans' own: a flow summed over
2021–2025, a stock (or ratio) in 2025. The interval is the 5th–95th percentile of the run-by-run differences.

For a plan target the change in the probability of meeting it is P(variant) − P(baseline); its 90 % interval
is a paired bootstrap over runs (runs resampled together in both scenarios). Whether a lever moves an indicator
at all is read from the mean paired change and its 90 % t interval (``mean_interval``).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from ..indicators import CITY, FLOW_INDICATORS, INDICATORS
from ..montecarlo.scorecard import evaluate, target_text

PERIOD = (2021, 2025)
BOOTSTRAP_SAMPLES = 2000


def mean_interval(change: np.ndarray | pd.Series, level: float = 0.9) -> tuple[float, float, float]:
    """(mean, low, high): the mean of the run-by-run paired changes and its ``level`` t interval. A lever moves
    an indicator when this interval excludes zero (the README's and the lever tests' criterion)."""
    change = np.asarray(change, dtype=float)
    mean = float(change.mean())
    half = float(stats.t.ppf(0.5 + level / 2, len(change) - 1) * change.std(ddof=1) / np.sqrt(len(change)))
    return mean, mean - half, mean + half


def measure(runs: pd.DataFrame, period: tuple[int, int] = PERIOD) -> pd.DataFrame:
    """Per run and city indicator: the flow summed over ``period`` or the stock in its last year.
    Columns: run, indicator, value."""
    first, last = period
    city = runs[(runs.district == CITY) & runs.year.between(first, last)]
    flow = city.indicator.isin(FLOW_INDICATORS)
    flows = city[flow].groupby(["run", "indicator"], as_index=False).value.sum(min_count=1)
    stocks = city[~flow & (city.year == last)][["run", "indicator", "value"]]
    return pd.concat([flows, stocks], ignore_index=True)


def _paired(base: pd.DataFrame, variant: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    both = base.merge(variant, on=keys, suffixes=("_base", "_variant"), validate="one_to_one")
    if len(both) != len(base) or len(both) != len(variant):
        raise ValueError("the two batches do not hold the same runs; a comparison needs every run in both")
    return both.assign(difference=both.value_variant - both.value_base)


def indicator_differences(base_runs: pd.DataFrame, variant_runs: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator: baseline and variant medians, median paired difference and its 90 % interval."""
    both = _paired(measure(base_runs), measure(variant_runs), ["run", "indicator"])
    g = both.groupby("indicator", sort=False)
    out = pd.DataFrame({
        "baseline": g.value_base.median(), "variant_value": g.value_variant.median(),
        "difference": g.difference.median(), "p5": g.difference.quantile(0.05),
        "p95": g.difference.quantile(0.95), "mean": g.difference.mean(), "runs": g.difference.count()})
    with np.errstate(divide="ignore", invalid="ignore"):
        out["relative"] = out.difference / out.baseline.abs()
    out = out.reset_index()
    out.insert(1, "period", out.indicator.map(
        lambda k: f"{PERIOD[0]}–{PERIOD[1]} total" if k in FLOW_INDICATORS else str(PERIOD[1])))
    out.insert(2, "unit", out.indicator.map(lambda k: INDICATORS[k].unit))
    order = {k: i for i, k in enumerate(INDICATORS)}
    return out.sort_values("indicator", key=lambda s: s.map(order)).reset_index(drop=True)


def yearly_differences(base_runs: pd.DataFrame, variant_runs: pd.DataFrame,
                       indicators: list[str]) -> pd.DataFrame:
    """Per indicator and year (city): percentiles of the run-by-run difference, for difference fan charts."""
    keys = ["run", "indicator", "year"]
    sel = [r[(r.district == CITY) & r.indicator.isin(indicators)][[*keys, "value"]] for r in (base_runs, variant_runs)]
    both = _paired(*sel, keys)
    g = both.groupby(["indicator", "year"]).difference
    return pd.DataFrame({f"p{q}": g.quantile(q / 100) for q in (5, 25, 50, 75, 95)}).reset_index()


def target_changes(base_runs: pd.DataFrame, variant_runs: pd.DataFrame, targets: pd.DataFrame,
                   rng: np.random.Generator) -> pd.DataFrame:
    """One row per modelled plan target: P(meet) in each scenario, the change and its bootstrap 90 % interval."""
    rows = []
    for _, t in targets[targets.modelled].iterrows():
        _, ok_base = evaluate(base_runs[base_runs.city == t.city], t)
        _, ok_variant = evaluate(variant_runs[variant_runs.city == t.city], t)
        if ok_base.empty:
            continue
        both = pd.concat({"base": ok_base, "variant": ok_variant}, axis=1, join="inner").astype(float)
        delta = both.variant.to_numpy() - both.base.to_numpy()
        draws = rng.integers(0, len(delta), size=(BOOTSTRAP_SAMPLES, len(delta)))
        boot = delta[draws].mean(axis=1)
        period = str(t.year) if t.start_year == t.year else f"{t.start_year}–{t.year}"
        rows.append({"indicator": t.indicator, "period": period, "scope": t.scope, "target": target_text(t),
                     "unit": t.unit, "p_baseline": both.base.mean(), "p_variant": both.variant.mean(),
                     "change": delta.mean(), "p5": np.quantile(boot, 0.05), "p95": np.quantile(boot, 0.95),
                     "runs": len(delta)})
    return pd.DataFrame(rows)


def unchanged(table: pd.DataFrame, variant: str, indicators: list[str]) -> bool:
    """Whether a variant of a comparison table leaves the given indicators and every plan target unchanged: the
    median paired difference and its 90 % interval are all zero. A report then says so instead of drawing
    charts of zeros."""
    rows = table[(table.variant == variant) & ((table.kind == "target") | table.indicator.isin(indicators))]
    return bool((rows[["difference", "p5", "p95"]].abs().fillna(0).to_numpy() == 0).all())
