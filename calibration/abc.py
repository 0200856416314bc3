"""What every calibration method shares: the model as a function of the free parameters, seeded per parameter set.

``MomentSimulator`` runs the model 2016 … ``moments.LAST_YEAR`` with a parameter set (by prior name, in the
parameters' units) and returns the simulated moments. Reproducibility: the model's seed is derived from the root
seed and the parameter values (``param_seed``), so a parameter set always gives the same moments, in any order
and on any worker. The calibration itself is ``calibration.calibrate`` (rejection ABC on model runs in two rounds).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.config.loader import Scenario
from sim.model import HousingMarketModel

from .moments import LAST_YEAR, Moment, simulated
from .priors import Prior, overrides

FITTED_DIR = Path(__file__).resolve().parent / "fitted"


def posterior_file(city: str) -> Path:
    """Where ``calibrate`` writes a city's posterior by default, and where ``mc`` looks for it."""
    return FITTED_DIR / f"{city}.csv"


def param_seed(root_seed: int, values: dict[str, float], replicate: int = 0) -> int:
    """A model seed fixed by the root seed, the parameter values and the replicate number."""
    digest = hashlib.sha256(json.dumps(sorted(values.items()), default=float).encode()).digest()
    words = np.frombuffer(digest[:16], dtype=np.uint32)
    sequence = np.random.SeedSequence([root_seed, *map(int, words)], spawn_key=(replicate,))
    return int(sequence.generate_state(1, np.uint64)[0] >> np.uint64(1))


@dataclass
class MomentSimulator:
    """Parameters (by prior name, in parameter units) → simulated moments. Picklable.

    With ``replicates`` > 1 the moments are the mean over that many seeds, at that many times the cost."""

    scenario: Scenario
    priors: list[Prior]
    ms: list[Moment]
    scale: int
    root_seed: int
    replicates: int = 1

    def __call__(self, pars: dict) -> dict[str, float]:
        values = {p.name: float(pars[p.name]) for p in self.priors}
        sc = self.scenario.with_overrides(overrides(self.priors, values))
        runs = []
        for replicate in range(self.replicates):
            model = HousingMarketModel(sc, seed=param_seed(self.root_seed, values, replicate), scale=self.scale)
            model.run(until_year=LAST_YEAR)
            runs.append(simulated(model.annual_table(), self.ms))
        return pd.DataFrame(runs).mean().to_dict()


def effective_sample_size(weights: np.ndarray) -> float:
    """Kish's effective sample size of importance weights: (Σw)² / Σw²."""
    w = np.asarray(weights, dtype=float)
    return float(w.sum() ** 2 / np.sum(w ** 2))


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
