"""Do the plans' rules act the way the plans intend? Paired checks against the plan scenario (issue 17).

    python scripts/plan_rule_checks.py [--city panzhihua] [--runs 40] [--scale 50] [--out DIR]

Four variants made in code, each acting from 2021, run against the plan scenario on common seeds and posterior
parameter draws (``api.compare``):

- ``red_lines_off``: the three red lines never take effect (000 三(一)5 asks them to 杜绝问题楼盘增量, so with
  them on, new problem projects 2021–2025 should not be higher);
- ``supervision_x2``: the supervised presale amount doubled (000 三(一)4: supervised money pays the project's
  own construction, so stalled projects should not be higher);
- ``rental_quota_x2``: the rental-subsidy quota and budget doubled (more subsidised households, a lower rent
  burden of the renters approved for support);
- ``eligibility_widened``: rental support open to households in the lowest three income fifths instead of two
  (more eligible; more subsidised only where quota and budget leave room — otherwise a longer 轮候 queue).

Prints the median paired difference (variant − plan) with its 90 % interval for the indicators each check is
about, the mean change in new problem projects and in how many runs they fall or rise, and writes the comparison
(``comparison.csv``, ``report.html``) to ``--out``, with ``run_values.csv`` (each run's city values of the key
indicators in 2021–2025, small enough to commit where the run files are not) and ``golden_checksums.json`` (the
golden-output checksums of the model that made them): ``tests/test_rule_checks.py`` reads the committed checks,
and only while they match the model.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

KEY = ["problem_projects_new", "problem_projects", "developers_failed", "red_line_developers", "sales_area",
       "supply_area", "investment", "escrow_balance", "subsidies_granted", "subsidy_households", "rent_burden",
       "approved_rent_burden",
       "guaranteed_rental_units", "rental_max_wait"]

VARIANTS = {  # name: (description, overrides from the plan scenario's parameters)
    "red_lines_off": ("the three red lines never take effect", lambda p: {"red_lines.start_year": 2035}),
    "supervision_x2": ("supervised presale amount ×2", lambda p: {
        "escrow.supervised_multiple": 2 * p.escrow.supervised_multiple,
        "escrow.red_line_supervised_multiple": 2 * p.escrow.red_line_supervised_multiple}),
    "rental_quota_x2": ("rental-subsidy quota and budget ×2", lambda p: {"rental_support.annual_quota*": 2,
                                                                        "rental_support.annual_budget*": 2}),
    "eligibility_widened": ("rental support open to the lowest three income fifths, not two", lambda p: {
        "rental_support.lower_middle_income_quantile": 0.6}),
}


def main() -> None:
    from sim import api

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--city", default="panzhihua", choices=list(api.CITIES))
    ap.add_argument("--runs", type=int, default=40, help="paired runs per variant (at least 40 for a reading)")
    ap.add_argument("--scale", type=int, default=api.MC_SCALE)
    ap.add_argument("--out", type=Path, default=None, help="comparison folder (default: a temporary one)")
    args = ap.parse_args()
    base = api.load(f"{args.city}_plan")
    variants = [base.variant(f"{args.city}_{name}", description, overrides(base.params))
                for name, (description, overrides) in VARIANTS.items()]
    with tempfile.TemporaryDirectory() as tmp:
        result = api.compare(base, variants, runs=args.runs, seed=0, scale=args.scale, workers=2,
                             out=args.out or Path(tmp) / "compare", progress=True)
        shutil.copyfile(ROOT / "tests" / "golden_checksums.json", result.out_dir / "golden_checksums.json")
        values = write_run_values(result.out_dir, [base.name, *(v.name for v in variants)])
    plan = new_problem_projects(values, base.name)
    runs_apart = {v.name: new_problem_projects(values, v.name) - plan for v in variants}
    table = result.indicators()
    table = table[table.indicator.isin(KEY)]
    print(f"{args.city}: variant − plan, {args.runs} paired runs at scale {args.scale}")
    print(table[["variant", "indicator", "period", "unit", "baseline", "difference", "p5", "p95"]].to_string(
        index=False, float_format=lambda x: f"{x:.4g}"))
    print(f"\nnew problem projects 2021–2025 per run: plan mean {plan.mean():.3g}")
    for name, diff in runs_apart.items():
        print(f"  {name}: mean change {diff.mean():+.3g}; fewer in {(diff < 0).sum()} runs, more in "
              f"{(diff > 0).sum()} of {len(diff)}")


def run_values(comparison: Path, scenario: str) -> pd.DataFrame:
    """One scenario's runs from a comparison folder: run, year, indicator, value (city, 2021–2025, ``KEY``)."""
    from sim.montecarlo.run_matrix import RunMatrix
    from sim.state.records import CITY

    matrix = RunMatrix.from_files(sorted((comparison / "batches" / scenario / "runs").glob("run-*.parquet")))
    table = matrix.long(matrix.columns(district=CITY))
    table = table[table.indicator.isin(KEY) & (table.year > 2020)]
    return table[["run", "year", "indicator", "value"]]


def write_run_values(comparison: Path, scenarios: list[str]) -> pd.DataFrame:
    """Every scenario's ``run_values`` in one table (scenario, run, year, indicator, value), written to
    ``run_values.csv`` in the comparison folder and returned."""
    table = pd.concat([run_values(comparison, s).assign(scenario=s) for s in scenarios], ignore_index=True)
    table = table[["scenario", "run", "year", "indicator", "value"]]
    table.to_csv(comparison / "run_values.csv", index=False, float_format="%.6g")
    return table


def new_problem_projects(values: pd.DataFrame, scenario: str) -> pd.Series:
    """New problem projects 2021–2025 in the city, per run, from ``write_run_values``' table."""
    rows = values[(values.scenario == scenario) & (values.indicator == "problem_projects_new")]
    return rows.groupby("run").value.sum()


if __name__ == "__main__":
    main()
