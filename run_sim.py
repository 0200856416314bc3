#!/usr/bin/env python3
"""Command line of the housing-market model.

    python run_sim.py                       # the Panzhihua plan scenario, seed 0, full scale
    python run_sim.py run SCENARIO [--seed N] [--scale K] [--out DIR]
"""
from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent
DEFAULT_SCENARIO = ROOT / "scenarios" / "panzhihua_plan.toml"
PRINTED = ["sales_area", "avg_price", "inventory_area", "destocking_cycle", "supply_area", "land_supplied",
           "investment", "per_capita_floor_area", "price_to_income", "problem_projects", "escrow_balance",
           "subsidy_households", "public_rental_coverage", "vacancy_rate", "avg_rent", "households", "population"]


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text}")
    return value


def non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {text}")
    return value


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command")
    run = sub.add_parser("run", help="run one simulation 2016-01…2025-12")
    run.add_argument("scenario", type=Path, help="scenario TOML file")
    run.add_argument("--seed", type=non_negative_int, default=0, help="random seed (default 0)")
    run.add_argument("--scale", type=positive_int, default=1,
                     help="households per model row (default 1 = every urban household)")
    run.add_argument("--out", type=Path, default=None, help="output folder (default outputs/<scenario>-<time>)")
    return p


def cmd_run(scenario_path: Path, seed: int, scale: int, out: Path | None) -> int:
    import pandas as pd

    from sim.config.loader import ScenarioError, load_scenario
    from sim.model import N_MONTHS, HousingMarketModel
    from sim.output import city_table, write_run

    try:
        scenario = load_scenario(scenario_path)
    except ScenarioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out = out or ROOT / "outputs" / f"{scenario.name}-{datetime.now():%Y%m%d-%H%M%S}"
    started = time.perf_counter()
    model = HousingMarketModel(scenario, seed=seed, scale=scale)
    print(f"{scenario.name}: {model.households.n:,} household rows × {scale} (seed {seed})", file=sys.stderr)
    live = sys.stderr.isatty()
    while model.running:
        model.step()
        if live and model.month % 12 == 0:
            print(f"\r  simulated {model.year - 1} ({model.month}/{N_MONTHS} months)", end="", file=sys.stderr,
                  flush=True)
    print(f"{chr(10) if live else ''}  done in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    annual, monthly = model.results()
    write_run(out, scenario, annual, monthly, seed, scale)
    with pd.option_context("display.width", 200, "display.max_columns", 30, "display.float_format", "{:,.2f}".format):
        print(city_table(annual)[PRINTED].T.to_string())
    print(f"\nwritten to {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command is None:
        return cmd_run(DEFAULT_SCENARIO, seed=0, scale=1, out=None)
    if args.command == "run":
        return cmd_run(args.scenario, args.seed, args.scale, args.out)
    return 2


if __name__ == "__main__":
    sys.exit(main())
