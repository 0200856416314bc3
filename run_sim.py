#!/usr/bin/env python3
"""Command line of the housing-market model.

    python run_sim.py                       # Monte Carlo of the Panzhihua plan scenario (defaults below)
    python run_sim.py run SCENARIO [--seed N] [--scale K] [--out DIR]
    python run_sim.py mc SCENARIO [--runs N] [--workers W] [--seed S] [--scale K] [--out DIR] [--dask ADDRESS]
                                  [--params posterior|prior-median|scenario|FILE]
    python run_sim.py calibrate CITY [--budget N] [--workers W] [--seed S] [--scale K]
                                     [--accept-share A] [--out FILE] [--dask ADDRESS]
                                     [--check-runs R] [--report-only] [--fresh]
    python run_sim.py sensitivity SCENARIO [--trajectories N] [--sobol-n N] [--top K] [--workers W] [--scale K]
                                           [--seed S] [--out DIR] [--dask ADDRESS]
    python run_sim.py compare BASELINE VARIANT... [--runs N] [--workers W] [--seed S] [--scale K] [--out DIR]
                                                  [--params posterior|prior-median|scenario|FILE] [--dask ADDRESS]
    python run_sim.py sweep SCENARIO --set KEY=V1,V2,… [--set KEY=START:STOP:COUNT] [--from-year Y] [--runs N]
                            [--workers W] [--seed S] [--scale K] [--out DIR] [--params …] [--dask ADDRESS]
"""
from __future__ import annotations

import argparse
import math
import os
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent
PRINTED = ["sales_area", "avg_price", "inventory_area", "destocking_cycle", "supply_area", "land_supplied",
           "investment", "per_capita_floor_area", "price_to_income", "problem_projects", "escrow_balance",
           "subsidy_households", "public_rental_coverage", "vacancy_rate", "avg_rent", "households", "population"]


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text}")
    return value


def positive_float(text: str) -> float:
    value = float(text)
    if not (value > 0 and math.isfinite(value)):
        raise argparse.ArgumentTypeError(f"must be a positive finite number, got {text}")
    return value


def non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {text}")
    return value


def parser() -> argparse.ArgumentParser:
    from sim.api import (
        CALIBRATION_SCALE,
        CITIES,
        COMPARE_RUNS,
        MC_RUNS,
        MC_SCALE,
        RUN_SCALE,
        SWEEP_FROM_YEAR,
        scenarios,
    )

    shipped = "scenarios shipped (a name or a path to a TOML file is accepted):\n  " + "\n  ".join(scenarios())
    cores = os.cpu_count() or 1
    scenario_help = "scenario: a shipped name (e.g. panzhihua_plan) or a TOML file"
    params_help = ("each run's parameters: 'posterior' (the city's fitted posterior, default), 'prior-median', "
                   "'scenario' (the file's values), or a CSV FILE of parameter sets")
    dask_help = "run on a Dask cluster: a scheduler address (tcp://host:8786) or 'local' for a LocalCluster"
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", metavar="{run,mc,calibrate,sensitivity,compare,sweep,hindcast}")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help_text, description=help_text, epilog=shipped,
                              formatter_class=argparse.RawDescriptionHelpFormatter)

    def paired_run_options(cmd: argparse.ArgumentParser, each: str, folder: str) -> None:
        """The options of a paired comparison (compare, sweep): runs per ``each``, workers, shared root seed,
        scale, resumable folder ``outputs/<folder>-<time>``, parameter source, Dask."""
        cmd.add_argument("--runs", type=positive_int, default=COMPARE_RUNS,
                         help=f"runs per {each} (default {COMPARE_RUNS})")
        cmd.add_argument("--workers", type=positive_int, default=cores, help=f"parallel workers (default {cores})")
        cmd.add_argument("--seed", type=non_negative_int, default=0, help=f"root seed shared by every {each}")
        cmd.add_argument("--scale", type=positive_int, default=MC_SCALE,
                         help=f"households per row (default {MC_SCALE})")
        cmd.add_argument("--out", type=Path, default=None,
                         help=f"folder (default outputs/{folder}-<time>); rerun with the same --out to resume")
        cmd.add_argument("--params", default="posterior", help=params_help)
        cmd.add_argument("--dask", default=None, metavar="ADDRESS", help=dask_help)

    run = command("run", "run one simulation 2016-01…2025-12 with the scenario's own parameter values")
    run.add_argument("scenario", help=scenario_help)
    run.add_argument("--seed", type=non_negative_int, default=0, help="random seed (default 0)")
    run.add_argument("--scale", type=positive_int, default=RUN_SCALE,
                     help=f"households per model row (default {RUN_SCALE} = every urban household)")
    run.add_argument("--out", type=Path, default=None, help="output folder (default outputs/<scenario>-<time>)")
    mc = command("mc", "Monte Carlo batch: distributions of the indicators and the plan scorecard")
    mc.add_argument("scenario", help=scenario_help)
    mc.add_argument("--runs", type=positive_int, default=MC_RUNS, help=f"number of runs (default {MC_RUNS})")
    mc.add_argument("--workers", type=positive_int, default=cores, help=f"parallel workers (default {cores})")
    mc.add_argument("--seed", type=non_negative_int, default=0, help="root seed (default 0)")
    mc.add_argument("--scale", type=positive_int, default=MC_SCALE, help=f"households per row (default {MC_SCALE})")
    mc.add_argument("--out", type=Path, default=None,
                    help="batch folder (default outputs/<scenario>-mc-<time>); rerun with the same --out to resume")
    mc.add_argument("--dask", default=None, metavar="ADDRESS", help=dask_help)
    mc.add_argument("--params", default="posterior", help=params_help)
    cal = command("calibrate", "calibrate a city's free parameters to its 2016–2020 figures (rejection ABC on "
                               "model runs in two rounds)")
    cal.add_argument("city", choices=CITIES, help="the city to calibrate")
    cal.add_argument("--budget", type=positive_int, default=3000,
                     help="model runs over both rounds (default 3000); rerun with a larger budget to extend them")
    cal.add_argument("--workers", type=positive_int, default=cores, help=f"parallel workers (default {cores})")
    cal.add_argument("--seed", type=non_negative_int, default=0, help="root seed (default 0)")
    cal.add_argument("--scale", type=positive_int, default=CALIBRATION_SCALE,
                     help=f"households per row in each simulation (default {CALIBRATION_SCALE})")
    cal.add_argument("--out", type=Path, default=None,
                     help="posterior CSV (default calibration/fitted/CITY.csv; manifest, reference table and report "
                          "beside it)")
    cal.add_argument("--dask", default=None, metavar="ADDRESS", help=dask_help)
    cal.add_argument("--fresh", action="store_true",
                     help="build the reference tables anew (after a change to the model) instead of resuming them")
    cal.add_argument("--accept-share", type=positive_float, default=None,
                     help="share of the reference table accepted near the plans' figures "
                          "(default calibration.rejection_abc.ACCEPT_SHARE, 0.1)")
    cal.add_argument("--check-runs", type=positive_int, default=100,
                     help="posterior predictive runs for the fit report (default 100)")
    cal.add_argument("--report-only", action="store_true",
                     help="keep the posterior and manifest already at --out; only (re)run the posterior "
                          "predictive check and rewrite the fit report")
    sen = command("sensitivity", "global sensitivity analysis (SALib Morris, then Sobol)")
    sen.add_argument("scenario", help=scenario_help)
    sen.add_argument("--trajectories", type=positive_int, default=10, help="Morris trajectories (default 10)")
    sen.add_argument("--sobol-n", type=non_negative_int, default=64,
                     help="Sobol base sample N, a power of 2; 0 skips Sobol (default 64)")
    sen.add_argument("--top", type=non_negative_int, default=4, help="parameters kept for Sobol (default 4)")
    sen.add_argument("--workers", type=positive_int, default=cores, help=f"parallel workers (default {cores})")
    sen.add_argument("--scale", type=positive_int, default=CALIBRATION_SCALE,
                     help=f"households per row (default {CALIBRATION_SCALE})")
    sen.add_argument("--seed", type=non_negative_int, default=0, help="model seed of every sample (default 0)")
    sen.add_argument("--out", type=Path, default=None, help="folder (default outputs/<scenario>-sensitivity-<time>)")
    sen.add_argument("--dask", default=None, metavar="ADDRESS", help=dask_help)
    cmp = command("compare", "policy variants against a baseline on common random numbers")
    cmp.add_argument("baseline", help="baseline " + scenario_help)
    cmp.add_argument("variants", nargs="+", help="variant scenarios: shipped names or TOML files")
    paired_run_options(cmp, "scenario", "compare-<baseline>")
    swp = command("sweep", "a lever over values: paired runs per value, each plan target's projection and P(meet) "
                           "against the value")
    swp.add_argument("scenario", help=scenario_help)
    swp.add_argument("--set", dest="levers", action="append", required=True, metavar="KEY=VALUES",
                     help="lever and values: KEY=V1,V2,… or KEY=START:STOP:COUNT (e.g. "
                          "credit.down_payment_first=0.2,0.3,0.4; KEY* multiplies a per-year series); give --set "
                          "twice to sweep two levers, each in turn")
    swp.add_argument("--from-year", type=int, default=SWEEP_FROM_YEAR,
                     help=f"year from which the lever takes its values (default {SWEEP_FROM_YEAR})")
    paired_run_options(swp, "value", "sweep-<scenario>")
    hnd = command("hindcast", "2021–2025 as it happened: the plan scenario against CITY_as_happened and the plan "
                              "with each group of its measures alone; the model's 2021→2024 changes beside the "
                              "published ones, and each target's change in P(meet) by group")
    hnd.add_argument("city", choices=CITIES, help="the city")
    paired_run_options(hnd, "scenario", "<city>_as_happened-hindcast")
    return p


class Stopped(Exception):
    """A batch stopped by a signal, its message printed: main() exits with ``code``."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def interrupted(stop: KeyboardInterrupt, out: Path) -> int:
    """Say what a stopped batch saved and how to resume; the exit code is 128 + the signal's number."""
    import signal

    from sim.montecarlo.batch import BatchInterrupted

    if isinstance(stop, BatchInterrupted):
        print(f"\nstopped by {stop}", file=sys.stderr)
        return 128 + signal.Signals[stop.signal_name].value
    print(f"\ninterrupted: finished runs are saved in {out}; run the same command to finish the rest",
          file=sys.stderr)
    return 128 + signal.SIGINT.value


def cmd_run(args: argparse.Namespace) -> int:
    import pandas as pd

    from sim import api
    from sim.output import RUN_FILES, prepare_folder
    from sim.setup import check_scale
    from sim.state.calendar import N_MONTHS

    scenario = api.load(args.scenario)
    check_scale(scenario, args.scale)
    out = args.out or ROOT / "outputs" / f"{scenario.name}-{datetime.now():%Y%m%d-%H%M%S}"
    prepare_folder(out, lambda p: p.name in RUN_FILES, "a run's")    # before simulating, not after
    started = time.perf_counter()
    live = sys.stderr.isatty()

    def on_month(model) -> None:
        state = model.state
        if state.month == 1:
            print(f"{scenario.name}: {state.households.n:,} household rows × {args.scale} (seed {args.seed})",
                  file=sys.stderr)
        if live and state.month % 12 == 0:
            print(f"\r  simulated {state.year - 1} ({state.month}/{N_MONTHS} months)", end="", file=sys.stderr,
                  flush=True)

    result = api.simulate(scenario, seed=args.seed, scale=args.scale, on_month=on_month)
    print(f"{chr(10) if live else ''}  done in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    result.save(out)
    with pd.option_context("display.width", 200, "display.max_columns", 30, "display.float_format", "{:,.2f}".format):
        print(result.table()[PRINTED].T.to_string())
    print(f"\nwritten to {out}")
    return 0


def cmd_mc(args: argparse.Namespace) -> int:
    from sim import api
    from sim.montecarlo.report import format_scorecard

    scenario = api.load(args.scenario)
    source = api.parameters(args.params, scenario.city)
    scenario.with_overrides(source.for_run(args.seed, 0))   # a bad parameter set stops here, before any output
    out = args.out or ROOT / "outputs" / f"{scenario.name}-mc-{datetime.now():%Y%m%d-%H%M%S}"
    where = f"Dask {args.dask}" if args.dask else f"{args.workers} local worker(s)"
    print(f"{scenario.name}: {args.runs} runs at scale {args.scale}, root seed {args.seed}, parameters: "
          f"{source.label}, on {where} → {out}", file=sys.stderr)
    started = time.perf_counter()
    try:
        result = api.monte_carlo(scenario, runs=args.runs, seed=args.seed, scale=args.scale, params=source,
                                 workers=args.workers, out=out, dask=args.dask)
    except KeyboardInterrupt as stop:
        return interrupted(stop, out)
    failures = result.failures
    print(f"  {args.runs - len(failures)} runs in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    for f in failures:
        print(f"run {f['run']} (seed {f['seed']}) failed: {f['error']}", file=sys.stderr)
    print(f"\nPlan scorecard — {scenario.name} ({args.runs - len(failures)} runs)\n")
    print(format_scorecard(result.scorecard))
    print(f"\nwritten to {out} (open report.html in a browser)")
    return 1 if failures else 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    from sim import api

    out = args.out
    if args.report_only:
        from calibration.abc import posterior_file

        path = Path(out or posterior_file(args.city))
        for needed in (path, path.with_suffix(".manifest.json")):
            if not needed.exists():
                print(f"error: --report-only needs a finished calibration: {needed} is missing", file=sys.stderr)
                return 2
    result = api.calibrate(args.city, budget=args.budget, seed=args.seed, scale=args.scale, out=out,
                           workers=args.workers, dask=args.dask, accept_share=args.accept_share,
                           check_runs=args.check_runs, report_only=args.report_only, fresh=args.fresh,
                           log=lambda msg: print(msg, file=sys.stderr))
    manifest, summary, path = result.manifest, result.summary, result.posterior_file
    total = manifest.get("simulation_seconds_total", manifest["seconds"]) + manifest.get("check_seconds", 0)
    print(f"calibrated in {total:.0f} s ({manifest['simulations']} simulations, posterior ESS "
          f"{manifest.get('effective_sample_size', float('nan')):.0f}); "
          f"inside 90 % band: {summary['inside_share']:.0%}; " +
          ", ".join(f"MAPE {k.removeprefix('mape_')} {v:.1%}" for k, v in summary.items() if k.startswith("mape_")))
    print(f"written {path}, {path.with_suffix('.manifest.json').name}, {path.with_suffix('.report.md').name}")
    return 0


def cmd_sensitivity(args: argparse.Namespace) -> int:
    import pandas as pd

    from calibration.priors import load_priors
    from calibration.sensitivity import PROJECTION_YEAR
    from sim import api

    scenario = api.load(args.scenario)
    n_priors = len(load_priors(scenario.city))
    out = args.out or ROOT / "outputs" / f"{scenario.name}-sensitivity-{datetime.now():%Y%m%d-%H%M%S}"
    n_morris = args.trajectories * (n_priors + 1)
    n_sobol = args.sobol_n * (min(args.top, n_priors) + 2)
    print(f"{scenario.name}: {n_priors} parameters; Morris {n_morris} + Sobol {n_sobol} simulations at scale "
          f"{args.scale} → {out}", file=sys.stderr)
    started = time.perf_counter()
    result = api.sensitivity(scenario, trajectories=args.trajectories, sobol_n=args.sobol_n, top=args.top,
                             scale=args.scale, seed=args.seed, out=out, workers=args.workers, dask=args.dask)
    print(f"  done in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    print("\nMorris ranking (mean normalised mu* over all outputs):")
    print(result.ranking().round(3).to_string())
    sobol = result.sobol
    if len(sobol):
        print(f"\nSobol total indices ST, {PROJECTION_YEAR} indicators:")
        st = sobol[sobol.output.str.endswith(f":{PROJECTION_YEAR}")].pivot(index="output", columns="parameter",
                                                                            values="ST")
        with pd.option_context("display.width", 200, "display.max_columns", 20):
            print(st.round(2).to_string())
    print(f"\nwritten to {out}")
    return 0


def report_runs(result, runs: int, started: float) -> None:
    """How many runs a comparison took how long, and each run that failed (stderr)."""
    print(f"  {runs} runs in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    for name, failed in result.failures.items():
        for f in failed:
            print(f"{name}: run {f['run']} (seed {f['seed']}) failed: {f['error']}", file=sys.stderr)


def paired_runs(args: argparse.Namespace, city: str, folder: str, what: str, call):
    """The frame compare, sweep and hindcast share: the parameter source, the folder (default
    outputs/<folder>-<time>), the CJK font checked before the runs, a line saying what runs, then
    ``call(**options)``. Returns (result, folder, start time); a stopped batch raises ``Stopped``."""
    from sim import api
    from sim.fonts import cjk_font_path

    source = api.parameters(args.params, city)
    out = args.out or ROOT / "outputs" / f"{folder}-{datetime.now():%Y%m%d-%H%M%S}"
    cjk_font_path()   # no font: stop before the runs, not after
    print(f"{what}: {args.runs} runs each at scale {args.scale}, root seed {args.seed}, parameters: {source.label} "
          f"→ {out}", file=sys.stderr)
    started = time.perf_counter()
    try:
        result = call(runs=args.runs, seed=args.seed, scale=args.scale, params=source, workers=args.workers,
                      out=out, dask=args.dask)
    except KeyboardInterrupt as stop:
        raise Stopped(interrupted(stop, out)) from stop
    return result, out, started


def cmd_compare(args: argparse.Namespace) -> int:
    from sim import api

    baseline = api.load(args.baseline)
    variants = [api.load(v) for v in args.variants]
    result, out, started = paired_runs(
        args, baseline.city, f"compare-{baseline.name}", f"comparing {len(variants)} variant(s) with {baseline.name}",
        lambda **options: api.compare(baseline, variants, **options))
    report_runs(result, (len(variants) + 1) * args.runs, started)
    print(format_comparison(result.table))
    print(f"\nwritten to {out} (report.html, comparison.csv, differences_*.png, levers.png)")
    return 1 if any(result.failures.values()) else 0


def cmd_sweep(args: argparse.Namespace) -> int:
    from sim import api
    from sim.comparison.sweep import format_sweep, parse_lever

    levers = dict(parse_lever(text) for text in args.levers)
    scenario = api.load(args.scenario)
    values = sum(len(v) for v in levers.values())
    result, out, started = paired_runs(
        args, scenario.city, f"sweep-{scenario.name}",
        f"sweeping {', '.join(levers)} over {values} value(s) against {scenario.name} from {args.from_year}",
        lambda **options: api.sweep(scenario, levers, from_year=args.from_year, **options))
    report_runs(result, (values + 1) * args.runs, started)
    print(format_sweep(result.sweep))
    print(f"written to {out} (sweep.csv, sweep.png, and the comparison: report.html, comparison.csv)")
    return 1 if any(result.failures.values()) else 0


def cmd_hindcast(args: argparse.Namespace) -> int:
    from sim import api

    result, out, started = paired_runs(
        args, args.city, f"{args.city}_as_happened-hindcast",
        f"hindcast of {args.city}: plan, as happened and one run set per group of measures",
        lambda **options: api.hindcast(args.city, **options))
    report_runs(result, (len(result.variants) + 1) * args.runs, started)
    print((out / "hindcast.md").read_text(encoding="utf-8"))
    print(f"written to {out} (hindcast.md, hindcast.csv, decomposition.csv and the comparison: report.html, "
          "comparison.csv)")
    return 1 if any(result.failures.values()) else 0


def format_comparison(table) -> str:
    """Key indicators: median paired difference [90 % interval] per variant, as a Markdown table."""
    from sim.comparison.charts import KEY_INDICATORS
    from sim.formats import display_unit, in_unit

    ind = table[(table.kind == "indicator") & table.indicator.isin(KEY_INDICATORS)]
    lines = ["| variant | indicator | measure | baseline | difference [90 %] |", "|---|---|---|---|---|"]
    for r in ind.itertuples():
        lines.append(f"| {r.variant} | {r.indicator} | {r.period} | {in_unit(r.baseline, r.unit)} "
                     f"{display_unit(r.unit)} | {in_unit(r.difference, r.unit, True)} "
                     f"[{in_unit(r.p5, r.unit, True)}, {in_unit(r.p95, r.unit, True)}] {display_unit(r.unit, True)} |")
    return "\n".join(lines)


COMMANDS = {"run": cmd_run, "mc": cmd_mc, "calibrate": cmd_calibrate, "sensitivity": cmd_sensitivity,
            "compare": cmd_compare, "sweep": cmd_sweep, "hindcast": cmd_hindcast}


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and dispatch; a bad input stops with exit code 2 and a one-line error."""
    from sim.api import DEFAULT_SCENARIO
    from sim.comparison.compare import ComparisonError
    from sim.config.loader import ScenarioError
    from sim.fonts import MissingFontError
    from sim.montecarlo.batch import BatchMismatch
    from sim.montecarlo.folder_lock import FolderBusy

    args = parser().parse_args(argv)
    if args.command is None:    # the default job: a Monte Carlo batch of the Panzhihua plan
        args = parser().parse_args(["mc", DEFAULT_SCENARIO])
    try:
        return COMMANDS[args.command](args)
    except Stopped as stop:
        return stop.code
    except (ScenarioError, ComparisonError, MissingFontError, BatchMismatch, FolderBusy, FileNotFoundError,
            ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:      # a disk that fills or a folder that vanishes while writing
        print(f"error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
