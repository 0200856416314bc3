"""What the scale factor does: paired runs of a plan scenario at two scales.

    python scripts/paired_scales.py [--city panzhihua] [--scales 10 50] [--runs 16] [--workers 2]

Run i at both scales has the same seed and the same parameter draw from the city's fitted posterior. For every
key indicator and year the script prints the mean paired difference (small scale − large scale), relative to
the large scale's mean, and its z score (mean difference / its standard error); |z| > 2 is flagged.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.config.loader import load_scenario  # noqa: E402
from sim.model import HousingMarketModel  # noqa: E402
from sim.montecarlo.executor import WorkerPool  # noqa: E402
from sim.montecarlo.parameters import ParameterSource  # noqa: E402
from sim.montecarlo.seeds import run_seed  # noqa: E402

KEY = ["sales_area", "avg_price", "inventory_area", "destocking_cycle", "supply_area", "investment",
       "per_capita_floor_area", "price_to_income", "population", "households", "vacancy_rate", "land_supplied"]


def one(city: str, scale: int, run: int) -> pd.DataFrame:
    scenario = load_scenario(ROOT / "scenarios" / f"{city}_plan.toml")
    draw = ParameterSource.from_csv(ROOT / "calibration" / "fitted" / f"{city}.csv").for_run(0, run)
    model = HousingMarketModel(scenario.with_overrides(draw), seed=run_seed(0, run), scale=scale)
    model.run()
    annual = model.annual_table()
    annual = annual[(annual.district == "all") & annual.indicator.isin(KEY)]
    return annual.assign(run=run, scale=scale)[["run", "scale", "year", "indicator", "value"]]


def paired(city: str, scales: tuple[int, int], runs: int, workers: int) -> pd.DataFrame:
    """Per indicator and year: mean paired difference, relative to the large scale's mean, and its z score."""
    small, large = sorted(scales)
    with WorkerPool(workers) as ex:
        jobs = [ex.submit(one, city, s, r) for r in range(runs) for s in (small, large)]
        table = pd.concat([j.result() for j in jobs])
    wide = table.pivot_table(index=["indicator", "year", "run"], columns="scale", values="value")
    d = (wide[small] - wide[large]).replace([np.inf, -np.inf], np.nan).rename("d").reset_index()
    g = d.groupby(["indicator", "year"]).d
    out = pd.DataFrame({"mean_difference": g.mean(), "se": g.std() / np.sqrt(g.count()),
                        "large_mean": wide[large].groupby(["indicator", "year"]).mean()})
    out["relative"] = out.mean_difference / out.large_mean
    out["z"] = out.mean_difference / out.se
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--city", default="panzhihua", choices=["panzhihua", "anshan"])
    ap.add_argument("--scales", type=int, nargs=2, default=[10, 50])
    ap.add_argument("--runs", type=int, default=16)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    out = paired(args.city, tuple(args.scales), args.runs, args.workers)
    flagged = out[out.z.abs() > 2]
    with pd.option_context("display.width", 160, "display.max_rows", 200):
        print(f"{args.city}: {args.runs} paired runs, scale {min(args.scales)} − scale {max(args.scales)}")
        print(out.round(4).to_string())
        print(f"\n|z| > 2: {len(flagged)} of {len(out)} indicator-years")
        print(flagged.round(4).to_string())


if __name__ == "__main__":
    main()
