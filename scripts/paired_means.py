"""Mean paired change of a ``compare`` folder's variants, with the 90 % interval of the mean.

    python scripts/paired_means.py FOLDER BASELINE VARIANT [VARIANT ...] [--indicators sales_area investment ...]
        [--by-year]

FOLDER is a ``run_sim.py compare ... --out FOLDER`` folder; BASELINE and VARIANT are scenario names in its
``batches/`` (any two of them pair run by run: same seed, same posterior draw). For every indicator: the city's
2021–2025 total of a flow or its 2025 value of a stock, the mean over runs of variant − baseline and its 90 %
interval (t interval of the mean), and the runs in which the variant's value is above zero (a count of
failures or new problem projects: the share of runs in distress). ``--by-year`` prints instead each scenario's
mean by year, 2020–2025 (how a rule acts over time, e.g. the land a throttle offers after long and short cycles).
"""
from __future__ import annotations

import argparse
import sys
from functools import cache
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.comparison.paired import mean_interval  # noqa: E402
from sim.indicators import FLOW_INDICATORS  # noqa: E402

DEFAULT = ["sales_area", "investment", "land_supplied", "escrow_balance", "problem_projects_new",
           "developers_failed"]


@cache
def city_runs(folder: Path, scenario: str) -> pd.DataFrame:
    """Every run's city-wide annual indicators of one scenario of the folder (read once)."""
    files = sorted((folder / "batches" / scenario / "runs").glob("run-*.parquet"))
    if not files:
        raise SystemExit(f"{folder / 'batches' / scenario}: no runs")
    table = pd.concat(pd.read_parquet(f, columns=["run", "district", "year", "indicator", "value"]) for f in files)
    return table[table.district == "all"]


def per_run(folder: Path, scenario: str, indicator: str) -> pd.Series:
    """The indicator's 2021–2025 total (flow) or 2025 value (stock) per run."""
    table = city_runs(folder, scenario)
    table = table[table.indicator == indicator]
    years = table.year.between(2021, 2025) if indicator in FLOW_INDICATORS else table.year == 2025
    return table[years].groupby("run").value.sum()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", type=Path)
    ap.add_argument("baseline")
    ap.add_argument("variants", nargs="+")
    ap.add_argument("--indicators", nargs="+", default=DEFAULT)
    ap.add_argument("--by-year", action="store_true", help="each scenario's mean by year instead of the changes")
    args = ap.parse_args()
    if args.by_year:
        for name in args.indicators:
            print(name)
            for scenario in [args.baseline, *args.variants]:
                table = city_runs(args.folder, scenario)
                means = table[(table.indicator == name) & (table.year >= 2020)].groupby("year").value.mean()
                print(f"  {scenario:<32} " + "  ".join(f"{y}: {v:.4g}" for y, v in means.items()))
        return
    for variant in args.variants:
        print(f"{variant} − {args.baseline}")
        for name in args.indicators:
            base, other = per_run(args.folder, args.baseline, name), per_run(args.folder, variant, name)
            change = (other - base).dropna()
            mean, low, high = mean_interval(change)
            print(f"  {name:<22} baseline {base.mean():>9.4g}  change {mean:+9.4g}"
                  f"  90 % interval {low:+.4g} to {high:+.4g}"
                  f"  runs > 0: baseline {int((base > 0).sum())}, variant {int((other > 0).sum())} of {len(change)}")


if __name__ == "__main__":
    main()
