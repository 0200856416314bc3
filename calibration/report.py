"""Fit report of a calibrated city: posterior predictive runs against every observed figure, and charts.

For every calibration moment: the observed value, the simulated median and 90 % band over runs whose
parameters are drawn from the posterior, whether the observation falls inside, and the error of the median.
Fit criteria (issue 4): ≥ 80 % of the figures inside their band; median absolute percentage error ≤ 15 % on
sales area, average price and inventory.
"""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from sim.montecarlo.fanchart import fan_charts  # noqa: E402
from sim.montecarlo.summary import summarise  # noqa: E402
from sim.observed import targets  # noqa: E402
from sim.output import ASCII_UNITS, atomic_write  # noqa: E402

from .moments import Moment, simulated  # noqa: E402
from .priors import Prior  # noqa: E402

HEADLINE = ("sales_area", "avg_price", "inventory_area")
INSIDE_GOAL, MAPE_GOAL = 0.80, 0.15


def fit_table(runs: pd.DataFrame, ms: list[Moment]) -> pd.DataFrame:
    per_run = pd.DataFrame([simulated(g, ms) for _, g in runs.groupby("run")])
    rows = []
    for m in ms:
        v = per_run[m.name].dropna()
        med, lo, hi = v.median(), v.quantile(0.05), v.quantile(0.95)
        rows.append({"moment": m.name, "indicator": m.indicator, "unit": m.unit, "observed": m.observed,
                     "median": med, "p5": lo, "p95": hi, "inside": bool(lo <= m.observed <= hi),
                     "abs_pct_error": abs(med / m.observed - 1)})
    return pd.DataFrame(rows)


def fit_summary(table: pd.DataFrame) -> dict[str, float]:
    out = {"inside_share": float(table.inside.mean())}
    for name in HEADLINE:
        errs = table[table.indicator == name].abs_pct_error
        out[f"mape_{name}"] = float(errs.median()) if len(errs) else float("nan")
    return out


def posterior_chart(posterior: pd.DataFrame, priors: list[Prior], path: Path) -> None:
    n = len(priors)
    cols = 4
    fig, axes = plt.subplots(int(np.ceil(n / cols)), cols, figsize=(4 * cols, 3 * int(np.ceil(n / cols))))
    for ax, p in zip(np.ravel(axes), priors, strict=False):
        bins = np.geomspace(p.lo, p.hi, 21) if p.log else np.linspace(p.lo, p.hi, 21)
        ax.hist(posterior[p.key], bins=bins, weights=posterior["weight"], color="tab:blue", alpha=0.7,
                label="posterior")
        ax.axhline(1 / 20, color="grey", ls="--", lw=1, label="prior (flat)")
        if p.log:
            ax.set_xscale("log")
        ax.set_title(p.key, fontsize=9)
        ax.set_xlabel(ASCII_UNITS.get(p.unit, p.unit))
    for ax in np.ravel(axes)[n:]:
        ax.axis("off")
    np.ravel(axes)[0].legend(fontsize=8)
    fig.suptitle("Marginal posteriors (weighted), x-axis = prior range")
    fig.tight_layout()
    atomic_write(path, lambda tmp: fig.savefig(tmp, dpi=100, format="png"))
    plt.close(fig)


def markdown_table(df: pd.DataFrame) -> str:
    lines = ["| " + " | ".join(df.columns) + " |", "|" + "---|" * len(df.columns)]
    for row in df.itertuples(index=False):
        cells = [f"{v:,.4g}" if isinstance(v, float) else str(v) for v in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_report(city: str, runs: pd.DataFrame, ms: list[Moment], posterior: pd.DataFrame, priors: list[Prior],
                 manifest: dict, base: Path) -> dict[str, float]:
    """Write ``<base>.report.md``, ``<base>.posterior.png``, ``<base>.predictive.png``; returns the fit summary."""
    table = fit_table(runs, ms)
    summary = fit_summary(table)
    posterior_chart(posterior, priors, base.with_suffix(".posterior.png"))
    title = f"{city}: posterior predictive, {runs.run.nunique()} runs"
    fan_charts(summarise(runs), targets(city), city, title, base.with_suffix(".predictive.png"))
    shown = table.assign(inside=table.inside.map({True: "yes", False: "no"}),
                         abs_pct_error=(100 * table.abs_pct_error).round(1))
    post_stats = pd.DataFrame([{
        "parameter": p.key, "unit": p.unit, "prior": f"{p.lo:g}–{p.hi:g}" + (" (log)" if p.log else ""),
        "posterior mean": float(np.average(posterior[p.key], weights=posterior.weight)),
        "5 %": float(weighted_quantile(posterior[p.key], posterior.weight, 0.05)),
        "95 %": float(weighted_quantile(posterior[p.key], posterior.weight, 0.95))} for p in priors])
    verdict = (f"- observed figures inside the simulated 90 % band: {summary['inside_share']:.0%} "
               f"(goal ≥ {INSIDE_GOAL:.0%})\n" + "".join(
                   f"- median absolute percentage error, {k}: {summary[f'mape_{k}']:.1%} (goal ≤ {MAPE_GOAL:.0%})\n"
                   for k in HEADLINE))
    text = f"""# Fit report — {city}

Calibration: {manifest['method']}: {manifest['simulations']} model runs (2016–2021, scale {manifest['scale']},
seed {manifest['seed']}; {' + '.join(str(r['runs']) for r in manifest['rounds'])} by round), {manifest['accepted']}
accepted (share {manifest['accept_share']}, ε = {manifest['rounds'][-1]['epsilon']:.3g}), effective sample size
{manifest['effective_sample_size']:.0f}; simulations {manifest['simulation_seconds_total']:.0f} s, predictive check
{manifest.get('check_seconds', float('nan')):.0f} s on the calibration's workers. Posterior predictive:
{runs.run.nunique()} runs with parameters drawn from the posterior.

{verdict}
## Every observed figure

{markdown_table(shown)}

## Posterior

{markdown_table(post_stats)}

![marginal posteriors]({base.with_suffix('.posterior.png').name})

## Posterior predictive

![posterior predictive]({base.with_suffix('.predictive.png').name})
"""
    atomic_write(base.with_suffix(".report.md"), lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return summary


def weighted_quantile(values: pd.Series, weights: pd.Series, q: float) -> float:
    order = np.argsort(values.to_numpy())
    v, w = values.to_numpy()[order], weights.to_numpy()[order]
    cum = np.cumsum(w) / w.sum()
    return float(v[min(np.searchsorted(cum, q), len(v) - 1)])
