"""Does every variant of the scenario library move the indicators it targets, the way it intends? (issue 19)

    python scripts/lever_targets.py outputs/comparison_panzhihua [--mean [--write]]

Reads a ``run_sim.py compare`` folder's ``comparison.csv`` and prints, for each variant, the indicators it
targets (``TARGETS``: the variant's purpose as its scenario file states it) with the paired change: the median
and the 90 % interval across runs that the comparison reports (5th–95th percentile of variant − baseline, run by
run) and, with ``--mean`` where the folder still holds its ``batches/``, the mean change with the 90 % t interval
of the mean. A target is *moved* when the interval excludes zero on the intended side (sign 0: either side).
``--write`` saves the table as the folder's ``lever_targets.csv`` (committed beside the comparison, whose
``batches/`` are not; ``tests/test_lever_targets.py`` reads it).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.paired_means import per_run  # noqa: E402
from sim.comparison.paired import mean_interval  # noqa: E402

# variant (without the city prefix) → [(indicator, intended sign)]; sign 0 asks for a move either way: the land
# rule both speeds supply (cycle < 12 months: ×1.2–1.5 in Panzhihua) and slows it, so what taking it away or
# swapping it does is the question those variants ask
TARGETS: dict[str, list[tuple[str, int]]] = {
    "credit_eased": [("sales_area", +1)],
    "credit_tightened": [("sales_area", -1)],
    "developer_funding_shock": [("problem_projects_new", +1), ("developers_failed", +1)],
    "land_fixed": [("land_supplied", 0)],
    "land_anshan_rule": [("land_supplied", 0)],
    "land_panzhihua_rule": [("land_supplied", 0)],
    "non_resident_halved": [("non_resident_purchases", -1), ("sales_area", -1)],
    "population_outflow": [("population", -1)],
    "presale_loose": [("escrow_balance", -1), ("problem_projects_new", +1)],
    # supervision keeps buyers' money for their project (000 三(一)4 '确保购房款优先用于项目建设，降低项目风险'): the
    # group can take less of it (presale_sweep_share), so strict supervision lowers project risk, not local building
    "presale_strict": [("escrow_balance", +1), ("problem_projects_new", -1)],
    "rental_cut": [("subsidy_household_years", -1)],
    "rental_expanded": [("subsidy_household_years", +1)],
}


def moved(low: float, high: float, sign: int) -> bool:
    """The interval excludes zero on the intended side (either side for sign 0)."""
    return low > 0 if sign > 0 else high < 0 if sign < 0 else (low > 0 or high < 0)


def targets_table(folder: Path, mean: bool = False) -> pd.DataFrame:
    """One row per (variant, targeted indicator): the comparison's median and 5–95 % paired change, whether it
    moved, and (``mean``) the mean change with its 90 % t interval."""
    table = pd.read_csv(folder / "comparison.csv", encoding="utf-8-sig")
    table = table[table.kind == "indicator"]
    city = table.variant.iloc[0].split("_")[0]
    rows = []
    for variant, targets in TARGETS.items():
        name = f"{city}_{variant}"
        for indicator, sign in targets:
            hit = table[(table.variant == name) & (table.indicator == indicator) & (table.scope == "city")]
            if hit.empty:
                continue
            r = hit.iloc[0]
            row = {"variant": name, "indicator": indicator, "sign": sign, "period": r.period,
                   "baseline": r.baseline, "median change": r.difference, "p5": r.p5, "p95": r.p95,
                   "moved (runs)": moved(r.p5, r.p95, sign)}
            if mean:
                change = (per_run(folder, name, indicator) - per_run(folder, f"{city}_plan", indicator)).dropna()
                mean_change, low, high = mean_interval(change)
                row.update({"mean change": mean_change, "mean low": low, "mean high": high,
                            "moved (mean)": moved(low, high, sign)})
            rows.append(row)
    return pd.DataFrame(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", type=Path)
    ap.add_argument("--mean", action="store_true", help="also the mean change and its t interval (needs batches/)")
    ap.add_argument("--write", action="store_true", help="save the table as FOLDER/lever_targets.csv")
    args = ap.parse_args()
    table = targets_table(args.folder, args.mean)
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(table.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    if args.write:
        table.to_csv(args.folder / "lever_targets.csv", index=False)


if __name__ == "__main__":
    main()
