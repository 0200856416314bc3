"""The reference table of a calibration: parameter sets drawn from the prior and the moments each one simulates.

Every row is one model run (2016 … ``moments.LAST_YEAR``, the years the plans' figures cover) at a parameter
set drawn uniformly on the unit cube of the priors (``Prior.from_unit`` maps it to the parameter's units), with
the model seed fixed by the root seed and the parameter values (``abc.param_seed``). The table is what the
rejection calibration (``calibration.rejection_abc``) accepts from, and its held-out rows are the synthetic
truths of the coverage check (``calibration.coverage``): every simulation is used, none is thrown away between
generations.

The draws are fixed by the seed before any run starts, and the table is saved every ``SAVE_EVERY`` finished
runs: an interrupted table resumes where it stopped and ends identical to an uninterrupted one. The wall time
spent simulating, summed over resumed sessions, is kept beside it (``<table>.json``, ``simulation_seconds``).
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from sim.config.loader import Scenario
from sim.montecarlo.executor import capacity
from sim.output import atomic_write

from .abc import MomentSimulator
from .moments import Moment
from .priors import Prior

SAVE_EVERY = 50     # finished runs between saves of the table


def unit_draws(n: int, seed: int, box: tuple[np.ndarray, np.ndarray], stream: int = 0) -> np.ndarray:
    """(n, parameters) points uniform in ``box`` = (low, high) corners on the unit cube, the same for a seed and
    stream whatever ``n`` is cut to."""
    low, high = (np.asarray(b, dtype=float) for b in box)
    entropy = [seed, 0x7AB1E] + ([stream] if stream else [])
    unit = np.random.default_rng(np.random.SeedSequence(entropy)).random((n, len(low)))
    return low + unit * (high - low)


def unit_columns(priors: list[Prior]) -> list[str]:
    return [f"u:{p.name}" for p in priors]


@dataclass
class _Job:
    """One simulation of the table (picklable for process pools and Dask)."""

    simulator: MomentSimulator

    def __call__(self, u: np.ndarray) -> dict[str, float]:
        return self.simulator({p.name: float(p.from_unit(v)) for p, v in zip(self.simulator.priors, u,
                                                                             strict=True)})


def build(scenario: Scenario, priors: list[Prior], ms: list[Moment], executor: Executor, *, size: int, scale: int,
          seed: int, path: Path, box: tuple[np.ndarray, np.ndarray] | None = None, stream: int = 0,
          progress: bool = True, log: Callable[[str], None] | None = None) -> pd.DataFrame:
    """Simulate ``size`` draws, uniform in ``box`` (default the whole prior), into ``path`` (parquet) and return
    the table: one ``u:<name>`` column per parameter (its unit-cube position), one column per moment. Rows
    already in ``path`` from the same draws are kept, so an interrupted build resumes. ``stream`` numbers the
    rounds of a calibration, so each draws afresh."""
    box = box or (np.zeros(len(priors)), np.ones(len(priors)))
    old = pd.read_parquet(path) if path.exists() else None
    # a table built with a larger budget serves a smaller one: its first ``size`` draws are the same
    u = unit_draws(max(size, 0 if old is None else int(old.draw.max()) + 1), seed, box, stream)
    ucols = unit_columns(priors)
    done = _resume(old, path, ucols, [m.name for m in ms], u)
    earlier = simulation_seconds(path) if done else 0.0
    started = time.perf_counter()
    todo = [i for i in range(size) if i not in done]
    if log and done:
        log(f"resuming {path.name}: {size - len(todo)} of {size} runs already simulated")
    job = _Job(MomentSimulator(scenario, priors, ms, scale, seed))
    pending: dict[Future, int] = {}
    in_flight = 2 * capacity(executor)
    unsaved = simulated = 0
    with tqdm(total=size, initial=size - len(todo), unit="run", desc=f"reference table {scenario.city} {path.stem}",
              disable=not progress) as bar:
        try:
            while todo or pending:
                while todo and len(pending) < in_flight:
                    i = todo.pop(0)
                    pending[executor.submit(job, u[i])] = i
                finished, _ = wait(list(pending), return_when=FIRST_COMPLETED)
                for future in finished:
                    done[pending.pop(future)] = future.result()
                    unsaved += 1
                    simulated += 1
                    bar.update(1)
                if unsaved >= SAVE_EVERY:
                    _save(path, u, ucols, done, earlier + time.perf_counter() - started)
                    unsaved = 0
        finally:
            for future in pending:
                future.cancel()
            if simulated:     # a finished table read again is left as it is
                _save(path, u, ucols, done, earlier + time.perf_counter() - started)
    return _table(u, ucols, {i: row for i, row in done.items() if i < size})


def _table(u: np.ndarray, ucols: list[str], done: dict[int, dict[str, float]]) -> pd.DataFrame:
    rows = sorted(done)
    frame = pd.DataFrame(u[rows], columns=ucols)
    frame.insert(0, "draw", rows)
    return pd.concat([frame, pd.DataFrame([done[i] for i in rows])], axis=1)


def _save(path: Path, u: np.ndarray, ucols: list[str], done: dict[int, dict[str, float]], seconds: float) -> None:
    if done:
        path.parent.mkdir(parents=True, exist_ok=True)
        table = _table(u, ucols, done)
        atomic_write(path, lambda tmp: table.to_parquet(tmp, index=False))
        text = json.dumps({"runs": len(done), "simulation_seconds": round(seconds, 1)})
        atomic_write(_timing_path(path), lambda tmp: tmp.write_text(text, encoding="utf-8"))


def _timing_path(path: Path) -> Path:
    return path.with_suffix(".json")


def simulation_seconds(path: Path) -> float:
    """Wall seconds spent simulating the table at ``path`` so far (0 when unknown)."""
    timing = _timing_path(path)
    return float(json.loads(timing.read_text(encoding="utf-8"))["simulation_seconds"]) if timing.exists() else 0.0


def _resume(old: pd.DataFrame | None, path: Path, ucols: list[str], moment_names: list[str],
            u: np.ndarray) -> dict[int, dict[str, float]]:
    """Rows of an earlier build of the same draws and moments; an unrelated file is an error, never mixed in."""
    if old is None:
        return {}
    if list(old.columns) != ["draw", *ucols, *moment_names]:
        raise ValueError(f"{path} holds another calibration's reference table (other parameters or moments); "
                         "move it away or choose another path")
    rows = old.draw.to_numpy()
    if rows.max(initial=-1) >= len(u) or not np.allclose(old[ucols].to_numpy(), u[rows], rtol=0, atol=1e-12):
        raise ValueError(f"{path} was drawn with another seed or size; move it away or choose another path")
    return {int(r): rec for r, rec in zip(rows, old[moment_names].to_dict("records"), strict=True)}


def drawn_in(path: Path, priors: list[Prior], box: tuple[np.ndarray, np.ndarray], seed: int, stream: int) -> bool:
    """Whether the table at ``path`` holds draws of this box, seed and stream."""
    old = pd.read_parquet(path, columns=["draw", *unit_columns(priors)])
    u = unit_draws(int(old.draw.max()) + 1, seed, box, stream)
    return bool(np.allclose(old[unit_columns(priors)].to_numpy(), u[old.draw.to_numpy()], rtol=0, atol=1e-12))


def remove(path: Path) -> None:
    """Delete a table and its timing record."""
    path.unlink(missing_ok=True)
    _timing_path(path).unlink(missing_ok=True)


def load(path: Path, priors: list[Prior], ms: list[Moment]) -> tuple[np.ndarray, pd.DataFrame]:
    """(unit-cube positions (n, p), moments table) of a finished reference table."""
    table = pd.read_parquet(path)
    return table[unit_columns(priors)].to_numpy(), table[[m.name for m in ms]]
