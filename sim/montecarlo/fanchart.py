"""Fan charts: 2016–2020 observed points, simulated median with 50 % and 90 % bands, and the plan's targets.

For pasting into a memo: each panel is titled with the indicator's Chinese and English name and unit (the
Chinese left out where the machine has no CJK font), the divide between history (2016–2020, the plans' data)
and projection (2021–2025) is labelled, a target that must hold in every district (各县（区）) is drawn with each
district's median beside the city's, and the PNG is drawn at ``DPI``."""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np
import pandas as pd  # noqa: E402

from .. import observed  # noqa: E402
from ..fonts import cjk_charts_if_available  # noqa: E402
from ..indicators import CITY, FLOW_INDICATORS, INDICATORS  # noqa: E402
from ..output import ASCII_UNITS, atomic_write  # noqa: E402

DPI = 200
LAST_HISTORY_YEAR = 2020
FAN_INDICATORS = ["sales_area", "avg_price", "inventory_area", "destocking_cycle", "supply_area",
                  "per_capita_floor_area", "price_to_income", "subsidy_household_years", "vacancy_rate"]


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


def panel_title(indicator: str, chinese: bool) -> str:
    """'商品住房销售面积 sales_area (万㎡)'; without a CJK font the unit in ASCII and no Chinese name."""
    spec = INDICATORS[indicator]
    if chinese:
        return f"{spec.zh} {indicator} ({spec.unit})"
    return f"{indicator} ({ASCII_UNITS.get(spec.unit, spec.unit)})"


def draw_districts(ax, summary: pd.DataFrame, indicator: str) -> None:
    """Each district's median (thin grey lines), for a target every district must meet."""
    rows = summary[(summary.district != CITY) & (summary.indicator == indicator)]
    for i, (_, d) in enumerate(rows.groupby("district")):
        d = d.sort_values("year")
        ax.plot(d.year, d.p50, color="grey", lw=0.8, alpha=0.8, label="district medians" if i == 0 else None)


def fan_charts(summary: pd.DataFrame, targets: pd.DataFrame, city: str, title: str, path: Path) -> None:
    city_sum = summary[summary.district == CITY]
    obs = observed.annual_city_series(city, FAN_INDICATORS)
    modelled = targets[targets.modelled]
    with cjk_charts_if_available() as chinese:
        fig, axes = plt.subplots(3, 3, figsize=(14, 11))
        for ax, name in zip(axes.flat, FAN_INDICATORS, strict=True):
            draw_fan(ax, city_sum[city_sum.indicator == name].sort_values("year"), "tab:blue")
            o = obs[obs.indicator == name]
            if len(o):
                ax.scatter(o.year, o.value, color="crimson", zorder=4, s=18, label="observed (plan)")
            mine = modelled[modelled.indicator == name]
            draw_targets(ax, mine)
            if (mine.scope == "each_district").any():
                draw_districts(ax, summary, name)
            ax.axvline(LAST_HISTORY_YEAR + 0.5, color="grey", lw=0.8, ls="--")
            ax.text(LAST_HISTORY_YEAR + 0.4, 0.98, "history", transform=ax.get_xaxis_transform(), ha="right",
                    va="top", fontsize=7, color="grey")
            ax.text(LAST_HISTORY_YEAR + 0.6, 0.98, "projection", transform=ax.get_xaxis_transform(), ha="left",
                    va="top", fontsize=7, color="grey")
            ax.set_title(panel_title(name, chinese), fontsize=10)
            ax.set_xlabel("year")
            ax.grid(alpha=0.3)
        handles = {}
        for ax in axes.flat:
            for h, lab in zip(*ax.get_legend_handles_labels(), strict=True):
                handles.setdefault(lab, h)
        fig.legend(list(handles.values()), list(handles.keys()), loc="lower center", ncol=7, fontsize=9)
        fig.suptitle(title)
        fig.tight_layout(rect=(0, 0.04, 1, 0.97))
        atomic_write(path, lambda tmp: fig.savefig(tmp, dpi=DPI, format="png"))
        plt.close(fig)
