"""Time the current tree against another commit in the same run, alternating, and print the ratios (issue 18).

    python benchmarks/compare_commits.py [--base a19e74d] [--cases scale20 scale50] [--repeats 3]

Cases (each a fresh process on one core, set-up + run + annual tables — a tree without ``model.annual_table()``
made its annual and monthly tables together — seed 0, the scenario's own values):

- ``scale20``: one Panzhihua plan run at scale 20;
- ``scale50``: one Anshan plan run at scale 50;
- ``full``: one Anshan plan run at scale 1 (every household), with peak memory — minutes per run;
- ``calibration``: what one calibration simulation costs: an Anshan plan run at scale 50 through the years the
  calibration needs (a tree whose ``model.run`` takes ``until_year`` stops after 2021; a19e74d's ran to 2025);
- ``mc``: ``run_sim.py mc`` of 20 Panzhihua runs at scale 50 on 2 workers (runs per second).

The base commit is checked out into a temporary git worktree; each timing runs with that tree first on the
import path (``mc`` runs that tree's ``run_sim.py``, whose folder Python puts first), and for the one-run cases
the script checks that each side imported its own ``sim``. The trees are timed alternately
(base, current, then current, base, …) so that a machine's drift affects both alike; the ratio base / current of
the median times is what to quote — on a shared machine absolute seconds mean little.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

ONE_RUN = """
import json, resource, sys, time
from pathlib import Path
import sim
from sim.config.loader import load_scenario
from sim.model import HousingMarketModel
t0 = time.perf_counter()
model = HousingMarketModel(load_scenario(Path(sys.argv[1])), seed=0, scale=int(sys.argv[2]))
if sys.argv[3] == "calibration":
    try:
        model.run(until_year=2021)
    except TypeError:   # a tree whose calibration ran every year
        model.run()
else:
    model.run()
model.annual_table() if hasattr(model, "annual_table") else model.results()   # a tree without it made both
print(json.dumps({"seconds": time.perf_counter() - t0, "sim": sim.__file__,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

CASES = {  # name: (scenario file, scale) for one run; "mc" is timed through the command line
    "scale20": ("scenarios/panzhihua_plan.toml", 20),
    "scale50": ("scenarios/anshan_plan.toml", 50),
    "full": ("scenarios/anshan_plan.toml", 1),
    "calibration": ("scenarios/anshan_plan.toml", 50),
}
MC_RUNS = 20


def timed(tree: Path, case: str) -> dict:
    """One timing of ``case`` with ``tree``'s code."""
    env = {**os.environ, "PYTHONPATH": str(tree), "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    if case == "mc":
        with tempfile.TemporaryDirectory() as out:
            t0 = time.perf_counter()
            subprocess.run([sys.executable, str(tree / "run_sim.py"), "mc", str(tree / "scenarios/panzhihua_plan.toml"),
                            "--runs", str(MC_RUNS), "--workers", "2", "--scale", "50", "--params", "scenario",
                            "--out", str(Path(out) / "mc")], cwd=tree, env=env, check=True, capture_output=True)
            seconds = time.perf_counter() - t0
        return {"seconds": seconds, "runs_per_second": MC_RUNS / seconds}
    scenario, scale = CASES[case]
    done = subprocess.run([sys.executable, "-c", ONE_RUN, str(tree / scenario), str(scale), case], cwd=tree, env=env,
                          check=True, capture_output=True, text=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if not Path(result["sim"]).resolve().is_relative_to(tree.resolve()):
        raise RuntimeError(f"{tree}: imported sim from {result['sim']}, not from the tree being timed")
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", default="a19e74d", help="commit to compare against (default a19e74d)")
    ap.add_argument("--cases", nargs="+", default=["scale20", "scale50"], choices=[*CASES, "mc"],
                    help="what to time (default scale20 scale50)")
    ap.add_argument("--repeats", type=int, default=3, help="timings per tree and case (default 3)")
    args = ap.parse_args()
    base_dir = Path(tempfile.mkdtemp(prefix="bench-base-"))
    worktree = base_dir / "tree"
    subprocess.run(["git", "worktree", "add", "--detach", str(worktree), args.base], cwd=ROOT, check=True,
                   capture_output=True)
    try:
        trees = {"base": worktree, "current": ROOT}
        print(f"base {args.base} vs current tree, {args.repeats} alternating timings per case")
        for case in args.cases:
            times: dict[str, list[dict]] = {"base": [], "current": []}
            for i in range(args.repeats):
                order = ("base", "current") if i % 2 == 0 else ("current", "base")
                for name in order:
                    times[name].append(timed(trees[name], case))
                    print(f"  {case} {name}: {times[name][-1]['seconds']:.2f} s", flush=True)
            median = {n: statistics.median(t["seconds"] for t in ts) for n, ts in times.items()}
            line = (f"{case}: median base {median['base']:.2f} s, current {median['current']:.2f} s, "
                    f"speed-up {median['base'] / median['current']:.2f}×")
            if case != "mc":
                peak = {n: max(t["peak_mb"] for t in ts) for n, ts in times.items()}
                line += f"; peak memory base {peak['base']:.0f} MB, current {peak['current']:.0f} MB"
            print(line, flush=True)
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=ROOT, capture_output=True)
        shutil.rmtree(base_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
