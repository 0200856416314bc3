"""The library API: one run, a Monte Carlo batch, a paired comparison, a lever sweep and a calibration, from a
notebook or a script, with the same defaults as the command line (``run_sim.py`` is a thin layer over this).

    from sim import api

    run = api.simulate("panzhihua_plan", seed=1, scale=20)            # one run 2016–2025
    run.table()                                                       # city indicators by year (DataFrame)
    mc = api.monte_carlo("panzhihua_plan", runs=40)                   # parameters drawn from the posterior
    mc.scorecard                                                      # P(meet) of every plan target
    cmp = api.compare("panzhihua_plan", ["panzhihua_credit_eased"], runs=40)
    sw = api.sweep("panzhihua_plan", {"credit.down_payment_first": [0.15, 0.2, 0.3]}, runs=40)

A scenario is a name of a shipped scenario (``scenarios()`` lists them), a path to a TOML file, or a loaded
``Scenario``. ``params`` says where each run's free parameters come from: ``"posterior"`` (the city's fitted
posterior, the default), ``"prior-median"``, ``"scenario"`` (the file's own values), a CSV file, or a
``ParameterSource``. Batches are written to ``out`` (default ``outputs/<name>-…`` under the current directory)
and resume when called again with the same ``out``.
"""
from __future__ import annotations

import json
import os
import shutil
import time
import warnings
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .comparison import hindcast as hindcast_rules
from .comparison.compare import Comparison
from .comparison.sweep import SWEEP_FROM_YEAR, sweep_chart, sweep_points, sweep_table
from .config.loader import Scenario, load_scenario
from .indicators import CITY
from .model import HousingMarketModel
from .montecarlo.batch import Batch
from .montecarlo.executor import make_executor
from .montecarlo.parameters import ParameterSource
from .montecarlo.provenance import repo_relative
from .montecarlo.report import write_outputs
from .observed import targets
from .output import atomic_write, city_table, write_csv, write_run
from .setup import check_scale

if TYPE_CHECKING:
    from calibration.priors import Prior

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
SCENARIO_DIR = PACKAGE_ROOT / "scenarios"
DEFAULT_SCENARIO = "panzhihua_plan"
CITIES = ("panzhihua", "anshan")
RUN_SCALE = 1                 # one run: every household (``scale=20`` runs in a few seconds)
CALIBRATION_SCALE = 50        # a simulation in well under a second, for thousands of them
# Batches project at the scale the posterior was fitted at: the scale shifts results systematically (README,
# "Scale": finer scales give higher prices (up to +5 %) and fewer sales (up to −12 %)), so a posterior is used
# at its own scale; another scale draws a ScaleWarning.
MC_RUNS, MC_SCALE = 200, CALIBRATION_SCALE
COMPARE_RUNS = 100            # runs per scenario of a comparison or sweep

__all__ = [
    "CalibrationResult",
    "ComparisonResult",
    "MonteCarloResult",
    "RunResult",
    "ScaleWarning",
    "SensitivityResult",
    "calibrate",
    "compare",
    "hindcast",
    "load",
    "monte_carlo",
    "parameters",
    "plan_targets",
    "scenarios",
    "sensitivity",
    "simulate",
    "sweep",
]

ScenarioLike = str | Path | Scenario
ParamsLike = str | Path | ParameterSource


# --- scenarios and parameters ---------------------------------------------------------------------------
def scenarios() -> list[str]:
    """Names of the shipped scenarios: each plan as written (``<city>_plan``) and its policy variants."""
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))


def load(scenario: ScenarioLike) -> Scenario:
    """A validated scenario from a shipped name, a TOML path, or a ``Scenario`` (returned as it is)."""
    if isinstance(scenario, Scenario):
        return scenario
    path = Path(scenario)
    if not path.suffix and not path.exists():
        path = SCENARIO_DIR / f"{scenario}.toml"
        if not path.is_file():
            raise FileNotFoundError(f"no scenario {scenario!r}; shipped: {', '.join(scenarios())}")
    return load_scenario(path)


def parameters(params: ParamsLike, city: str) -> ParameterSource:
    """Where each run's free parameters come from (see the module docstring)."""
    from calibration.abc import posterior_file
    from calibration.priors import load_priors

    if isinstance(params, ParameterSource):
        return params
    if params == "scenario":
        return ParameterSource("scenario")
    if params == "prior-median":
        return ParameterSource.fixed("prior-median", {p.key: p.median() for p in load_priors(city)})
    if params == "posterior":
        path = posterior_file(city)
        if not path.exists():
            raise FileNotFoundError(f"no fitted posterior for {city} ({path}); calibrate it, or use "
                                    "params='scenario'")
        return _without_stale_columns(ParameterSource.from_csv(path, f"posterior: {repo_relative(path)}"),
                                      load_priors(city), city)
    path = Path(params)
    if not path.is_file():
        raise ValueError(f"params: {params!r} is not posterior, prior-median, scenario or an existing CSV file")
    return ParameterSource.from_csv(path)


class StalePosteriorWarning(UserWarning):
    """A fitted posterior drawn outside the current prior of a parameter (the prior changed since the fit)."""


def _without_stale_columns(source: ParameterSource, priors: Sequence[Prior], city: str) -> ParameterSource:
    """The posterior without the parameters whose fitted values lie outside their current prior (the prior was
    narrowed after the fit): those runs take the scenario's value instead, with a warning, until the city is
    recalibrated."""
    ranges = {p.key: (p.lo, p.hi) for p in priors}
    stale = [k for k in source.keys if k in ranges
             and not source.table[k].between(*ranges[k]).all()]
    if not stale:
        return source
    warnings.warn(f"the {city} posterior has values of {', '.join(stale)} outside the current prior "
                  f"(calibration/params/{city}.toml); the scenario's value is used for them until {city} is "
                  "recalibrated", StalePosteriorWarning, stacklevel=3)
    return ParameterSource(f"{source.label} without {', '.join(stale)}", source.table.drop(columns=stale))


def _with_overrides(scenario: Scenario, overrides: Mapping[str, Any] | None) -> Scenario:
    return scenario.with_overrides(dict(overrides)) if overrides else scenario


def _check_not_drawn(source: ParameterSource, overrides: Mapping[str, Any] | None) -> None:
    clash = sorted(set(overrides or {}) & set(source.keys))
    if clash:
        raise ValueError(f"{', '.join(clash)} set by overrides but drawn run by run from {source.label}; the "
                         "override would be lost. Use params='scenario', or override another parameter")


class ScaleWarning(UserWarning):
    """A posterior used at another scale than the one it was fitted at."""


def _check_posterior_scale(source: ParameterSource, city: str, scale: int) -> None:
    """Warn when a fitted posterior drives runs at another scale than its calibration's."""
    from calibration.abc import posterior_file

    manifest = posterior_file(city).with_suffix(".manifest.json")
    if not source.label.startswith("posterior") or not manifest.exists():
        return
    fitted = json.loads(manifest.read_text(encoding="utf-8")).get("scale")
    if fitted is not None and fitted != scale:
        warnings.warn(f"the {city} posterior was fitted at scale {fitted} and is used at scale {scale}; the scale "
                      "shifts results systematically (README, 'Scale'); use --scale "
                      f"{fitted} for projections consistent with the calibration", ScaleWarning, stacklevel=3)


def _default_out(kind: str, name: str) -> Path:
    return Path.cwd() / "outputs" / f"{name}-{kind}-{datetime.now():%Y%m%d-%H%M%S}"


@contextmanager
def _executor(executor: Executor | None, workers: int | None, dask: str | None) -> Iterator[Executor]:
    if executor is not None:
        yield executor
        return
    with make_executor(workers or os.cpu_count() or 1, dask) as ex:
        yield ex


# --- one run ---------------------------------------------------------------------------------------------
@dataclass
class RunResult:
    """One run: the annual and monthly indicators (long tables: city, district, year[, month], indicator,
    value, unit), and the resolved scenario it ran."""

    scenario: Scenario
    seed: int
    scale: int
    annual: pd.DataFrame
    monthly: pd.DataFrame

    def table(self, district: str = CITY) -> pd.DataFrame:
        """Wide annual table of one district (default the city): one row per year, one column per indicator."""
        return city_table(self.annual, district)

    def save(self, out: str | Path) -> Path:
        """Write annual.csv, monthly.parquet, scenario.toml and chart.png to ``out``."""
        out = Path(out)
        write_run(out, self.scenario, self.annual, self.monthly, self.seed, self.scale)
        return out


def simulate(scenario: ScenarioLike = DEFAULT_SCENARIO, *, seed: int = 0, scale: int = RUN_SCALE,
             overrides: Mapping[str, Any] | None = None, on_month: Any = None) -> RunResult:
    """Run one simulation 2016-01 … 2025-12 with the scenario's own parameter values (as ``run_sim.py run``).

    overrides: ``{"section.key": value}`` (``profile.section.key`` for the city profile; ``key*`` multiplies a
    per-year series; a per-year series takes a list or one number for every year). on_month: called with the
    model after every month (progress display)."""
    sc = _with_overrides(load(scenario), overrides)
    model = HousingMarketModel(sc, seed=seed, scale=scale)
    while model.running:
        model.step()
        if on_month is not None:
            on_month(model)
    annual, monthly = model.results()
    return RunResult(sc, seed, scale, annual, monthly)


# --- Monte Carlo -----------------------------------------------------------------------------------------
@dataclass
class MonteCarloResult:
    """A finished batch: every run's annual indicators, their distribution, the plan scorecard, and where the
    files are (runs/, runs.parquet, summary.csv, scorecard.csv, fan_charts.png, report.html, manifest.json)."""

    scenario: Scenario
    out_dir: Path
    summary: pd.DataFrame
    scorecard: pd.DataFrame
    failures: list[dict] = field(default_factory=list)

    @cached_property
    def runs(self) -> pd.DataFrame:
        """Every run's annual indicators (long table; read from runs.parquet on first use)."""
        return pd.read_parquet(self.out_dir / "runs.parquet")

    @property
    def fan_chart(self) -> Path:
        return self.out_dir / "fan_charts.png"

    @property
    def report(self) -> Path:
        """The batch's one-page report: scorecard, fan charts and provenance."""
        return self.out_dir / "report.html"


def monte_carlo(scenario: ScenarioLike = DEFAULT_SCENARIO, *, runs: int = MC_RUNS, seed: int = 0,
                scale: int = MC_SCALE, params: ParamsLike = "posterior", overrides: Mapping[str, Any] | None = None,
                workers: int | None = None, out: str | Path | None = None, dask: str | None = None,
                executor: Executor | None = None, progress: bool = True) -> MonteCarloResult:
    """``runs`` simulations (run i seeded by SeedSequence(seed, spawn_key=(i,))), each with parameters drawn
    from ``params``, on ``workers`` local processes (default: every core), a Dask cluster (``dask``) or a given
    ``executor``. Resumes a batch already in ``out``."""
    sc = _with_overrides(load(scenario), overrides)
    check_scale(sc, scale)
    source = parameters(params, sc.city)
    _check_posterior_scale(source, sc.city, scale)
    _check_not_drawn(source, overrides)
    sc.with_overrides(source.for_run(seed, 0))      # a bad parameter set stops here, before any output
    batch = Batch(sc, runs=runs, root_seed=seed, scale=scale, out_dir=Path(out or _default_out("mc", sc.name)),
                  params=source)
    with _executor(executor, workers, dask) as ex:
        failures = batch.execute(ex, progress=progress)
    if len(failures) == runs:
        raise RuntimeError(f"every run failed; first: {failures[0]['error']}\n{failures[0]['traceback']}")
    summary, card = write_outputs(batch)
    return MonteCarloResult(sc, batch.out_dir, summary, card, failures)


# --- comparisons -----------------------------------------------------------------------------------------
@dataclass
class ComparisonResult:
    """Paired differences of every variant against the baseline (``table``: one row per variant and indicator
    or plan target; see ``sim.comparison.compare``), and the folder with report.html and the charts."""

    baseline: Scenario
    variants: list[Scenario]
    out_dir: Path
    table: pd.DataFrame
    failures: dict[str, list[dict]] = field(default_factory=dict)
    comparison: Comparison | None = field(default=None, repr=False)   # the runs behind the table

    @property
    def report(self) -> Path:
        return self.out_dir / "report.html"

    def indicators(self) -> pd.DataFrame:
        return self.table[self.table.kind == "indicator"]

    def targets(self) -> pd.DataFrame:
        return self.table[self.table.kind == "target"]


def compare(baseline: ScenarioLike, variants: Sequence[ScenarioLike], *, runs: int = COMPARE_RUNS, seed: int = 0,
            scale: int = MC_SCALE, params: ParamsLike = "posterior", workers: int | None = None,
            out: str | Path | None = None, dask: str | None = None, executor: Executor | None = None,
            progress: bool = True) -> ComparisonResult:
    """Run the baseline and every variant on common random numbers (run i: same seed, same parameter draw)
    and write the paired comparison to ``out``."""
    base = load(baseline)
    others = [load(v) for v in variants]
    check_scale(base, scale)
    source = parameters(params, base.city)
    _check_posterior_scale(source, base.city, scale)
    for s in (base, *others):
        s.with_overrides(source.for_run(seed, 0))
    comparison = Comparison(base, others, runs=runs, root_seed=seed, scale=scale,
                            out_dir=Path(out or _default_out("compare", base.name)), params=source)
    with _executor(executor, workers, dask) as ex:
        failures = comparison.execute(ex, progress=progress)
    table = comparison.write_outputs()
    return ComparisonResult(base, others, comparison.out_dir, table, failures, comparison)


@dataclass
class HindcastResult(ComparisonResult):
    """The plan scenario against the as-happened one and the plan with each group of its measures alone:
    ``hindcast`` (the model's 2021→2024 changes beside the published ones, ``hindcast.csv``) and
    ``decomposition`` (each target's change in P(meet) by group, ``decomposition.csv``); ``hindcast.md`` has both
    and the measures."""

    hindcast: pd.DataFrame = field(default_factory=pd.DataFrame)
    decomposition: pd.DataFrame = field(default_factory=pd.DataFrame)


def hindcast(city: str, **options: Any) -> HindcastResult:
    """2021–2025 as it happened for ``city``: ``<city>_plan`` against ``<city>_as_happened`` and the plan with
    each group of the as-happened measures alone, on common random numbers (``options`` as for ``compare``)."""
    if city not in CITIES:
        raise ValueError(f"unknown city {city!r}; choose one of {', '.join(CITIES)}")
    plan, happened = load(f"{city}_plan"), load(f"{city}_as_happened")
    groups = hindcast_rules.group_variants(plan, happened)
    options.setdefault("out", _default_out("hindcast", happened.name))
    result = compare(plan, [happened, *groups], **options)
    table = hindcast_rules.hindcast_table(result.comparison.common_runs()[happened.name], city)
    parts = hindcast_rules.decomposition(result.table, plan, happened)
    write_csv(table, result.out_dir / "hindcast.csv")
    write_csv(parts, result.out_dir / "decomposition.csv")
    text = hindcast_rules.hindcast_markdown(table, parts, happened)
    atomic_write(result.out_dir / "hindcast.md", lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return HindcastResult(result.baseline, result.variants, result.out_dir, result.table, result.failures,
                          result.comparison, table, parts)


@dataclass
class SweepResult(ComparisonResult):
    """A comparison of one variant per lever value, with ``sweep``: per lever, value and plan target, the median
    projection, its 90 % band and P(meet) (also in ``sweep.csv``; chart ``sweep.png``)."""

    sweep: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def chart(self) -> Path:
        return self.out_dir / "sweep.png"


def sweep(scenario: ScenarioLike, levers: Mapping[str, Sequence[Any]], *, from_year: int = SWEEP_FROM_YEAR,
          **options: Any) -> SweepResult:
    """A lever over values without writing scenario files: one variant per value (``{"credit.down_payment_first":
    [0.15, 0.2, 0.3]}``; several keys sweep each in turn), acting from ``from_year``, compared with the
    scenario on common random numbers. ``options`` as for ``compare``. Writes ``sweep.csv`` and ``sweep.png``
    beside the comparison's files."""
    base = load(scenario)
    points = sweep_points(base, levers, from_year)
    result = compare(base, [p.scenario for p in points], **options)
    table = sweep_table(result.comparison.common_runs(), base, points, targets(base.city), from_year)
    write_csv(table, result.out_dir / "sweep.csv")
    runs = int(table.runs.max()) if len(table) else 0
    sweep_chart(table, f"{base.name}: plan targets against the lever from {from_year} ({runs} paired runs per value)",
                result.out_dir / "sweep.png")
    return SweepResult(result.baseline, result.variants, result.out_dir, result.table, result.failures,
                       result.comparison, table)


# --- calibration -----------------------------------------------------------------------------------------
@dataclass
class CalibrationResult:
    """A city's posterior sample (override keys + weight), its manifest, and the fit summary (share of observed
    figures inside the 90 % band, MAPE per indicator) of the posterior predictive check."""

    posterior: pd.DataFrame
    manifest: dict
    summary: dict
    posterior_file: Path


def calibrate(city: str, *, budget: int = 3000, seed: int = 0, scale: int = CALIBRATION_SCALE,
              out: str | Path | None = None, workers: int | None = None, dask: str | None = None,
              accept_share: float | None = None, check_runs: int = 100, report_only: bool = False,
              fresh: bool = False, progress: bool = True, log: Any = None) -> CalibrationResult:
    """Calibrate the city's free parameters (``calibration/params/<city>.toml``) to its 2016–2020 figures by
    rejection ABC on ``budget`` model runs in two rounds (``calibration.calibrate``); writes the
    posterior (default ``calibration/fitted/<city>.csv``), its manifest, its reference table and the fit report.
    An interrupted calibration resumes its reference table; ``fresh`` builds the tables anew (after a change to the
    model). ``report_only`` keeps a finished posterior and reruns only the posterior predictive check and report."""
    from calibration.abc import posterior_file
    from calibration.calibrate import calibrate as calibrate_city
    from calibration.moments import moments
    from calibration.priors import PARAMS_DIR, load_priors
    from calibration.rejection_abc import ACCEPT_SHARE
    from calibration.report import write_report

    if city not in CITIES:
        raise ValueError(f"city must be one of {', '.join(CITIES)}, got {city!r}")
    if fresh and report_only:
        raise ValueError("fresh (--fresh) builds the reference tables anew; report_only (--report-only) keeps a "
                         "finished posterior")
    if not 0 < (accept_share or ACCEPT_SHARE) <= 1:
        raise ValueError(f"accept_share must be in (0, 1], got {accept_share}")
    say = log or (lambda msg: None)
    scenario = load(f"{city}_plan")
    priors, ms = load_priors(city), moments(city)
    path = Path(out or posterior_file(city)).resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    workers = workers or os.cpu_count() or 1
    if report_only:
        posterior = pd.read_csv(path)
        manifest = json.loads(path.with_suffix(".manifest.json").read_text(encoding="utf-8"))
        say(f"fit report of {path} ({len(posterior)} parameter sets)")
    else:
        say(f"calibrating {city}: {len(priors)} parameters, {len(ms)} moments, reference table of {budget} runs "
            f"at scale {scale} → {path}")
    with make_executor(workers, dask) as ex:
        if not report_only:
            posterior, manifest = calibrate_city(
                scenario, priors, ex, budget=budget, scale=scale, seed=seed, posterior_path=path, ms=ms,
                params_file=PARAMS_DIR / f"{city}.toml", accept_share=accept_share or ACCEPT_SHARE,
                fresh=fresh, progress=progress, log=say)
        # the check reruns at the calibration's own seed and scale, so a resumed or rewritten report matches it;
        # a new posterior replaces the previous one's check
        predictive = path.with_suffix(".predictive")
        if not report_only and predictive.exists():
            shutil.rmtree(predictive)
        batch = Batch(scenario, runs=check_runs, root_seed=manifest["seed"], scale=manifest["scale"],
                      out_dir=predictive,
                      params=ParameterSource.from_csv(path, f"posterior: {repo_relative(path)}"))
        check_started = time.perf_counter()
        if batch.execute(ex, progress=progress):
            say("some posterior predictive runs failed; see failures.json")
        if not report_only:
            manifest["check_seconds"] = round(time.perf_counter() - check_started, 1)
            text = json.dumps(manifest, indent=2, ensure_ascii=False)
            atomic_write(path.with_suffix(".manifest.json"), lambda tmp: tmp.write_text(text, encoding="utf-8"))
    summary = write_report(city, batch.results(), ms, posterior, priors, manifest, path)
    return CalibrationResult(posterior, manifest, summary, path)


def plan_targets(city: str) -> pd.DataFrame:
    """The plan's 2021–2025 targets for a city (``calibration/data/targets.csv``)."""
    return targets(city)


@dataclass
class SensitivityResult:
    """Morris elementary effects and Sobol indices of every free parameter on the calibration moments and the
    2025 indicators (morris.csv, sobol.csv, sensitivity.png in ``out_dir``)."""

    morris: pd.DataFrame
    sobol: pd.DataFrame
    out_dir: Path

    def ranking(self) -> pd.DataFrame:
        from calibration.sensitivity import ranking

        return ranking(self.morris)


def sensitivity(scenario: ScenarioLike = DEFAULT_SCENARIO, *, trajectories: int = 10, sobol_n: int = 64,
                top: int = 4, scale: int = CALIBRATION_SCALE, seed: int = 0, out: str | Path | None = None,
                workers: int | None = None, dask: str | None = None) -> SensitivityResult:
    """Global sensitivity analysis (SALib): Morris screening of all free parameters of the scenario's city,
    then Sobol indices of the ``top`` ones, every sample on the same model seed."""
    from calibration.priors import load_priors
    from calibration.sensitivity import sensitivity as run_sensitivity

    sc = load(scenario)
    out_dir = Path(out or _default_out("sensitivity", sc.name))
    with make_executor(workers or os.cpu_count() or 1, dask) as ex:
        morris, sobol = run_sensitivity(sc, load_priors(sc.city), ex, trajectories=trajectories, sobol_n=sobol_n,
                                        top=top, scale=scale, seed=seed, out_dir=out_dir)
    return SensitivityResult(morris, sobol, out_dir)
