"""A lever's effect on paired runs: the figures quoted in the README's "Model status" note.

    python scripts/lever_evidence.py CITY PARAMETER=VALUE [PARAMETER=VALUE ...] [--runs 40] [--last-year 2025]
        [--indicators land_supplied land_price avg_price]

The overrides act from 2021 as a scenario variant (``land_supply.annual_plan*=0.5`` halves the land plan;
a trailing ``*`` multiplies, as in ``--set``). Run i of the lever and of the plan share its seed and its
parameter draw from the city's fitted posterior (``tests/test_lever_directions.measures``). For each indicator the
script prints the plan's 2021–LAST measure (flows summed, stocks averaged), the mean paired change and its 90 %
interval (a t interval of the mean).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from scipy import stats

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import tests.test_lever_directions as levers  # noqa: E402
from sim.indicators import FLOW_INDICATORS  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("city", choices=["panzhihua", "anshan"])
    ap.add_argument("overrides", nargs="+", metavar="PARAMETER=VALUE")
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument("--last-year", type=int, default=2025)
    ap.add_argument("--indicators", nargs="+",
                    default=["land_supplied", "land_price", "avg_price", "sales_area", "inventory_area", "investment"])
    args = ap.parse_args()
    overrides = []
    for item in args.overrides:
        key, _, value = item.partition("=")
        if not value:
            ap.error(f"{item!r}: expected PARAMETER=VALUE")
        overrides.append((key, float(value)))
    levers.RUNS, levers.LAST_YEAR = args.runs, args.last_year
    levers.YEARS = range(2021, args.last_year + 1)
    base, lever = levers.measures(args.city), levers.measures(args.city, tuple(overrides))
    print(f"{args.city} {' '.join(args.overrides)}: {args.runs} paired runs, 2021–{args.last_year}")
    for name in args.indicators:
        change = (lever[name] - base[name]).to_numpy()
        half = stats.t.ppf(0.95, len(change) - 1) * change.std(ddof=1) / np.sqrt(len(change))
        measure = "sum" if name in FLOW_INDICATORS else "mean"
        print(f"  {name:<16} plan {base[name].mean():>10.4g} ({measure})   change {change.mean():+10.4g}"
              f"   90 % interval {change.mean() - half:+.4g} to {change.mean() + half:+.4g}")


if __name__ == "__main__":
    main()
