"""What a run costs per household row and what it costs whatever the rows (README "Performance", issue 18).

    python benchmarks/scale_cost.py [--city panzhihua] [--scales 20 50 100 200 400] [--repeats 3]

Times one plan run (set-up, 120 months and the annual tables; seed 0, the scenario's own values) at each scale,
best of ``--repeats``, and fits time = fixed + per_row × household rows by least squares. The fixed part is what
the monthly Python over projects, developers, districts and rules costs (the number of projects does not shrink
with the scale: a parcel's dwellings do); the per-row part is the vectorised household arithmetic. A speed-up of
the household passes alone cannot take a run below its fixed part.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from sim.config.loader import load_scenario
from sim.model import HousingMarketModel

ROOT = Path(__file__).resolve().parents[1]


def timed_run(city: str, scale: int) -> tuple[float, int]:
    """(seconds, household rows at the start) of one plan run at ``scale``."""
    scenario = load_scenario(ROOT / "scenarios" / f"{city}_plan.toml")
    started = time.perf_counter()
    model = HousingMarketModel(scenario, seed=0, scale=scale)
    rows = len(model.state.households.income)
    model.run()
    model.annual_table()
    return time.perf_counter() - started, rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--city", default="panzhihua", choices=["panzhihua", "anshan"])
    ap.add_argument("--scales", type=int, nargs="+", default=[20, 50, 100, 200, 400])
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    timing = {}
    for _ in range(args.repeats):          # scales interleaved, so that a machine's drift touches them alike
        for scale in args.scales:
            seconds, rows = timed_run(args.city, scale)
            timing[scale] = (min(seconds, timing.get(scale, (np.inf, 0))[0]), rows)
    rows = np.array([timing[s][1] for s in args.scales], dtype=float)
    seconds = np.array([timing[s][0] for s in args.scales])
    per_row, fixed = np.polyfit(rows, seconds, 1)
    print(f"{args.city} plan run, best of {args.repeats}")
    for scale, (t, n) in timing.items():
        print(f"  scale {scale:>4}: {n:>8,} household rows  {t:6.3f} s   fixed part {fixed / t:5.0%}")
    print(f"fit: fixed {fixed:.3f} s a run ({fixed / 120 * 1000:.2f} ms a month), "
          f"{per_row * 1e6:.2f} µs per household row a run ({per_row / 120 * 1e9:.0f} ns per row-month)")


if __name__ == "__main__":
    main()
