#!/usr/bin/env python3
"""Command line of the housing-market model.

    python run_sim.py                       # Monte Carlo of the Panzhihua plan scenario (defaults below)
    python run_sim.py run SCENARIO [--seed N] [--scale K] [--out DIR]
    python run_sim.py mc SCENARIO [--runs N] [--workers W] [--seed S] [--scale K] [--out DIR] [--dask ADDRESS]
                                  [--params posterior|prior-median|scenario|FILE]
    python run_sim.py calibrate CITY [--budget N] [--population P] [--workers W] [--seed S] [--scale K]
                                     [--replicates R] [--kernel-scaling X] [--out FILE] [--dask ADDRESS]
                                     [--check-runs R] [--report-only]
    python run_sim.py sensitivity SCENARIO [--trajectories N] [--sobol-n N] [--top K] [--workers W] [--scale K]
                                           [--seed S] [--out DIR] [--dask ADDRESS]
    python run_sim.py compare BASELINE VARIANT... [--runs N] [--workers W] [--seed S] [--scale K] [--out DIR]
                                                  [--params posterior|prior-median|scenario|FILE] [--dask ADDRESS]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent
DEFAULT_SCENARIO = ROOT / "scenarios" / "panzhihua_plan.toml"
MC_RUNS, MC_SCALE = 200, 20   # the default batch: a few minutes on 2 cores
COMPARE_RUNS = 100             # runs per scenario of a comparison
CALIBRATION_SCALE = 50        # a simulation in well under a second, for thousands of them
CITIES = ("panzhihua", "anshan")
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
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text}")
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
    mc = sub.add_parser("mc", help="Monte Carlo batch: distributions of the indicators and the plan scorecard")
    mc.add_argument("scenario", type=Path, help="scenario TOML file")
    mc.add_argument("--runs", type=positive_int, default=MC_RUNS, help=f"number of runs (default {MC_RUNS})")
    mc.add_argument("--workers", type=positive_int, default=os.cpu_count() or 1,
                    help="parallel workers (default: the number of cores)")
    mc.add_argument("--seed", type=non_negative_int, default=0, help="root seed (default 0)")
    mc.add_argument("--scale", type=positive_int, default=MC_SCALE, help=f"households per row (default {MC_SCALE})")
    mc.add_argument("--out", type=Path, default=None,
                    help="batch folder (default outputs/<scenario>-mc-<time>); rerun with the same --out to resume")
    mc.add_argument("--dask", default=None, metavar="ADDRESS",
                    help="run on a Dask cluster: a scheduler address (tcp://host:8786) or 'local' for a LocalCluster")
    mc.add_argument("--params", default="posterior",
                    help="each run's parameters: 'posterior' (the city's fitted posterior, default; the scenario's "
                         "own values if none is fitted), 'prior-median', 'scenario', or a CSV FILE of sets")
    cal = sub.add_parser("calibrate", help="ABC-SMC calibration of a city's free parameters to 2016–2020")
    cal.add_argument("city", choices=CITIES)
    cal.add_argument("--budget", type=positive_int, default=3000,
                     help="number of parameter sets simulated (default 3000)")
    cal.add_argument("--population", type=positive_int, default=200, help="ABC population size (default 200)")
    cal.add_argument("--workers", type=positive_int, default=os.cpu_count() or 1)
    cal.add_argument("--seed", type=non_negative_int, default=0)
    cal.add_argument("--scale", type=positive_int, default=CALIBRATION_SCALE,
                     help=f"households per row in each simulation (default {CALIBRATION_SCALE})")
    cal.add_argument("--out", type=Path, default=None,
                     help="posterior CSV (default calibration/fitted/CITY.csv; manifest and report beside it)")
    cal.add_argument("--dask", default=None, metavar="ADDRESS")
    cal.add_argument("--replicates", type=positive_int, default=1,
                     help="seeds averaged per parameter set (default 1); each costs a model run")
    cal.add_argument("--kernel-scaling", type=positive_float, default=None,
                     help="width of the ABC perturbation kernel relative to pyabc's default "
                          "(default calibration.abc.KERNEL_SCALING, 2)")
    cal.add_argument("--check-runs", type=positive_int, default=100,
                     help="posterior predictive runs for the fit report (default 100)")
    cal.add_argument("--report-only", action="store_true",
                     help="keep the posterior and manifest already at --out; only (re)run the posterior "
                          "predictive check and rewrite the fit report")
    sen = sub.add_parser("sensitivity", help="global sensitivity analysis (SALib Morris, then Sobol)")
    sen.add_argument("scenario", type=Path)
    sen.add_argument("--trajectories", type=positive_int, default=10, help="Morris trajectories (default 10)")
    sen.add_argument("--sobol-n", type=non_negative_int, default=64,
                     help="Sobol base sample N, a power of 2; 0 skips Sobol (default 64)")
    sen.add_argument("--top", type=non_negative_int, default=4, help="parameters kept for Sobol (default 4)")
    sen.add_argument("--workers", type=positive_int, default=os.cpu_count() or 1)
    sen.add_argument("--scale", type=positive_int, default=CALIBRATION_SCALE)
    sen.add_argument("--seed", type=non_negative_int, default=0)
    sen.add_argument("--out", type=Path, default=None, help="folder (default outputs/<scenario>-sensitivity-<time>)")
    sen.add_argument("--dask", default=None, metavar="ADDRESS")
    cmp = sub.add_parser("compare", help="policy variants against a baseline on common random numbers")
    cmp.add_argument("baseline", type=Path, help="baseline scenario TOML file")
    cmp.add_argument("variants", type=Path, nargs="+", help="variant scenario TOML files")
    cmp.add_argument("--runs", type=positive_int, default=COMPARE_RUNS,
                     help=f"runs per scenario (default {COMPARE_RUNS})")
    cmp.add_argument("--workers", type=positive_int, default=os.cpu_count() or 1)
    cmp.add_argument("--seed", type=non_negative_int, default=0, help="root seed shared by every scenario")
    cmp.add_argument("--scale", type=positive_int, default=MC_SCALE, help=f"households per row (default {MC_SCALE})")
    cmp.add_argument("--out", type=Path, default=None,
                     help="folder (default outputs/compare-<baseline>-<time>); rerun with the same --out to resume")
    cmp.add_argument("--params", default="posterior", help="each run's parameters, as for mc (default posterior)")
    cmp.add_argument("--dask", default=None, metavar="ADDRESS")
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


def parameter_source(choice: str, city: str):
    """The ``--params`` choice as a ParameterSource."""
    from calibration.abc import posterior_file
    from calibration.priors import load_priors
    from sim.montecarlo.parameters import ParameterSource

    if choice == "scenario":
        return ParameterSource("scenario")
    if choice == "prior-median":
        return ParameterSource.fixed("prior-median", {p.key: p.median() for p in load_priors(city)})
    if choice == "posterior":
        path = posterior_file(city)
        if not path.exists():
            print(f"note: no fitted posterior {path.relative_to(ROOT)}; using the scenario's own values",
                  file=sys.stderr)
            return ParameterSource("scenario")
        return ParameterSource.from_csv(path, f"posterior: {path.relative_to(ROOT)}")
    path = Path(choice)
    if not path.is_file():
        raise ValueError(f"--params: {choice!r} is not posterior, prior-median, scenario or an existing CSV file")
    return ParameterSource.from_csv(path)


def cmd_mc(scenario_path: Path, runs: int, workers: int, seed: int, scale: int, out: Path | None,
           dask: str | None, params: str = "posterior") -> int:
    from sim.config.loader import ScenarioError, load_scenario
    from sim.montecarlo.batch import Batch, BatchMismatch
    from sim.montecarlo.executor import make_executor
    from sim.montecarlo.report import format_scorecard, write_outputs

    try:
        scenario = load_scenario(scenario_path)
        source = parameter_source(params, scenario.city)
        scenario.with_overrides(source.for_run(seed, 0))   # a bad parameter set stops here, before any output
    except (ScenarioError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out = out or ROOT / "outputs" / f"{scenario.name}-mc-{datetime.now():%Y%m%d-%H%M%S}"
    batch = Batch(scenario, runs=runs, root_seed=seed, scale=scale, out_dir=out, params=source)
    where = f"Dask {dask}" if dask else f"{workers} local worker(s)"
    print(f"{scenario.name}: {runs} runs at scale {scale}, root seed {seed}, parameters: {source.label}, "
          f"on {where} → {out}", file=sys.stderr)
    started = time.perf_counter()
    try:
        with make_executor(workers, dask) as executor:
            failures = batch.execute(executor)
    except BatchMismatch as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"\ninterrupted: {len(batch.done())} of {runs} runs are saved in {out}; "
              "run the same command to finish the rest", file=sys.stderr)
        return 130
    print(f"  {runs - len(failures)} runs in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    for f in failures:
        print(f"run {f['run']} (seed {f['seed']}) failed: {f['error']}", file=sys.stderr)
    if len(failures) == runs:
        return 1
    _, card = write_outputs(batch)
    print(f"\nPlan scorecard — {scenario.name} ({runs - len(failures)} runs)\n")
    print(format_scorecard(card))
    print(f"\nwritten to {out}")
    return 1 if failures else 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    import json

    import pandas as pd

    from calibration.abc import KERNEL_SCALING, calibrate, posterior_file
    from calibration.moments import moments
    from calibration.priors import PARAMS_DIR, load_priors
    from calibration.report import write_report
    from sim.config.loader import load_scenario
    from sim.montecarlo.batch import Batch, BatchMismatch, repo_relative
    from sim.montecarlo.executor import make_executor
    from sim.montecarlo.parameters import ParameterSource

    scenario = load_scenario(ROOT / "scenarios" / f"{args.city}_plan.toml")
    priors = load_priors(args.city)
    ms = moments(args.city)
    out = (args.out or posterior_file(args.city)).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    if args.report_only:
        try:
            posterior = pd.read_csv(out)
            manifest = json.loads(out.with_suffix(".manifest.json").read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            print(f"error: --report-only needs a finished calibration: {exc.filename} is missing", file=sys.stderr)
            return 2
        print(f"fit report of {out} ({len(posterior)} parameter sets)", file=sys.stderr)
    else:
        print(f"calibrating {args.city}: {len(priors)} parameters, {len(ms)} moments, budget {args.budget}, "
              f"population {args.population}, scale {args.scale} → {out}", file=sys.stderr)
    with make_executor(args.workers, args.dask) as executor:
        if not args.report_only:
            posterior, manifest = calibrate(scenario, priors, executor, budget=args.budget,
                                            population=args.population, scale=args.scale, seed=args.seed,
                                            posterior_path=out, ms=ms, params_file=PARAMS_DIR / f"{args.city}.toml",
                                            jobs_in_flight=2 * args.workers, replicates=args.replicates,
                                            kernel_scaling=args.kernel_scaling or KERNEL_SCALING)
        # The check reruns at the calibration's own seed and scale, so a resumed or rewritten report matches it.
        check_dir = out.with_suffix(".predictive")
        label = f"posterior: {repo_relative(out)}"
        try:
            batch = Batch(scenario, runs=args.check_runs, root_seed=manifest["seed"], scale=manifest["scale"],
                          out_dir=check_dir, params=ParameterSource.from_csv(out, label))
            if batch.execute(executor):
                print("some posterior predictive runs failed; see failures.json", file=sys.stderr)
        except BatchMismatch as exc:
            print(f"error: {exc}; delete {check_dir} to rerun the check", file=sys.stderr)
            return 2
    summary = write_report(args.city, batch.results(), ms, posterior, priors, manifest, out)
    print(f"calibrated in {manifest['seconds']:.0f} s ({manifest['simulations']} simulations); "
          f"inside 90 % band: {summary['inside_share']:.0%}; " +
          ", ".join(f"MAPE {k.removeprefix('mape_')} {v:.1%}" for k, v in summary.items() if k.startswith("mape_")))
    print(f"written {out}, {out.with_suffix('.manifest.json').name}, {out.with_suffix('.report.md').name}")
    return 0


def cmd_sensitivity(args: argparse.Namespace) -> int:
    import pandas as pd

    from calibration.priors import load_priors
    from calibration.sensitivity import PROJECTION_YEAR, ranking, sensitivity
    from sim.config.loader import ScenarioError, load_scenario
    from sim.montecarlo.executor import make_executor

    try:
        scenario = load_scenario(args.scenario)
    except ScenarioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    priors = load_priors(scenario.city)
    out = args.out or ROOT / "outputs" / f"{scenario.name}-sensitivity-{datetime.now():%Y%m%d-%H%M%S}"
    n_morris = args.trajectories * (len(priors) + 1)
    n_sobol = args.sobol_n * (min(args.top, len(priors)) + 2)
    print(f"{scenario.name}: {len(priors)} parameters; Morris {n_morris} + Sobol {n_sobol} simulations at scale "
          f"{args.scale} → {out}", file=sys.stderr)
    started = time.perf_counter()
    with make_executor(args.workers, args.dask) as executor:
        morris, sobol = sensitivity(scenario, priors, executor, trajectories=args.trajectories,
                                    sobol_n=args.sobol_n, top=args.top, scale=args.scale, seed=args.seed,
                                    out_dir=out)
    print(f"  done in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    print("\nMorris ranking (mean normalised mu* over all outputs):")
    print(ranking(morris).round(3).to_string())
    if len(sobol):
        print(f"\nSobol total indices ST, {PROJECTION_YEAR} indicators:")
        st = sobol[sobol.output.str.endswith(f":{PROJECTION_YEAR}")].pivot(index="output", columns="parameter",
                                                                            values="ST")
        with pd.option_context("display.width", 200, "display.max_columns", 20):
            print(st.round(2).to_string())
    print(f"\nwritten to {out}")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from sim.comparison.compare import Comparison, ComparisonError
    from sim.comparison.fonts import MissingFontError, cjk_font_path
    from sim.config.loader import ScenarioError, load_scenario
    from sim.montecarlo.batch import BatchMismatch
    from sim.montecarlo.executor import make_executor

    try:
        baseline = load_scenario(args.baseline)
        variants = [load_scenario(v) for v in args.variants]
        source = parameter_source(args.params, baseline.city)
        for s in (baseline, *variants):
            s.with_overrides(source.for_run(args.seed, 0))
        out = args.out or ROOT / "outputs" / f"compare-{baseline.name}-{datetime.now():%Y%m%d-%H%M%S}"
        comparison = Comparison(baseline, variants, runs=args.runs, root_seed=args.seed, scale=args.scale,
                                out_dir=out, params=source)
        cjk_font_path()   # no font: stop before the runs, not after
    except (ScenarioError, ComparisonError, MissingFontError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    n = len(comparison.scenarios)
    print(f"comparing {n - 1} variant(s) with {baseline.name}: {args.runs} runs each at scale {args.scale}, root "
          f"seed {args.seed}, parameters: {source.label} → {out}", file=sys.stderr)
    started = time.perf_counter()
    try:
        with make_executor(args.workers, args.dask) as executor:
            failures = comparison.execute(executor)
    except BatchMismatch as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"\ninterrupted: finished runs are saved in {out}; run the same command to finish the rest",
              file=sys.stderr)
        return 130
    print(f"  {n * args.runs} runs in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    for name, failed in failures.items():
        for f in failed:
            print(f"{name}: run {f['run']} (seed {f['seed']}) failed: {f['error']}", file=sys.stderr)
    table = comparison.write_outputs()
    print(format_comparison(table))
    print(f"\nwritten to {out} (report.html, comparison.csv, differences_*.png, levers.png)")
    return 1 if any(failures.values()) else 0


def format_comparison(table) -> str:
    """Key indicators: median paired difference [90 % interval] per variant, as a Markdown table."""
    from sim.comparison.charts import KEY_INDICATORS

    ind = table[(table.kind == "indicator") & table.indicator.isin(KEY_INDICATORS)]
    lines = ["| variant | indicator | measure | baseline | difference [90 %] |", "|---|---|---|---|---|"]
    for r in ind.itertuples():
        lines.append(f"| {r.variant} | {r.indicator} | {r.period} | {r.baseline:,.4g} {r.unit} | "
                     f"{r.difference:+,.3g} [{r.p5:+,.3g}, {r.p95:+,.3g}] |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command is None:
        return cmd_mc(DEFAULT_SCENARIO, MC_RUNS, os.cpu_count() or 1, 0, MC_SCALE, None, None)
    if args.command == "run":
        return cmd_run(args.scenario, args.seed, args.scale, args.out)
    if args.command == "calibrate":
        return cmd_calibrate(args)
    if args.command == "sensitivity":
        return cmd_sensitivity(args)
    if args.command == "compare":
        return cmd_compare(args)
    return cmd_mc(args.scenario, args.runs, args.workers, args.seed, args.scale, args.out, args.dask, args.params)


if __name__ == "__main__":
    sys.exit(main())
