"""Writing a run's results: annual table (CSV with a byte-order mark, for Excel), monthly series (Parquet),
resolved scenario, chart (PNG).

Every file is written to a temporary name and renamed into place, so an interrupted run never leaves a
half-written file behind.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import tomli_w  # noqa: E402

from . import indicators, observed  # noqa: E402
from .config.loader import Scenario  # noqa: E402

# chart axes are labelled in ASCII units (the default font has no CJK glyphs)
ASCII_UNITS = {"万㎡": "10k m²", "亿元": "100M yuan", "元/㎡": "yuan/m²", "万元": "10k yuan",
               "元/㎡/month": "yuan/m²/month"}
CHART_INDICATORS = ["sales_area", "avg_price", "inventory_area", "destocking_cycle", "supply_area",
                    "investment", "per_capita_floor_area", "price_to_income", "vacancy_rate"]


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` on a temporary file next to ``path``, then rename it to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


CSV_ENCODING = "utf-8-sig"   # UTF-8 with a byte-order mark: Excel's cue to read 万㎡ and 预期性 as UTF-8


def write_csv(table: pd.DataFrame, path: Path) -> None:
    """``table`` as CSV (no index) in UTF-8 with a byte-order mark, written atomically; pandas reads it as
    written."""
    atomic_write(path, lambda tmp: table.to_csv(tmp, index=False, encoding=CSV_ENCODING))


RUN_FILES = frozenset({"annual.csv", "monthly.parquet", "scenario.toml", "chart.png"})


class OutputFolderError(ValueError):
    """An output folder that cannot be written, or that holds files the command did not write."""


def foreign_entries(folder: Path, allowed: Callable[[Path], bool]) -> list[str]:
    """Names in ``folder`` that ``allowed`` rejects (hidden temporary files of atomic writes aside)."""
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir()
                  if not (p.name.startswith(".") and p.name.endswith(".tmp")) and not allowed(p))


def prepare_folder(folder: Path, allowed: Callable[[Path], bool], what: str) -> None:
    """Make sure ``folder`` can take ``what``'s files before any work is done: refuse a file in its place, a
    folder holding other files, and a folder that cannot be created or written (naming the reason)."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputFolderError(f"{folder} is a file, not a folder; use another --out")
    foreign = foreign_entries(folder, allowed)
    if foreign:
        raise OutputFolderError(f"{folder} holds files that are not {what} ({', '.join(foreign[:5])}); "
                                "use a new or empty --out folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise OutputFolderError(f"cannot write to {folder}: {exc.strerror or exc}") from None


def city_table(annual: pd.DataFrame, district: str = indicators.CITY) -> pd.DataFrame:
    """Wide annual table of one district (default the city): one row per year, one column per indicator."""
    rows = annual[annual.district == district]
    if rows.empty:
        raise KeyError(f"no district {district!r}; districts: {sorted(annual.district.unique())}")
    return rows.pivot(index="year", columns="indicator", values="value")[list(indicators.INDICATORS)]


def chart(annual: pd.DataFrame, city: str, title: str, path: Path) -> None:
    """Key indicators 2016–2025 with the plan's observed points."""
    wide = city_table(annual)
    obs = observed.annual_city_series(city, CHART_INDICATORS)
    fig, axes = plt.subplots(3, 3, figsize=(13, 10))
    for ax, name in zip(axes.flat, CHART_INDICATORS, strict=False):
        unit = indicators.INDICATORS[name].unit
        ax.plot(wide.index, wide[name], marker="o", ms=3, label="simulated")
        o = obs[obs.indicator == name]
        if len(o):
            ax.scatter(o.year, o.value, color="crimson", zorder=3, label="observed (plan)")
        ax.axvline(2020.5, color="grey", lw=0.8, ls="--")
        ax.set_title(name, fontsize=10)
        ax.set_ylabel(ASCII_UNITS.get(unit, unit))
        ax.grid(alpha=0.3)
    axes.flat[0].legend(fontsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    atomic_write(path, lambda tmp: fig.savefig(tmp, dpi=110, format="png"))
    plt.close(fig)


def write_run(out_dir: Path, scenario: Scenario, annual: pd.DataFrame, monthly: pd.DataFrame,
              seed: int, scale: int) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    columns = ["city", "district", "year", "indicator", "value", "unit"]
    write_csv(annual[columns], out_dir / "annual.csv")
    atomic_write(out_dir / "monthly.parquet", lambda tmp: monthly.to_parquet(tmp, index=False))
    resolved = {"run": {"seed": seed, "scale": scale, "scenario_file": str(scenario.path)}, **scenario.resolved()}
    atomic_write(out_dir / "scenario.toml", lambda tmp: tmp.write_text(tomli_w.dumps(resolved), encoding="utf-8"))
    chart(annual, scenario.city, f"{scenario.name} (seed {seed}, scale {scale})", out_dir / "chart.png")
