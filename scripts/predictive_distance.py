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
from sim.api import CALIBRATION_SCALE  # noqa: E402
from sim.config.loader import load_scenario  # noqa: E402
from sim.model import HousingMarketModel  # noqa: E402
from sim.montecarlo.parameters import ParameterSource  # noqa: E402
from sim.montecarlo.seeds import run_seed  # noqa: E402


def one(args: tuple[str, str, int]) -> dict[str, float]:
    """The moments of one posterior predictive run."""
    city, posterior, run = args
    ms = moments(city)
    values = ParameterSource.from_csv(Path(posterior)).for_run(0, run)
    model = HousingMarketModel(load_scenario(ROOT / "scenarios" / f"{city}_plan.toml").with_overrides(values),
                               seed=run_seed(0, run), scale=CALIBRATION_SCALE)
    model.run(until_year=max(m.year for m in ms))
    return simulated(model.results()[0], ms)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("city", choices=["panzhihua", "anshan"])
    ap.add_argument("--posterior", nargs="+", help="posterior CSVs (default: the committed one)")
    ap.add_argument("--runs", type=int, default=100)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    ms = moments(args.city)
    observed = np.array([m.observed for m in ms])
    posteriors = args.posterior or [str(ROOT / "calibration" / "fitted" / f"{args.city}.csv")]
    with ProcessPoolExecutor(args.workers) as pool:
        for posterior in posteriors:
            table = pd.DataFrame(list(pool.map(one, [(args.city, posterior, r) for r in range(args.runs)])))
            d = distances(log_error_table(table, ms), ms)
            values = table[[m.name for m in ms]].to_numpy(float)
            low, high = np.nanquantile(values, 0.05, axis=0), np.nanquantile(values, 0.95, axis=0)
            inside = ((observed >= low) & (observed <= high)).mean()
            print(f"{posterior}: {args.runs} runs, distance mean {d.mean():.3f}, median {np.median(d):.3f}; "
                  f"figures inside the 90 % band {inside:.0%} ({int(round(inside * len(ms)))} of {len(ms)})")


if __name__ == "__main__":
    main()
