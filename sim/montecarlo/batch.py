"""A Monte Carlo batch: many runs of one scenario, resumable, on any ``concurrent.futures.Executor``.

Layout of a batch folder::

    manifest.json        scenario (resolved) and its hash, parameter source, root seed, runs, scale, versions,
                         git commit, times
    runs/run-00017.parquet  one finished run each, written atomically by the coordinating process
    params.csv           each run's parameter overrides (when the batch draws parameters)
    failures.json        runs that raised: run, seed, error, traceback (absent when none failed)

Running the same batch again in the same folder skips the runs already on disk, so an interrupted batch
(Ctrl-C, a killed worker, a lost machine) finishes only what is missing; a finished run is never recomputed and
a half-written one never exists. The folder refuses a batch with another scenario, root seed or scale.
"""
from __future__ import annotations

import hashlib
import json
import subprocess
import traceback
from collections.abc import Callable
from concurrent.futures import Executor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from ..config.loader import Scenario
from ..model import HousingMarketModel
from ..output import atomic_write
from .parameters import ParameterSource
from .seeds import run_seed

ROOT = Path(__file__).resolve().parents[2]
RUN_COLUMNS = ["run", "seed", "city", "district", "year", "indicator", "value"]
PACKAGES = ("numpy", "pandas", "scipy", "mesa", "matplotlib", "pyarrow", "dask", "distributed", "tqdm")


class BatchMismatch(ValueError):
    """The output folder holds a batch of another scenario, seed or scale."""


def simulate_run(scenario: Scenario, run: int, seed: int, scale: int) -> pd.DataFrame:
    """One run's annual indicators, long format (``RUN_COLUMNS``). Runs in a worker process."""
    model = HousingMarketModel(scenario, seed=seed, scale=scale)
    model.run()
    annual, _ = model.results()
    annual.insert(0, "seed", seed)
    annual.insert(0, "run", run)
    return annual[RUN_COLUMNS]


def scenario_hash(scenario: Scenario) -> str:
    text = json.dumps(scenario.resolved(), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def repo_relative(path: Path) -> str:
    """``path`` relative to the repository when inside it (so records do not name one machine's checkout)."""
    path = Path(path).resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def git_commit() -> str | None:
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True)
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return head.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")


def versions() -> dict[str, str]:
    out = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out


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
        return self.runs_dir / f"run-{run:05d}.parquet"

    def identity(self) -> dict:
        """What makes two batches the same. The parameter file counts by content, not path, so a moved
        posterior still resumes its batch."""
        return {"scenario": self.scenario.name, "scenario_hash": scenario_hash(self.scenario),
                "params_hash": self.params.digest(), "root_seed": self.root_seed, "scale": self.scale}

    def done(self) -> set[int]:
        return {int(p.stem.split("-")[1]) for p in self.runs_dir.glob("run-*.parquet")}

    def check_folder(self) -> None:
        """Refuse to mix batches: an existing manifest must name the same scenario, seed and scale."""
        path = self.out_dir / "manifest.json"
        if not path.exists():
            return
        old = json.loads(path.read_text(encoding="utf-8"))
        mine = self.identity()
        diff = [k for k in mine if old.get(k) != mine[k]]
        if diff:
            raise BatchMismatch(f"{self.out_dir} holds another batch (different {', '.join(diff)}); "
                                "use a new --out folder")

    def write_manifest(self, started: str, finished: str | None) -> None:
        manifest = {**self.identity(), "params": self.params.label, "runs": self.runs, "runs_done": len(self.done()),
                    "failures": len(self.failures), "started": started, "finished": finished,
                    "git_commit": git_commit(), "versions": versions(), "scenario_resolved": self.scenario.resolved()}
        text = json.dumps(manifest, indent=2, ensure_ascii=False, default=str)
        atomic_write(self.out_dir / "manifest.json", lambda tmp: tmp.write_text(text, encoding="utf-8"))

    def execute(self, executor: Executor, simulate: Callable[..., pd.DataFrame] = simulate_run,
                progress: bool = True) -> list[dict]:
        """Run every missing run; returns the failures (run, seed, error, traceback)."""
        self.check_folder()
        started = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        for leftover in self.runs_dir.glob(".run-*.tmp"):   # a write cut short by a kill
            leftover.unlink()
        done = self.done()
        self.write_manifest(started, None)
        todo = [r for r in range(self.runs) if r not in done]
        self.write_params()
        futures = {executor.submit(simulate, self.run_scenario(r), r, run_seed(self.root_seed, r), self.scale): r
                   for r in todo}
        self.failures = []
        with tqdm(total=self.runs, initial=self.runs - len(todo), unit="run", desc=self.scenario.name,
                  disable=None if progress else True) as bar:
            for future in as_completed(futures):
                run = futures[future]
                try:
                    result = future.result()
                except Exception as exc:  # noqa: BLE001 - a failing run is reported, the others go on
                    self.failures.append({"run": run, "seed": run_seed(self.root_seed, run),
                                          "error": f"{type(exc).__name__}: {exc}",
                                          "traceback": "".join(traceback.format_exception(exc))})
                else:
                    atomic_write(self.run_path(run), lambda tmp, df=result: df.to_parquet(tmp, index=False))
                bar.update(1)
        failures_path = self.out_dir / "failures.json"
        if self.failures:
            text = json.dumps(sorted(self.failures, key=lambda f: f["run"]), indent=2)
            atomic_write(failures_path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
        elif failures_path.exists():
            failures_path.unlink()
        self.write_manifest(started, datetime.now(timezone.utc).isoformat(timespec="seconds"))
        return self.failures

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
