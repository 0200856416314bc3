"""What a run costs per household row and what it costs whatever the rows (README "Performance", issue 18).

    python benchmarks/scale_cost.py [--city panzhihua] [--scales 20 50 100 200 400] [--repeats 3]

Times one plan run (set-up, 2016–2025 and the annual table; seed 0, the scenario's own values) at each scale,
best of ``--repeats``, and fits time = fixed + per_row × household rows by least squares. The fixed part is what
the monthly Python over projects, developers, districts and rules costs (the number of projects does not shrink
with the scale: a parcel's dwellings do); the per-row part is the vectorised household arithmetic. A speed-up of
the household passes alone cannot take a run below its fixed part.

It also times the random draws of each run (every stream of ``sim.state.random_streams`` wrapped in a timer; the
draws are the same, so is the run) and prints their time per household row and month: a floor under the per-row
part that no rewrite of the arithmetic removes while every household draws each month (the common random
numbers of ``compare`` rest on each household keeping its own draws).
"""
from __future__ import annotations

import argparse
import dataclasses
import time
from pathlib import Path

import numpy as np

from sim.config.loader import load_scenario
from sim.model import HousingMarketModel
from sim.state.calendar import N_MONTHS

ROOT = Path(__file__).resolve().parents[1]


class TimedGenerator:
    """A ``numpy.random.Generator`` whose draws are timed (``seconds``): the same numbers, in the same order."""

    def __init__(self, generator: np.random.Generator) -> None:
        self._generator, self.seconds = generator, 0.0

    def __getattr__(self, name: str):
        method = getattr(self._generator, name)

        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started
        return timed


def timed_run(city: str, scale: int, time_draws: bool = False) -> tuple[float, int, float, int]:
    """(seconds, household rows at the start, seconds in random draws after set-up, household-months) of one
    plan run at ``scale``."""
    scenario = load_scenario(ROOT / "scenarios" / f"{city}_plan.toml")
    started = time.perf_counter()
    model = HousingMarketModel(scenario, seed=0, scale=scale)
    rows = len(model.state.households.income)
    if time_draws:
        timed = {f.name: TimedGenerator(getattr(model.streams, f.name)) for f in dataclasses.fields(model.streams)}
        model.streams = model.government.streams = dataclasses.replace(model.streams, **timed)
    household_months = 0
    while model.running and not model.state.calendar.finished:
        household_months += int(model.state.households.resident.sum())
        model.step()
    model.annual_table()
    draws = sum(g.seconds for g in vars(model.streams).values() if isinstance(g, TimedGenerator))
    return time.perf_counter() - started, rows, draws, household_months


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--city", default="panzhihua", choices=["panzhihua", "anshan"])
    ap.add_argument("--scales", type=int, nargs="+", default=[20, 50, 100, 200, 400])
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    timing = {}
    for _ in range(args.repeats):          # scales interleaved, so that a machine's drift touches them alike
        for scale in args.scales:
            seconds, rows, _, _ = timed_run(args.city, scale)
            timing[scale] = (min(seconds, timing.get(scale, (np.inf, 0))[0]), rows)
    rows = np.array([timing[s][1] for s in args.scales], dtype=float)
    seconds = np.array([timing[s][0] for s in args.scales])
    per_row, fixed = np.polyfit(rows, seconds, 1)
    print(f"{args.city} plan run, best of {args.repeats}")
    for scale, (t, n) in timing.items():
        print(f"  scale {scale:>4}: {n:>8,} household rows  {t:6.3f} s   fixed part {fixed / t:5.0%}")
    print(f"fit: fixed {fixed:.3f} s a run ({fixed / N_MONTHS * 1000:.2f} ms a month), "
          f"{per_row * 1e6:.2f} µs per household row a run ({per_row / N_MONTHS * 1e9:.0f} ns per row-month)")
    scale = min(args.scales)
    seconds, _, draws, household_months = timed_run(args.city, scale, time_draws=True)
    print(f"random draws at scale {scale}: {draws:.3f} s of a {seconds:.3f} s run ({draws / seconds:.0%}), "
          f"{draws / household_months * 1e9:.0f} ns per resident household-month")


if __name__ == "__main__":
    main()
