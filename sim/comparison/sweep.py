"""A lever swept over values: one variant per value, compared with the scenario on common random numbers, and
each plan target's projection and chance of being met against the lever's value (``run_sim.py sweep``).

A lever is a scenario key (``section.key``; ``section.key*`` multiplies a per-year series) with its values,
written ``credit.down_payment_first=0.2,0.3,0.4`` or as an even range ``credit.down_payment_first=0.2:0.4:3``
(start:stop:count, both ends included). Several levers are swept one at a time, each from the scenario.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from ..config.loader import Scenario  # noqa: E402
from ..config.schema import SCENARIO, YEARS  # noqa: E402
from ..fonts import cjk_charts  # noqa: E402
from ..formats import probability  # noqa: E402
from ..indicators import INDICATORS  # noqa: E402
from ..montecarlo.scorecard import scorecard  # noqa: E402
from ..output import atomic_write  # noqa: E402

SWEEP_FROM_YEAR = 2021        # a swept lever acts from the plans' first year, after the calibrated history
MAX_RANGE_VALUES = 50


@dataclass(frozen=True)
class SweepPoint:
    """One variant of a sweep: the lever, its value, the scenario that carries it."""
    lever: str
    value: float
    scenario: Scenario


def parse_lever(text: str) -> tuple[str, list[float]]:
    """``KEY=V1,V2,…`` or ``KEY=START:STOP:COUNT`` → (key, values). The key must be a scenario parameter."""
    key, sep, spec = text.partition("=")
    key, spec = key.strip(), spec.strip()
    if not sep or not key or not spec:
        raise ValueError(f"--set {text!r}: write KEY=V1,V2,… or KEY=START:STOP:COUNT")
    section, _, name = key.rstrip("*").partition(".")
    if name not in SCENARIO.get(section, {}):
        raise ValueError(f"--set {text!r}: {key.rstrip('*')} is not a scenario parameter (docs/parameters.md)")
    try:
        if ":" in spec:
            start, stop, count = spec.split(":")
            n = int(count)
            if not 2 <= n <= MAX_RANGE_VALUES:
                raise ValueError
            values = [float(f"{v:.12g}") for v in np.linspace(float(start), float(stop), n)]  # 0.3, not 0.30…04
        else:
            values = [float(v) for v in spec.split(",")]
    except ValueError:
        raise ValueError(f"--set {text!r}: values must be numbers, V1,V2,… or START:STOP:COUNT with 2–"
                         f"{MAX_RANGE_VALUES} values") from None
    if len(set(values)) != len(values):
        raise ValueError(f"--set {text!r}: a value appears twice")
    return key, values


def sweep_points(base: Scenario, levers: Mapping[str, Sequence[float]], from_year: int = SWEEP_FROM_YEAR
                 ) -> list[SweepPoint]:
    """One variant of ``base`` per lever value, acting from January of ``from_year``."""
    points = []
    for key, values in levers.items():
        for value in values:
            label = "-".join(f"{v:g}" for v in value) if isinstance(value, (list, tuple)) else f"{value:g}"
            name = f"{base.name}__{key.rstrip('*').replace('.', '_')}{'_x' if key.endswith('*') else ''}_{label}"
            points.append(SweepPoint(key, value, base.variant(name, f"{key} = {value} from {from_year}",
                                                              {key: value}, from_year)))
    if not points:
        raise ValueError("sweep: no lever values given")
    return points


def baseline_value(base: Scenario, lever: str, from_year: int = SWEEP_FROM_YEAR) -> float:
    """Where the scenario itself sits on the lever's axis: its value; for a per-year series (which a sweep
    replaces by one value from ``from_year``) the mean of its values from ``from_year`` on; ``key*``: 1."""
    if lever.endswith("*"):
        return 1.0
    section, _, name = lever.partition(".")
    value = base.params[section][name]
    return float(np.mean(value[YEARS.index(from_year):]) if isinstance(value, list) else value)


def sweep_table(runs: Mapping[str, pd.DataFrame], base: Scenario, points: Sequence[SweepPoint],
                targets: pd.DataFrame, from_year: int = SWEEP_FROM_YEAR) -> pd.DataFrame:
    """Per lever, value (the scenario's own value marked ``baseline``) and plan target: the median projection,
    its 90 % band and P(meet), over the comparison's paired runs (``Comparison.common_runs``)."""
    base_card = scorecard(runs[base.name], targets)
    rows = []
    for lever in dict.fromkeys(p.lever for p in points):
        cards = [(baseline_value(base, lever, from_year), True, base_card)]
        cards += [(p.value, False, scorecard(runs[p.scenario.name], targets)) for p in points if p.lever == lever]
        for value, is_baseline, card in cards:
            rows.append(card.assign(lever=lever, value=value, baseline=is_baseline))
    table = pd.concat(rows, ignore_index=True)
    columns = ["lever", "value", "baseline", "indicator", "period", "scope", "target", "unit", "median", "p5", "p95",
               "probability", "runs"]
    # in each lever's values, the targets keep the order of targets.csv
    return table[columns].sort_values(["lever", "value"], kind="stable", ignore_index=True)


def sweep_chart(table: pd.DataFrame, title: str, path: Path) -> None:
    """One panel per lever and plan target: the median projection with its 90 % band (left axis) and P(meet)
    (right axis, %) against the lever's value; the scenario's own value (a series: its mean) is a dashed line."""
    panels = list(table.groupby(["lever", "indicator", "period", "scope"], sort=False))
    columns = min(3, len(panels))
    rows = -(-len(panels) // columns)
    with cjk_charts():
        fig, axes = plt.subplots(rows, columns, figsize=(5.2 * columns, 3.6 * rows), squeeze=False)
        for ax, ((lever, indicator, period, scope), cell) in zip(axes.flat, panels, strict=False):
            points = cell.sort_values("value").drop_duplicates("value")
            ax.fill_between(points.value, points.p5, points.p95, color="tab:blue", alpha=0.2, label="90 % band")
            ax.plot(points.value, points["median"], "o-", color="tab:blue", label="median")
            ax.axvline(cell[cell.baseline].value.iloc[0], color="grey", ls="--", lw=0.8, label="scenario")
            ax.set_xlabel(lever)
            unit = INDICATORS[indicator].unit if indicator in INDICATORS else cell.unit.iloc[0]
            ax.set_ylabel(unit)
            name = INDICATORS[indicator].zh if indicator in INDICATORS else indicator
            where = "" if scope == "city" else ", each district"
            ax.set_title(f"{name} {indicator}\n{period}{where}, target {cell.target.iloc[0]}", fontsize=9)
            ax.grid(alpha=0.3)
            chance = ax.twinx()
            chance.plot(points.value, 100 * points.probability, "s--", color="tab:red", label="P(meet)")
            chance.set_ylim(-5, 105)
            chance.set_ylabel("P(meet) %", color="tab:red")
        for ax in axes.flat[len(panels):]:
            ax.set_visible(False)
        handles, labels = axes.flat[0].get_legend_handles_labels()
        fig.legend([*handles, plt.Line2D([], [], color="tab:red", ls="--", marker="s")], [*labels, "P(meet)"],
                   loc="lower center", ncol=4, fontsize=9)
        fig.suptitle(title)
        fig.tight_layout(rect=(0, 0.04, 1, 0.96))
        atomic_write(path, lambda tmp: fig.savefig(tmp, dpi=150, format="png"))
        plt.close(fig)


def format_sweep(table: pd.DataFrame) -> str:
    """P(meet) of each plan target against the lever's value, as a Markdown table."""
    lines = []
    for lever, cell in table.groupby("lever", sort=False):
        values = list(dict.fromkeys(cell.sort_values("value").value))
        scenario_value = cell[cell.baseline].value.iloc[0]
        heads = [f"{v:g}{' (scenario)' if v == scenario_value else ''}" for v in values]
        lines += [f"P(meet) against {lever}:", "", "| target | period | plan | " + " | ".join(heads) + " |",
                  "|---|---|---|" + "---|" * len(values)]
        for (indicator, period, target), rows in cell.groupby(["indicator", "period", "target"], sort=False):
            chance = rows.drop_duplicates("value").set_index("value").probability
            lines.append(f"| {indicator} | {period} | {target} | "
                         + " | ".join(probability(chance.get(v, np.nan)) for v in values) + " |")
        lines.append("")
    return "\n".join(lines)
