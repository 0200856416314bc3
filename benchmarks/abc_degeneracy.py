"""Where ABC-SMC's collapsing weights come from: simulation noise in the distance, and weakly identified parameters.

    python benchmarks/abc_degeneracy.py [CITY] [--seeds 12] [--posterior FILE]

1. **Noise.** The mean of a posterior (``--posterior``, default the city's ``calibration/fitted/<city>.csv``; the
   README's figures are for ABC-SMC's, ``git show 1b87b80:calibration/fitted/<city>.csv``) is run on ``--seeds`` model
   seeds (2016–2021, the calibration's scale) and the distance to the plans' figures (``calibration.moments``) of
   each run is printed: if its spread across seeds is as large as the steps by which ABC-SMC lowers its
   threshold between late generations, acceptance is decided by lucky seeds, and a few particles that drew well
   carry all the weight.
2. **Identification.** With the city's first-round reference table (``calibration/fitted/<city>.reference.parquet``,
   made by ``run_sim.py calibrate``): how much of each parameter a quadratic regression on the figures' log errors
   predicts on held-out runs (R²). A parameter the figures barely determine (R² near 0) lets ABC-SMC's kernel
   wander in a flat direction.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from calibration.abc import param_seed  # noqa: E402
from calibration.moments import LAST_YEAR, distance, log_error_table, moments, simulated  # noqa: E402
from calibration.priors import load_priors  # noqa: E402
from calibration.reference_table import load  # noqa: E402
from sim.api import CALIBRATION_SCALE  # noqa: E402
from sim.config.loader import load_scenario  # noqa: E402
from sim.model import HousingMarketModel  # noqa: E402


def noise(city: str, seeds: int, posterior_file: Path) -> np.ndarray:
    posterior = pd.read_csv(posterior_file)
    mean = {k: float(np.average(posterior[k], weights=posterior.weight)) for k in posterior.columns if k != "weight"}
    scenario = load_scenario(ROOT / "scenarios" / f"{city}_plan.toml").with_overrides(mean)
    ms = moments(city)
    out = []
    for replicate in range(seeds):
        model = HousingMarketModel(scenario, seed=param_seed(0, mean, replicate), scale=CALIBRATION_SCALE)
        model.run(until_year=LAST_YEAR)
        out.append(distance(simulated(model.annual_table(), ms), ms))
    return np.array(out)


def identification(city: str) -> pd.Series | None:
    path = ROOT / "calibration" / "fitted" / f"{city}.reference.parquet"
    if not path.exists():
        return None
    priors, ms = load_priors(city), moments(city)
    u, table = load(path, priors, ms)
    errors = log_error_table(table, ms)
    design = np.column_stack([np.ones(len(errors)), errors, errors ** 2])
    test = np.arange(len(u)) % 10 == 0
    beta, *_ = np.linalg.lstsq(design[~test], u[~test], rcond=None)
    residual = ((u[test] - design[test] @ beta) ** 2).sum(axis=0)
    r2 = 1.0 - residual / ((u[test] - u[test].mean(axis=0)) ** 2).sum(axis=0)
    return pd.Series(r2, index=[p.key for p in priors])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("city", nargs="?", default="panzhihua", choices=["panzhihua", "anshan"])
    ap.add_argument("--seeds", type=int, default=12)
    ap.add_argument("--posterior", type=Path, help="posterior CSV (default calibration/fitted/CITY.csv)")
    args = ap.parse_args()
    d = noise(args.city, args.seeds, args.posterior or ROOT / "calibration" / "fitted" / f"{args.city}.csv")
    print(f"{args.city}: distance to the plans' figures at the posterior mean over {args.seeds} seeds: "
          f"mean {d.mean():.3f}, sd {d.std(ddof=1):.3f}, min {d.min():.3f}, max {d.max():.3f}")
    r2 = identification(args.city)
    if r2 is not None:
        print("held-out R² of each parameter from the figures (0 = the figures say nothing about it):")
        print(r2.sort_values(ascending=False).round(2).to_string())


if __name__ == "__main__":
    main()
