"""Charts of a comparison: difference fan charts per variant and a heat map of levers × indicators."""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from ..fonts import cjk_charts  # noqa: E402
from ..formats import SHARE_UNIT, display_unit  # noqa: E402
from ..indicators import CHINESE_NAMES, INDICATORS  # noqa: E402
from ..montecarlo.fanchart import draw_fan  # noqa: E402
from ..output import atomic_write  # noqa: E402

# the plan indicators a comparison charts and tabulates first
KEY_INDICATORS = ["sales_area", "avg_price", "inventory_area", "destocking_cycle", "supply_area", "land_supplied",
                  "per_capita_floor_area", "price_to_income", "problem_projects", "subsidy_households",
                  "public_rental_coverage", "vacancy_rate"]
PERCENTILES = ["p5", "p25", "p50", "p75", "p95"]
HEATMAP_LIMIT = 0.5   # colour scale of the heat map: ±50 % relative change


def label(indicator: str) -> str:
    return f"{CHINESE_NAMES[indicator]} {indicator}"


def _save(fig: plt.Figure, path: Path, dpi: int) -> None:
    atomic_write(path, lambda tmp: fig.savefig(tmp, dpi=dpi, format="png"))
    plt.close(fig)


def unchanged_indicators(yearly: pd.DataFrame) -> set[str]:
    """The key indicators whose paired difference is zero in at least 90 % of runs in every year (its 5th and
    95th percentiles are both zero)."""
    rows = yearly[yearly.indicator.isin(KEY_INDICATORS)]
    zero = (rows.p5 == 0) & (rows.p95 == 0)
    return {name for name, all_zero in zero.groupby(rows.indicator).all().items() if all_zero}


def difference_fan_chart(yearly: pd.DataFrame, title: str, path: Path) -> None:
    """Run-by-run difference variant − baseline by year: median, 50 % and 90 % bands, zero line."""
    with cjk_charts():
        fig, axes = plt.subplots(3, 4, figsize=(16, 10.5))
        unchanged = unchanged_indicators(yearly)
        for ax, name in zip(axes.flat, KEY_INDICATORS, strict=True):
            rows = yearly[yearly.indicator == name].sort_values("year")
            unit = INDICATORS[name].unit
            if unit == SHARE_UNIT:     # a share's change in percentage points, as in the report's tables
                rows = rows.assign(**{c: 100 * rows[c] for c in PERCENTILES})
            if name in unchanged:
                ax.text(0.5, 0.5, "zero in ≥ 90 % of runs", transform=ax.transAxes, ha="center", color="grey")
            else:
                draw_fan(ax, rows, "tab:purple", "median difference")
            ax.axhline(0, color="black", lw=0.8)
            ax.axvline(2020.5, color="grey", lw=0.8, ls="--")
            ax.set_title(label(name), fontsize=10)
            ax.set_ylabel(f"Δ {display_unit(unit, change=True)}")
            ax.grid(alpha=0.3)
        handles, labels = axes.flat[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="lower center", ncol=3, fontsize=9)
        fig.suptitle(title)
        fig.tight_layout(rect=(0, 0.03, 1, 0.96))
        _save(fig, path, dpi=90)


def lever_heatmap(table: pd.DataFrame, title: str, path: Path) -> None:
    """Median relative change (variant vs baseline, 2021–2025 measure) for every variant × key indicator.
    Only cells whose 90 % interval excludes zero are coloured (and marked with *); the others are white with
    grey text, so that a change within the run-to-run spread (one problem project more, say) never looks
    strong."""
    cells = table[table.indicator.isin(KEY_INDICATORS)]
    rel = cells.pivot(index="variant", columns="indicator", values="relative").reindex(columns=KEY_INDICATORS)
    sure = cells.assign(sure=(cells.p5 > 0) | (cells.p95 < 0)).pivot(
        index="variant", columns="indicator", values="sure").reindex(index=rel.index, columns=KEY_INDICATORS)
    with cjk_charts():
        fig, ax = plt.subplots(figsize=(15, 1.2 + 0.55 * len(rel)))
        values = rel.to_numpy(dtype=float)
        significant = sure.fillna(False).to_numpy(dtype=bool)
        shown = np.where(significant, np.nan_to_num(values), 0.0)
        im = ax.imshow(np.clip(shown, -HEATMAP_LIMIT, HEATMAP_LIMIT), cmap="RdBu_r",
                       vmin=-HEATMAP_LIMIT, vmax=HEATMAP_LIMIT, aspect="auto")
        for i in range(values.shape[0]):
            for j in range(values.shape[1]):
                v = values[i, j]
                text = "–" if not np.isfinite(v) else f"{v:+.0%}".replace("-", "−") + ("*" if significant[i, j] else "")
                ax.text(j, i, text, ha="center", va="center", fontsize=8,
                        color="black" if significant[i, j] else "grey")
        ax.set_xticks(range(len(KEY_INDICATORS)), [f"{CHINESE_NAMES[k]}\n{k}" for k in KEY_INDICATORS],
                      fontsize=8, rotation=30, ha="right")
        ax.set_yticks(range(len(rel)), rel.index, fontsize=9)
        fig.colorbar(im, ax=ax, label="relative change", format=lambda x, _: f"{x:+.0%}", fraction=0.03)
        ax.set_title(title, fontsize=11)
        fig.tight_layout()
        _save(fig, path, dpi=100)
