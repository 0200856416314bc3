"""Does more presale supervision stall more projects? Supervised amount ×2 from 2021 against the plan.

    python scripts/supervision_doubled.py [--city panzhihua] [--runs 40] [--scale 50] [--out DIR]

Both supervised multiples (normal and red-line developers) are doubled from 2021 in a variant made in code;
baseline and variant run on common seeds and posterior parameter draws. Prints the median paired difference
and its 90 % interval for new problem projects 2021–2025, problem projects in 2025, failed developers, sales,
supply, investment and the escrow balance. Under the plan's rule (000 三(一)4: supervised money pays the
project's own construction first) more supervision should not stall more projects.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

KEY = ["problem_projects_new", "problem_projects", "developers_failed", "sales_area", "supply_area", "investment",
       "escrow_balance"]


def main() -> None:
    from sim import api

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--city", default="panzhihua", choices=list(api.CITIES))
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument("--scale", type=int, default=api.MC_SCALE)
    ap.add_argument("--out", type=Path, default=None, help="comparison folder (default: a temporary one)")
    args = ap.parse_args()
    base = api.load(f"{args.city}_plan")
    es = base.params.escrow
    variant = base.variant(f"{args.city}_supervision_x2", "supervised amount ×2 from 2021",
                           {"escrow.supervised_multiple": 2 * es.supervised_multiple,
                            "escrow.red_line_supervised_multiple": 2 * es.red_line_supervised_multiple})
    with tempfile.TemporaryDirectory() as tmp:
        result = api.compare(base, [variant], runs=args.runs, seed=0, scale=args.scale, workers=2,
                             out=args.out or Path(tmp) / "compare", progress=False)
    table = result.indicators()
    table = table[table.indicator.isin(KEY)].set_index("indicator").loc[KEY]
    print(f"{args.city}: supervised amount ×2 − plan, {args.runs} paired runs at scale {args.scale}")
    print(table[["period", "unit", "baseline", "difference", "p5", "p95"]].to_string())


if __name__ == "__main__":
    main()
