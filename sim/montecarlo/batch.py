"""A Monte Carlo batch: many runs of one scenario, resumable, on any ``concurrent.futures.Executor``.

Layout of a batch folder::

    manifest.json        identity (scenario and its hash, parameter source, root seed, scale, code digest),
                         runs, git commit, versions, times
    runs/run-00017.parquet  one finished run each, written atomically by the coordinating process and stamped
                         with its batch, run and seed (``sim.montecarlo.run_files``)
    params.csv           each run's parameter overrides (when the batch draws parameters)
    failures.json        runs that raised: run, seed, error, traceback (absent when none failed)
    .lock                held while a batch works in the folder (``sim.montecarlo.folder_lock``)

Running the same batch again in the same folder skips the runs already on disk, so an interrupted batch
(Ctrl-C, SIGTERM, a killed worker, a lost machine) finishes only what is missing; a finished run is never
recomputed and a half-written one never exists. A run file that does not read, or carries another batch's
stamp, is recomputed (with a warning). The folder refuses a batch with another identity, a second batch while
one is running, and any folder holding files that are not a batch's.

Runs are submitted a few at a time (twice what the executor can run at once), so a batch of any size holds
only a handful of runs in memory, and a stop request (SIGINT, SIGTERM) cancels the queued runs at once, gives
the running ones ``STOP_GRACE_SECONDS`` to finish and be saved, ends the workers, and raises
``BatchInterrupted``. An error writing a run (a full disk) stops the batch the same way, when it happens.
"""
from __future__ import annotations

import hashlib
import json
import signal
import threading
import traceback
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from ..config.loader import Scenario
from ..model import HousingMarketModel
from ..output import atomic_write, foreign_entries, prepare_folder
from . import run_files
from .executor import capacity, stop_workers
from .folder_lock import LOCK_NAME, exclusive
from .parameters import ParameterSource
from .provenance import code_digest, git_commit, scenario_hash, versions
from .seeds import run_seed

RUN_COLUMNS = ["run", "seed", "city", "district", "year", "indicator", "value"]
STOP_GRACE_SECONDS = 5.0   # how long running runs may take to finish after a stop request
SUBMIT_AHEAD = 2           # runs kept submitted per run the executor can work on at once
# what a batch folder may hold (besides hidden temporary files of atomic writes)
BATCH_ENTRIES = {"manifest.json", "runs", "params.csv", "failures.json", "runs.parquet", "summary.csv",
                 "scorecard.csv", "summary.xlsx", "scorecard.xlsx", "fan_charts.png", "report.html", LOCK_NAME}


class BatchMismatch(ValueError):
    """The output folder holds a batch of another identity, or files that are not a batch's."""


class BatchWarning(UserWarning):
    """Something on disk was not trusted and is being recomputed."""


class BatchInterrupted(KeyboardInterrupt):
    """The batch stopped on request (SIGINT or SIGTERM); the finished runs are saved and the batch resumes."""

    def __init__(self, signal_name: str, done: int, runs: int, out_dir: Path) -> None:
        super().__init__(f"{signal_name}: {done} of {runs} runs are saved in {out_dir}; run the same command to "
                         "finish the rest")
        self.signal_name, self.done, self.runs, self.out_dir = signal_name, done, runs, out_dir


class _StopRequested(BaseException):
    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signal_name = signal.Signals(signum).name


@contextmanager
def _stop_requests() -> Iterator[None]:
    """SIGINT and SIGTERM raise ``_StopRequested`` in the coordinating process (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def request(signum: int, frame: object) -> None:
        raise _StopRequested(signum)

    previous = {s: signal.signal(s, request) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def simulate_run(scenario: Scenario, run: int, seed: int, scale: int) -> pd.DataFrame:
    """One run's annual indicators, long format (``RUN_COLUMNS``). Runs in a worker process."""
    model = HousingMarketModel(scenario, seed=seed, scale=scale)
    model.run()
    annual = model.annual_table()
    annual.insert(0, "seed", seed)
    annual.insert(0, "run", run)
    return annual[RUN_COLUMNS]


@dataclass
class Batch:
    """``runs`` runs of ``scenario`` at ``scale`` from ``root_seed``, each with its parameters from ``params``
    (there is no default: a batch says whether it draws from a posterior or uses the scenario's values)."""

    scenario: Scenario
    runs: int
    root_seed: int
    scale: int
    out_dir: Path
    params: ParameterSource
    failures: list[dict] = field(default_factory=list)

    @property
    def runs_dir(self) -> Path:
        return self.out_dir / "runs"

    def run_path(self, run: int) -> Path:
        return run_files.run_path(self.runs_dir, run)

    def identity(self) -> dict:
        """What makes two batches the same: scenario (by content), parameter source (by content, so a moved
        posterior still resumes its batch), root seed, scale, and the model's code (``code_digest``; the
        commit alone would miss uncommitted edits and change with every documentation commit)."""
        return {"scenario": self.scenario.name, "scenario_hash": scenario_hash(self.scenario),
                "params_hash": self.params.digest(), "root_seed": self.root_seed, "scale": self.scale,
                "code_digest": code_digest(), "numpy": np.__version__}

    @cached_property
    def digest(self) -> str:
        """16 hex digits of the identity: the stamp every run file of this batch carries (hashed once)."""
        return hashlib.sha256(json.dumps(self.identity(), sort_keys=True).encode()).hexdigest()[:16]

    def files_on_disk(self) -> Iterator[tuple[int, Path, str | None]]:
        """(run, file, why it cannot be trusted or None) for every run file of this batch on disk."""
        for path in sorted(self.runs_dir.glob("run-*.parquet")):
            run = run_files.run_number(path)
            if run is not None and run < self.runs:
                yield run, path, run_files.problem(path, self.digest, run, run_seed(self.root_seed, run))

    def done(self) -> set[int]:
        """Runs whose files are on disk, read, and carry this batch's stamp."""
        return {run for run, _, why in self.files_on_disk() if why is None}

    def check_contents(self) -> None:
        """Refuse a folder that holds anything a batch does not write, or cannot be written (before any run)."""
        inner = [f"runs/{n}" for n in foreign_entries(self.runs_dir, lambda p: run_files.run_number(p) is not None)]
        if inner:
            raise BatchMismatch(f"{self.out_dir} holds files that are not part of a batch ({', '.join(inner[:5])}); "
                                "use a new or empty --out folder")
        prepare_folder(self.out_dir, lambda p: p.name in BATCH_ENTRIES, "a batch's")

    def check_folder(self) -> None:
        """Refuse to mix batches: an existing manifest must carry the same identity. A manifest that does not
        read is replaced (every run file is checked on its own)."""
        path = self.out_dir / "manifest.json"
        if not path.exists():
            return
        try:
            old = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(old, dict):
                raise ValueError("not an object")
        except (ValueError, UnicodeDecodeError) as exc:
            warnings.warn(f"{path} does not read ({exc}); writing a new one", BatchWarning, stacklevel=3)
            return
        mine = self.identity()
        diff = [k for k in mine if old.get(k) != mine[k]]
        if diff:
            hint = " (the model's code changed since it started)" if "code_digest" in diff else ""
            raise BatchMismatch(f"{self.out_dir} holds another batch (different {', '.join(diff)}){hint}; "
                                "use a new --out folder")

    def write_manifest(self, started: str, finished: str | None, runs_done: int) -> None:
        manifest = {**self.identity(), "params": self.params.label, "runs": self.runs, "runs_done": runs_done,
                    "failures": len(self.failures), "started": started, "finished": finished,
                    "git_commit": git_commit(), "versions": versions(), "scenario_resolved": self.scenario.resolved()}
        text = json.dumps(manifest, indent=2, ensure_ascii=False, default=str)
        atomic_write(self.out_dir / "manifest.json", lambda tmp: tmp.write_text(text, encoding="utf-8"))

    def trusted_runs(self) -> set[int]:
        """The finished runs on disk; files that cannot be trusted are removed with a warning."""
        done = set()
        for run, path, why in self.files_on_disk():
            if why is None:
                done.add(run)
            else:
                warnings.warn(f"{path.name} {why}: recomputing run {run}", BatchWarning, stacklevel=3)
                path.unlink()
        return done

    def execute(self, executor: Executor, simulate: Callable[..., pd.DataFrame] = simulate_run,
                progress: bool = True, grace: float = STOP_GRACE_SECONDS) -> list[dict]:
        """Run every missing run; returns the failures (run, seed, error, traceback). Raises
        ``BatchInterrupted`` on SIGINT/SIGTERM after saving what finished."""
        self.check_contents()
        with exclusive(self.out_dir):
            self.check_folder()
            started = _now()
            self.runs_dir.mkdir(exist_ok=True)
            for leftover in self.runs_dir.glob(".run-*.tmp"):   # a write cut short by a kill
                leftover.unlink()
            done = self.trusted_runs()
            self.failures = []
            self.write_manifest(started, None, len(done))
            self.write_params()
            todo = iter([r for r in range(self.runs) if r not in done])
            pending: dict[Future, int] = {}
            ahead = SUBMIT_AHEAD * capacity(executor)
            with _stop_requests(), tqdm(total=self.runs, initial=len(done), unit="run", desc=self.scenario.name,
                                        disable=None if progress else True) as bar:
                try:
                    while True:
                        for run in todo:
                            pending[executor.submit(simulate, self.run_scenario(run), run,
                                                    run_seed(self.root_seed, run), self.scale)] = run
                            if len(pending) >= ahead:
                                break
                        if not pending:
                            break
                        finished, _ = wait(list(pending), return_when=FIRST_COMPLETED)
                        for future in finished:
                            self._collect(future, pending.pop(future), done)
                            bar.update(1)
                except BaseException as exc:
                    stop = isinstance(exc, _StopRequested)
                    try:
                        self._stop(executor, pending, done, grace if stop else 0.0)
                    finally:
                        self._finish(started, None, done)
                    if stop:
                        raise BatchInterrupted(exc.signal_name, len(done), self.runs, self.out_dir) from None
                    raise
            self._finish(started, _now(), done)
        return self.failures

    def _collect(self, future: Future, run: int, done: set[int]) -> None:
        """Save a finished run (an error writing it stops the batch) or record its failure."""
        seed = run_seed(self.root_seed, run)
        try:
            result = future.result()
        except Exception as exc:  # noqa: BLE001 - a failing run is reported, the others go on
            self.failures.append({"run": run, "seed": seed, "error": f"{type(exc).__name__}: {exc}",
                                  "traceback": "".join(traceback.format_exception(exc))})
            return
        run_files.write_run(self.run_path(run), result, self.digest, run, seed)
        done.add(run)

    def _stop(self, executor: Executor, pending: dict[Future, int], done: set[int], grace: float) -> None:
        """Cancel the queued runs, save those that finish within ``grace`` seconds, end the workers."""
        try:
            for future in pending:
                future.cancel()
            running = [f for f in pending if not f.cancelled()]
            finished, _ = wait(running, timeout=grace) if running and grace > 0 else (set(), None)
            for future in finished:
                if not future.cancelled() and future.exception() is None:
                    self._collect(future, pending[future], done)
        finally:
            stop_workers(executor)

    def _finish(self, started: str, finished: str | None, done: set[int]) -> None:
        failures_path = self.out_dir / "failures.json"
        if self.failures:
            text = json.dumps(sorted(self.failures, key=lambda f: f["run"]), indent=2)
            atomic_write(failures_path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
        elif failures_path.exists():
            failures_path.unlink()
        self.write_manifest(started, finished, len(done))

    def run_scenario(self, run: int) -> Scenario:
        """The scenario of one run: with its drawn parameters applied."""
        overrides = self.params.for_run(self.root_seed, run)
        return self.scenario.with_overrides(overrides) if overrides else self.scenario

    def write_params(self) -> None:
        if not self.params.keys:
            return
        table = pd.DataFrame([{"run": r, **self.params.for_run(self.root_seed, r)} for r in range(self.runs)])
        atomic_write(self.out_dir / "params.csv", lambda tmp: table.to_csv(tmp, index=False))

    def results(self) -> pd.DataFrame:
        """All finished runs of this batch, in run order."""
        files = [self.run_path(r) for r in range(self.runs) if self.run_path(r).exists()]
        if not files:
            return pd.DataFrame(columns=RUN_COLUMNS)
        return pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)
