"""Monte Carlo throughput: runs per second of a batch with 1 and with 2 local workers, and memory per worker.

    python benchmarks/bench_mc.py [--scenario FILE] [--runs N] [--scale K]

Both batches run the same runs (same root seed) through the real ``mc`` path (``Batch.execute`` on the
process-pool executor), so their ratio shows how the batch scales with workers on this machine.
"""
from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

from sim.config.loader import load_scenario
from sim.montecarlo.batch import Batch
from sim.montecarlo.executor import make_executor
from sim.montecarlo.parameters import ParameterSource

ROOT = Path(__file__).resolve().parent.parent


def worker_peak(_: int) -> tuple[int, float]:
    """(pid, peak resident set size in GB) of the worker process that runs this."""
    time.sleep(0.2)
    return os.getpid(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2


def measure(scenario, runs: int, scale: int, workers: int) -> tuple[float, dict[int, float]]:
    with tempfile.TemporaryDirectory() as tmp, make_executor(workers) as ex:
        batch = Batch(scenario, runs=runs, root_seed=0, scale=scale, out_dir=Path(tmp),
                      params=ParameterSource("scenario"))
        t0 = time.perf_counter()
        failures = batch.execute(ex, progress=False)
        elapsed = time.perf_counter() - t0
        assert not failures, failures
        peaks = dict(ex.map(worker_peak, range(4 * workers)))
    return runs / elapsed, peaks


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--scenario", type=Path, default=ROOT / "scenarios" / "panzhihua_plan.toml")
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument("--scale", type=int, default=20)
    args = ap.parse_args()
    scenario = load_scenario(args.scenario)
    print(f"scenario {scenario.name}, {args.runs} runs at scale {args.scale}, {os.cpu_count()} cores")
    rates = {}
    for workers in (1, 2):
        rate, peaks = measure(scenario, args.runs, args.scale, workers)
        rates[workers] = rate
        mem = ", ".join(f"{gb:.2f}" for gb in peaks.values())
        print(f"{workers} worker(s): {rate:.2f} runs/s; peak memory per worker (GB): {mem}")
    print(f"speed-up 2 workers / 1 worker: {rates[2] / rates[1]:.2f}")


if __name__ == "__main__":
    main()
