"""A lever's effect on paired runs: the figures quoted in the README's "Model status" note.

    python scripts/lever_evidence.py CITY PARAMETER=VALUE [PARAMETER=VALUE ...] [--runs 40] [--last-year 2025]
        [--indicators land_supplied land_price avg_price]
    python scripts/lever_evidence.py CITY PARAMETER=VALUE ... --against PARAMETER=VALUE ... --years 2017 2018

With ``--against`` both sides set their parameters from 2016 over each run's posterior draw (a rule of the
calibration's years, ``tests/test_lever_directions.HISTORY_CASES``), and the figures are per year of ``--years``
(to 2019): the change is the first side's value − the ``--against`` side's.

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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import tests.test_lever_directions as levers  # noqa: E402
from sim.comparison.paired import mean_interval  # noqa: E402
from sim.indicators import FLOW_INDICATORS  # noqa: E402


def parse_overrides(items: list[str], ap: argparse.ArgumentParser) -> tuple[tuple[str, float], ...]:
    """PARAMETER=VALUE items as (parameter, value) pairs (hashable: ``levers`` caches on them)."""
    pairs = []
    for item in items:
        key, _, value = item.partition("=")
        if not value:
            ap.error(f"{item!r}: expected PARAMETER=VALUE")
        pairs.append((key, float(value)))
    return tuple(pairs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("city", choices=["panzhihua", "anshan"])
    ap.add_argument("overrides", nargs="+", metavar="PARAMETER=VALUE")
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument("--last-year", type=int, default=2025)
    ap.add_argument("--against", nargs="+", metavar="PARAMETER=VALUE",
                    help="the other side, both from 2016 (then --years, not --last-year)")
    ap.add_argument("--years", type=int, nargs="+", default=[2017, 2018, 2019])
    ap.add_argument("--indicators", nargs="+",
                    default=["land_supplied", "land_price", "avg_price", "sales_area", "inventory_area", "investment"])
    args = ap.parse_args()
    overrides = parse_overrides(args.overrides, ap)
    if args.against:
        if max(args.years) > levers.HISTORY_LAST_YEAR:
            ap.error(f"--years: to {levers.HISTORY_LAST_YEAR}")
        side = levers.history_measures(args.city, overrides, args.runs)
        other = levers.history_measures(args.city, parse_overrides(args.against, ap), args.runs)
        print(f"{args.city} {' '.join(args.overrides)} against {' '.join(args.against)}: {args.runs} paired runs")
        for name in args.indicators:
            for year in args.years:
                mean, low, high = mean_interval((side[(name, year)] - other[(name, year)]).to_numpy())
                print(f"  {name:<16} {year}  against {other[(name, year)].mean():>10.4g}   change {mean:+10.4g}"
                      f"   90 % interval {low:+.4g} to {high:+.4g}")
        return
    levers.RUNS, levers.LAST_YEAR = args.runs, args.last_year
    levers.YEARS = range(2021, args.last_year + 1)
    base, lever = levers.measures(args.city), levers.measures(args.city, overrides)
    print(f"{args.city} {' '.join(args.overrides)}: {args.runs} paired runs, 2021–{args.last_year}")
    for name in args.indicators:
        mean, low, high = mean_interval((lever[name] - base[name]).to_numpy())
        measure = "sum" if name in FLOW_INDICATORS else "mean"
        print(f"  {name:<16} plan {base[name].mean():>10.4g} ({measure})   change {mean:+10.4g}"
              f"   90 % interval {low:+.4g} to {high:+.4g}")


if __name__ == "__main__":
    main()
