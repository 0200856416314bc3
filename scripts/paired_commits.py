"""What a code change did to the model: paired runs of the plan scenario at two commits.

    python scripts/paired_commits.py OLD_COMMIT [--city panzhihua] [--runs 40] [--scale 50] [--workers 2]
                                                [--scenario-values]

Run i of both commits has the same seed (SeedSequence(0, spawn_key=(i,))) and the same parameter draw from the
city's fitted posterior (of each commit's tree), so every difference is the code's — or, with
``--scenario-values``, the scenario file's own values in both, so that a refactor between commits whose posteriors
differ shows as no run changed. Prints, for the key
indicators' 2021–2025 measure (five-year total of a flow, 2025 level otherwise), the mean paired difference,
its 90 % interval across runs, how many runs changed at all, and the two-sample Mann–Whitney p-value of the
two commits' 2021–2025 measures (the test to read when a change re-draws the random numbers, so that the
pairs are no longer alike: a small p-value says the indicator's distribution moved; ``--by-year`` prints one
p-value per indicator and year). The old commit is checked out in a temporary
git worktree; this tree is the new side (uncommitted edits included).
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd
from scipy.stats import mannwhitneyu

ROOT = Path(__file__).resolve().parents[1]
KEY = ["sales_area", "avg_price", "inventory_area", "destocking_cycle", "supply_area", "investment",
       "problem_projects", "land_supplied", "population", "per_capita_floor_area", "escrow_balance",
       "subsidy_households"]
YEARS = range(2021, 2026)

_RUNNER = """
import sys
import pandas as pd
tree, city, runs, scale, workers, out, values = sys.argv[1:8]
sys.path.insert(0, tree)
from concurrent.futures import ProcessPoolExecutor
from sim.config.loader import load_scenario
from sim.model import HousingMarketModel
from sim.montecarlo.parameters import ParameterSource
from sim.montecarlo.seeds import run_seed

def one(r):
    sc = load_scenario(f"{tree}/scenarios/{city}_plan.toml")
    if values == "posterior":
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
                    str(args.workers), str(out), "scenario" if args.scenario_values else "posterior"],
                   check=True, cwd=tree)
    return pd.read_parquet(out)


def measure(runs: pd.DataFrame) -> pd.DataFrame:
    """Per run and key indicator: the 2021–2025 total of a flow, the 2025 level otherwise."""
    from sim.indicators import FLOW_INDICATORS

    sel = runs[runs.indicator.isin(KEY) & runs.year.isin(YEARS)]
    flows = sel[sel.indicator.isin(FLOW_INDICATORS)].groupby(["indicator", "run"]).value.sum()
    levels = sel[~sel.indicator.isin(FLOW_INDICATORS) & (sel.year == max(YEARS))].set_index(["indicator", "run"]).value
    return pd.concat([flows, levels])


def two_sample_p(old: pd.Series, new: pd.Series) -> float:
    """Two-sided Mann–Whitney p-value of two samples of runs; 1 where both are constant and equal."""
    if old.nunique() == 1 and new.nunique() == 1 and old.iloc[0] == new.iloc[0]:
        return 1.0
    return float(mannwhitneyu(old.to_numpy(), new.to_numpy(), alternative="two-sided").pvalue)


def by_year(old_runs: pd.DataFrame, new_runs: pd.DataFrame) -> pd.DataFrame:
    """Key indicator × year: the two-sample p-value of the two commits' runs."""
    keys = ["indicator", "year"]
    old = old_runs[old_runs.indicator.isin(KEY)].set_index(keys + ["run"]).value
    new = new_runs[new_runs.indicator.isin(KEY)].set_index(keys + ["run"]).value
    p = {k: two_sample_p(old.xs(k, level=keys), new.xs(k, level=keys)) for k in old.index.droplevel("run").unique()}
    return pd.Series(p).rename_axis(keys).unstack("year")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("old", help="the commit to compare with (e.g. HEAD, 6da4fbd)")
    ap.add_argument("--city", default="panzhihua", choices=["panzhihua", "anshan"])
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument("--scale", type=int, default=50)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--scenario-values", action="store_true",
                    help="run the scenario file's own values in both trees instead of posterior draws")
    ap.add_argument("--by-year", action="store_true", help="also print the two-sample p-value per indicator and year")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        old_tree = Path(tmp) / "old"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(old_tree), args.old], cwd=ROOT, check=True)
        try:
            old_runs = runs_of(old_tree, args, Path(tmp) / "old.parquet")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old_tree)], cwd=ROOT, check=True)
        new_runs = runs_of(ROOT, args, Path(tmp) / "new.parquet")
    old, new = measure(old_runs), measure(new_runs)
    d = (new - old).rename("difference").reset_index()
    table = d.groupby("indicator").difference.agg(
        mean="mean", p5=lambda x: x.quantile(0.05), p95=lambda x: x.quantile(0.95),
        runs_changed=lambda x: int((x.abs() > 1e-9).sum()))
    table["baseline_mean"] = old.groupby("indicator").mean()
    table["p_two_sample"] = [two_sample_p(old[k], new[k]) for k in table.index]
    print(f"{args.city}: {args.runs} paired runs at scale {args.scale}, {args.old} → this tree; 2021–2025 measure")
    with pd.option_context("display.width", 160):
        print(table[["baseline_mean", "mean", "p5", "p95", "runs_changed", "p_two_sample"]].round(4).to_string())
    if args.by_year:
        print("\ntwo-sample p-value per indicator and year (2016–2025)")
        print(by_year(old_runs, new_runs).round(3).to_string())
    moved = table[(table.p5 > 0) | (table.p95 < 0)]
    print("\n90 % interval excludes zero: " + (", ".join(moved.index) if len(moved) else "none"))


if __name__ == "__main__":
    main()
