"""Fan charts: 2016–2020 observed points, simulated median with 50 % and 90 % bands, and the plan's targets."""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np
import pandas as pd  # noqa: E402

from .. import observed  # noqa: E402
from ..indicators import CITY, FLOW_INDICATORS, INDICATORS  # noqa: E402
from ..output import ASCII_UNITS, atomic_write  # noqa: E402

FAN_INDICATORS = ["sales_area", "avg_price", "inventory_area", "destocking_cycle", "supply_area",
                  "per_capita_floor_area", "price_to_income", "subsidies_granted", "vacancy_rate"]


def draw_targets(ax, targets: pd.DataFrame) -> None:
    """Single-year targets as markers/bars at their year; multi-year flow totals as a yearly-average band."""
    for t in targets.itertuples():
        years = int(t.year) - int(t.start_year) + 1
        per_year = years if t.indicator in FLOW_INDICATORS else 1
        lo = float(t.value) / per_year
        if t.relation == "between":
            hi = float(t.upper) / per_year
        elif t.relation == "about":
            lo, hi = lo * (1 - float(t.tolerance)), lo * (1 + float(t.tolerance))
        else:
            hi = lo
        x0, x1 = int(t.start_year) - 0.4, int(t.year) + 0.4
        label = "plan target" + (" (5-year total / 5)" if per_year > 1 else "")
        if hi > lo:
            ax.fill_between([x0, x1], lo, hi, color="green", alpha=0.15, label=label)
        else:
            ax.hlines(lo, x0, x1, color="green", lw=2, label=f"plan target ({t.relation})")


def draw_fan(ax, s: pd.DataFrame, color: str, median_label: str = "median") -> None:
    """90 % and 50 % bands and the median of percentile columns p5 … p95 by year."""
    ax.fill_between(s.year, s.p5, s.p95, color=color, alpha=0.18, label="90 % band")
    ax.fill_between(s.year, s.p25, s.p75, color=color, alpha=0.35, label="50 % band")
    ax.plot(s.year, s.p50, color=color, lw=1.8, label=median_label)
    endless = s[np.isposinf(s.p50)]     # a destocking cycle with stock and no sales in most runs
    if len(endless):
        ax.plot(endless.year, np.full(len(endless), 0.97), ls="none", marker="^", color=color,
                transform=ax.get_xaxis_transform(), label="median ∞ (stock, no sales)")


def fan_charts(summary: pd.DataFrame, targets: pd.DataFrame, city: str, title: str, path: Path) -> None:
    city_sum = summary[summary.district == CITY]
    obs = observed.annual_city_series(city, FAN_INDICATORS)
    fig, axes = plt.subplots(3, 3, figsize=(14, 11))
    for ax, name in zip(axes.flat, FAN_INDICATORS, strict=True):
        draw_fan(ax, city_sum[city_sum.indicator == name].sort_values("year"), "tab:blue")
        o = obs[obs.indicator == name]
        if len(o):
            ax.scatter(o.year, o.value, color="crimson", zorder=4, s=18, label="observed (plan)")
        draw_targets(ax, targets[(targets.indicator == name) & (targets.scope == "city") & targets.modelled])
        ax.axvline(2020.5, color="grey", lw=0.8, ls="--")
        ax.set_title(name, fontsize=10)
        ax.set_ylabel(ASCII_UNITS.get(INDICATORS[name].unit, INDICATORS[name].unit))
        ax.set_xlabel("year")
        ax.grid(alpha=0.3)
    handles = {}
    for ax in axes.flat:
        for h, lab in zip(*ax.get_legend_handles_labels(), strict=True):
            handles.setdefault(lab, h)
    fig.legend(list(handles.values()), list(handles.keys()), loc="lower center", ncol=6, fontsize=9)
    fig.suptitle(title)
    fig.tight_layout(rect=(0, 0.04, 1, 0.97))
    atomic_write(path, lambda tmp: fig.savefig(tmp, dpi=100, format="png"))
    plt.close(fig)
