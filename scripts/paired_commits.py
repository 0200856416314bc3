"""What a code change did to the model: paired runs of the plan scenario at two commits.

    python scripts/paired_commits.py OLD_COMMIT [--city panzhihua] [--runs 40] [--scale 50] [--workers 2]

Run i of both commits has the same seed (SeedSequence(0, spawn_key=(i,))) and the same parameter draw from the
city's fitted posterior (of each commit's tree), so every difference is the code's. Prints, for the key
indicators' 2021–2025 measure (five-year total of a flow, 2025 level otherwise), the mean paired difference,
its 90 % interval across runs, and how many runs changed at all. The old commit is checked out in a temporary
git worktree; this tree is the new side (uncommitted edits included).
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
KEY = ["sales_area", "avg_price", "inventory_area", "destocking_cycle", "supply_area", "investment",
       "problem_projects", "land_supplied", "population", "per_capita_floor_area", "escrow_balance",
       "subsidy_households"]
YEARS = range(2021, 2026)

_RUNNER = """
import sys
import pandas as pd
tree, city, runs, scale, workers, out = sys.argv[1:7]
sys.path.insert(0, tree)
from concurrent.futures import ProcessPoolExecutor
from sim.config.loader import load_scenario
from sim.model import HousingMarketModel
from sim.montecarlo.parameters import ParameterSource
from sim.montecarlo.seeds import run_seed

def one(r):
    sc = load_scenario(f"{tree}/scenarios/{city}_plan.toml")
    sc = sc.with_overrides(ParameterSource.from_csv(f"{tree}/calibration/fitted/{city}.csv").for_run(0, r))
    model = HousingMarketModel(sc, seed=run_seed(0, r), scale=int(scale))
    model.run()
    a = model.results()[0]
    a = a[a.district == "all"].assign(run=r)
    return a[["run", "year", "indicator", "value"]]

if __name__ == "__main__":
    with ProcessPoolExecutor(int(workers)) as ex:
        pd.concat(list(ex.map(one, range(int(runs))))).to_parquet(out)
"""


def runs_of(tree: Path, args: argparse.Namespace, out: Path) -> pd.DataFrame:
    subprocess.run([sys.executable, "-c", _RUNNER, str(tree), args.city, str(args.runs), str(args.scale),
                    str(args.workers), str(out)], check=True, cwd=tree)
    return pd.read_parquet(out)


def measure(runs: pd.DataFrame) -> pd.DataFrame:
    """Per run and key indicator: the 2021–2025 total of a flow, the 2025 level otherwise."""
    from sim.indicators import FLOW_INDICATORS

    sel = runs[runs.indicator.isin(KEY) & runs.year.isin(YEARS)]
    flows = sel[sel.indicator.isin(FLOW_INDICATORS)].groupby(["indicator", "run"]).value.sum()
    levels = sel[~sel.indicator.isin(FLOW_INDICATORS) & (sel.year == max(YEARS))].set_index(["indicator", "run"]).value
    return pd.concat([flows, levels])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("old", help="the commit to compare with (e.g. HEAD, 6da4fbd)")
    ap.add_argument("--city", default="panzhihua", choices=["panzhihua", "anshan"])
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument("--scale", type=int, default=50)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        old_tree = Path(tmp) / "old"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(old_tree), args.old], cwd=ROOT, check=True)
        try:
            old = measure(runs_of(old_tree, args, Path(tmp) / "old.parquet"))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old_tree)], cwd=ROOT, check=True)
        new = measure(runs_of(ROOT, args, Path(tmp) / "new.parquet"))
    d = (new - old).rename("difference").reset_index()
    table = d.groupby("indicator").difference.agg(
        mean="mean", p5=lambda x: x.quantile(0.05), p95=lambda x: x.quantile(0.95),
        runs_changed=lambda x: int((x.abs() > 1e-9).sum()))
    table["baseline_mean"] = old.groupby("indicator").mean()
    print(f"{args.city}: {args.runs} paired runs at scale {args.scale}, {args.old} → this tree; 2021–2025 measure")
    with pd.option_context("display.width", 160):
        print(table[["baseline_mean", "mean", "p5", "p95", "runs_changed"]].round(4).to_string())
    moved = table[(table.p5 > 0) | (table.p95 < 0)]
    print("\n90 % interval excludes zero: " + (", ".join(moved.index) if len(moved) else "none"))


if __name__ == "__main__":
    main()
