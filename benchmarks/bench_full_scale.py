"""Time one full-scale Anshan run (every urban household, ~1.05 million rows, 120 months) on one core.

    python benchmarks/bench_full_scale.py [--scenario FILE] [--scale K] [--seed N]

Prints set-up and run time, household-months per second and peak memory (resident set size). For
comparison it also times the same scenario at scale 20 in the same process, and prints the ratio.
Target (issue 2): under 60 s and under 6 GB at scale 1.
"""
from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from sim.config.loader import load_scenario
from sim.model import N_MONTHS, HousingMarketModel

ROOT = Path(__file__).resolve().parent.parent


def timed_run(scenario, scale: int, seed: int) -> tuple[float, float, int]:
    t0 = time.perf_counter()
    model = HousingMarketModel(scenario, seed=seed, scale=scale)
    t1 = time.perf_counter()
    rows = model.state.households.n
    model.run()
    model.results()
    return t1 - t0, time.perf_counter() - t1, rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--scenario", type=Path, default=ROOT / "scenarios" / "anshan_plan.toml")
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    scenario = load_scenario(args.scenario)
    small_setup, small_run, small_rows = timed_run(scenario, 20, args.seed)
    setup, run, rows = timed_run(scenario, args.scale, args.seed)
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2  # ru_maxrss is in KiB on Linux
    print(f"scenario              {scenario.name}")
    print(f"scale                 {args.scale}  ({rows:,} household rows at the start)")
    print(f"set-up                {setup:.1f} s")
    print(f"run (120 months)      {run:.1f} s")
    print(f"household-months/s    {rows * N_MONTHS / run:,.0f}")
    print(f"peak memory (RSS)     {peak_gb:.2f} GB")
    print(f"scale 20 run          {small_run:.2f} s ({small_rows:,} rows); "
          f"time ratio scale {args.scale} / scale 20 = {run / small_run:.1f} for {rows / small_rows:.1f}× the rows")


if __name__ == "__main__":
    main()
