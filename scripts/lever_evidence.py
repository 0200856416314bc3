"""A lever's effect on paired runs: the figures quoted in the README's "Model status" note.

    python scripts/lever_evidence.py CITY PARAMETER=VALUE [PARAMETER=VALUE ...] [--runs 40] [--last-year 2025]
        [--indicators land_supplied land_price avg_price]
    python scripts/lever_evidence.py CITY PARAMETER=VALUE ... --base PARAMETER=VALUE ... [--last-year 2023]
    python scripts/lever_evidence.py CITY PARAMETER=VALUE ... --against PARAMETER=VALUE ... --years 2017 2018

With ``--base`` both sides carry the base's overrides from 2021 (a shock, ``tests/test_lever_directions.SHOCK_CASES``)
and the first side the lever's on top of them: the change is the lever's effect within the shock. A VALUE may be
a comma-separated series, one value a year 2016–2025 (``red_lines.developer_credit_freeze=0,0,0,0,0,1,1,0,0,0``).

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


def parse_overrides(items: list[str], ap: argparse.ArgumentParser) -> tuple[tuple[str, float | tuple], ...]:
    """PARAMETER=VALUE items as (parameter, value) pairs, a comma-separated VALUE as a tuple of floats (hashable:
    ``levers`` caches on them)."""
    pairs = []
    for item in items:
        key, _, value = item.partition("=")
        try:
            number = tuple(float(v) for v in value.split(",")) if "," in value else float(value)
        except ValueError:
            ap.error(f"{item!r}: expected PARAMETER=VALUE with a number or comma-separated numbers")
        pairs.append((key, number))
    return tuple(pairs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("city", choices=["panzhihua", "anshan"])
    ap.add_argument("overrides", nargs="+", metavar="PARAMETER=VALUE")
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument("--last-year", type=int, default=2025)
    ap.add_argument("--against", nargs="+", metavar="PARAMETER=VALUE",
                    help="the other side, both from 2016 (then --years, not --last-year)")
    ap.add_argument("--base", nargs="+", metavar="PARAMETER=VALUE", default=[],
                    help="overrides both sides carry from 2021 (a shock); the lever acts on top of them")
    ap.add_argument("--years", type=int, nargs="+", default=[2017, 2018, 2019])
    ap.add_argument("--indicators", nargs="+",
                    default=["land_supplied", "land_price", "avg_price", "sales_area", "inventory_area", "investment"])
    args = ap.parse_args()
    overrides = parse_overrides(args.overrides, ap)
    if args.against:
        if args.base:
            ap.error("--base acts from 2021; --against compares 2016–2019 sides")
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
    shock = parse_overrides(args.base, ap)
    base = levers.measures(args.city, shock, args.runs)
    lever = levers.measures(args.city, tuple({**dict(shock), **dict(overrides)}.items()), args.runs)
    on_base = f" on {' '.join(args.base)}" if args.base else ""
    print(f"{args.city} {' '.join(args.overrides)}{on_base}: {args.runs} paired runs, 2021–{args.last_year}")
    for name in args.indicators:
        change = (lever[name] - base[name]).to_numpy()
        mean, low, high = mean_interval(change)
        measure = "sum" if name in FLOW_INDICATORS else "mean"
        print(f"  {name:<16} {'base' if args.base else 'plan'} {base[name].mean():>10.4g} ({measure})   change "
              f"{mean:+10.4g}   90 % interval {low:+.4g} to {high:+.4g}   more in {(change > 0).sum()} runs, "
              f"fewer in {(change < 0).sum()}")


if __name__ == "__main__":
    main()
