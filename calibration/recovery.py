"""Does the calibration work at all? Recover known parameters from data simulated with them.

    python -m calibration.recovery CITY [--budget N] [--population P] [--scale K] [--workers W]

The moments are simulated at known "true" parameter values (a point inside the prior, not its centre) and
averaged over ``SYNTHETIC_RUNS`` seeds, so the synthetic data are the model's expected moments rather than
one noisy draw; they replace the plans' figures and ABC-SMC then calibrates the same parameters from the
prior. The check passes when every true value lies inside its weighted 5–95 % posterior interval. It also
reports how much the posterior narrowed each prior (interval width / prior width, on the prior's sampling
scale: log for log-uniform priors).
"""
from __future__ import annotations

import argparse
import os
import tempfile
from dataclasses import replace
from pathlib import Path

import pandas as pd

from sim.config.loader import Scenario, load_scenario
from sim.montecarlo.executor import make_executor

from .abc import MomentSimulator, calibrate
from .moments import moments
from .priors import Prior, load_priors
from .report import weighted_quantile

ROOT = Path(__file__).resolve().parent.parent
TRUE_POINT = 0.35   # true values sit at 35 % of each prior range (on its sampling scale)
SYNTHETIC_RUNS = 4  # simulations averaged into the synthetic data


def recovery(scenario: Scenario, priors: list[Prior], executor, *, budget: int, population: int, scale: int,
             seed: int = 0, jobs_in_flight: int = 8) -> pd.DataFrame:
    """One row per parameter: true value, posterior 5 %, 95 %, inside, interval width / prior width."""
    truth = {p.name: float(p.from_unit(TRUE_POINT)) for p in priors}
    ms = moments(scenario.city)
    draws = pd.DataFrame([MomentSimulator(scenario, priors, ms, scale, root_seed=seed + 1 + k)(truth)
                          for k in range(SYNTHETIC_RUNS)])
    synthetic = draws.mean().to_dict()
    ms_synthetic = [replace(m, observed=synthetic[m.name]) for m in ms if synthetic.get(m.name, 0) > 0]
    with tempfile.TemporaryDirectory() as tmp:
        posterior, _ = calibrate(scenario, priors, executor, budget=budget, population=population, scale=scale,
                                 seed=seed, posterior_path=Path(tmp) / "posterior.csv", ms=ms_synthetic,
                                 jobs_in_flight=jobs_in_flight)
    rows = []
    for p in priors:
        lo = weighted_quantile(posterior[p.key], posterior.weight, 0.05)
        hi = weighted_quantile(posterior[p.key], posterior.weight, 0.95)
        true = truth[p.name]
        rows.append({"parameter": p.key, "true": true, "p5": lo, "p95": hi, "inside": lo <= true <= hi,
                     "width_vs_prior": float(p.to_unit(hi) - p.to_unit(lo))})
    return pd.DataFrame(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("city", choices=["panzhihua", "anshan"])
    ap.add_argument("--budget", type=int, default=1000)
    ap.add_argument("--population", type=int, default=100)
    ap.add_argument("--scale", type=int, default=50)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    scenario = load_scenario(ROOT / "scenarios" / f"{args.city}_plan.toml")
    with make_executor(args.workers) as ex:
        table = recovery(scenario, load_priors(args.city), ex, budget=args.budget, population=args.population,
                         scale=args.scale, jobs_in_flight=2 * args.workers)
    with pd.option_context("display.width", 200):
        print(table.to_string(index=False))
    print(f"\ntrue values inside the 90 % posterior interval: {int(table.inside.sum())} of {len(table)}")


if __name__ == "__main__":
    main()
