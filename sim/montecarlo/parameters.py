"""Where each run's parameters come from: the scenario as written, a fixed set, or a weighted sample.

A parameter table is a CSV with one column per override key (``section.key``, ``profile.section.key``,
``section.key*``; see ``Scenario.with_overrides``) and an optional ``weight`` column — the posterior sample
written by ``run_sim.py calibrate``. Run i draws one row with probability ∝ weight, from a generator seeded by
SeedSequence(root seed, spawn_key=(i, 1)), so the draw depends only on the root seed and the run.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

DRAW_STREAM = 1   # spawn_key component that separates parameter draws from the model's own seed


@dataclass(frozen=True)
class ParameterSource:
    label: str                              # "scenario", "prior-median", "posterior: <file>", "<file>"
    table: pd.DataFrame = field(default_factory=pd.DataFrame)  # columns: override keys (+ weight)

    @classmethod
    def from_csv(cls, path: Path, label: str | None = None) -> ParameterSource:
        """A parameter table from a CSV file; every value must be a finite number and weights non-negative."""
        table = pd.read_csv(path)
        if table.empty:
            raise ValueError(f"{path}: no parameter sets")
        for column in table.columns:
            values = pd.to_numeric(table[column], errors="coerce")
            bad = ~np.isfinite(values.to_numpy(dtype=float))
            if bad.any():
                row = int(np.flatnonzero(bad)[0])
                raise ValueError(f"{path}: column {column}, row {row + 2}: {table[column].iloc[row]!r} is not a "
                                 "finite number")
        if "weight" in table and ((table.weight < 0).any() or table.weight.sum() <= 0):
            raise ValueError(f"{path}: column weight: weights must be non-negative and not all zero")
        return cls(label or str(path), table)

    @classmethod
    def fixed(cls, label: str, values: dict[str, float]) -> ParameterSource:
        return cls(label, pd.DataFrame([values]))

    @property
    def keys(self) -> list[str]:
        return [c for c in self.table.columns if c != "weight"]

    def digest(self) -> str:
        return hashlib.sha256(self.table.to_csv(index=False).encode()).hexdigest()[:16] if len(self.table) else ""

    def for_run(self, root_seed: int, run: int) -> dict[str, float]:
        """The overrides of run ``run`` (empty: the scenario as written)."""
        if self.table.empty:
            return {}
        if len(self.table) == 1:
            row = 0
        else:
            w = self.table["weight"].to_numpy(float) if "weight" in self.table else np.ones(len(self.table))
            rng = np.random.default_rng(np.random.SeedSequence(root_seed, spawn_key=(run, DRAW_STREAM)))
            row = int(rng.choice(len(self.table), p=w / w.sum()))
        return {k: float(self.table[k].iloc[row]) for k in self.keys}
