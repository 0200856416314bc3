"""How close a posterior's runs come to the plan's figures: the calibration's distance over posterior predictive
runs (README "Calibration").

    python scripts/predictive_distance.py anshan [--posterior A.csv [B.csv ...]] [--runs 100] [--workers 2]

For each posterior sample (default ``calibration/fitted/<city>.csv``; an older one, e.g. ``git show
REV:calibration/fitted/anshan.csv > old.csv``): ``--runs`` runs at parameter sets drawn from it by weight, at the
calibration's scale and years, with the same seeds for every posterior (paired), and prints the mean and median of
the calibration's distance (``calibration.moments.distances``: root-mean-square log ratio to the plan's figures,
0.1 ≈ 10 % off) and the share of the plan's figures inside the runs' 5–95 % band.
"""
from __future__ import annotations

import argparse
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from calibration.moments import distances, log_error_table, moments, simulated  # noqa: E402
from calibration.report import fit_summary, fit_table  # noqa: E402
from sim.api import CALIBRATION_SCALE  # noqa: E402
from sim.config.loader import load_scenario  # noqa: E402
from sim.model import HousingMarketModel  # noqa: E402
from sim.montecarlo.parameters import ParameterSource  # noqa: E402
from sim.montecarlo.seeds import run_seed  # noqa: E402


def one(args: tuple[str, str, int]) -> pd.DataFrame:
    """The annual table of one posterior predictive run, to the last year of the city's figures."""
    city, posterior, run = args
    ms = moments(city)
    values = ParameterSource.from_csv(Path(posterior)).for_run(0, run)
    model = HousingMarketModel(load_scenario(ROOT / "scenarios" / f"{city}_plan.toml").with_overrides(values),
                               seed=run_seed(0, run), scale=CALIBRATION_SCALE)
    model.run(until_year=max(m.year for m in ms))
    return model.annual_table().assign(run=run)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("city", choices=["panzhihua", "anshan"])
    ap.add_argument("--posterior", nargs="+", help="posterior CSVs (default: the committed one)")
    ap.add_argument("--runs", type=int, default=100)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    ms = moments(args.city)
    posteriors = args.posterior or [str(ROOT / "calibration" / "fitted" / f"{args.city}.csv")]
    with ProcessPoolExecutor(args.workers) as pool:
        for posterior in posteriors:
            runs = pd.concat(pool.map(one, [(args.city, posterior, r) for r in range(args.runs)]))
            per_run = pd.DataFrame([simulated(g, ms) for _, g in runs.groupby("run")])
            d = distances(log_error_table(per_run, ms), ms)
            inside = fit_summary(fit_table(runs, ms))["inside_share"]      # as the calibration's fit report
            print(f"{posterior}: {args.runs} runs, distance mean {d.mean():.3f}, median {np.median(d):.3f}; "
                  f"figures inside the 90 % band {inside:.0%} ({int(round(inside * len(ms)))} of {len(ms)})")


if __name__ == "__main__":
    main()
