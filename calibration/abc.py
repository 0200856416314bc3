"""Bayesian calibration by ABC-SMC (pyabc) on the moments of ``calibration.moments``.

Each simulation runs the model 2016–2020 … 2025 with a parameter set drawn by pyabc and returns the
simulated moments; pyabc accepts the sets whose distance to the plans' figures falls under an adaptive
threshold, population after population, until the budget of simulations is spent. Simulations run on the
same ``concurrent.futures`` executor as ``mc`` (a local process pool, or Dask) through pyabc's
``ConcurrentFutureSampler``.

Reproducibility: the model's seed is derived from the root seed and the parameter values, so a parameter set
always gives the same moments. pyabc itself draws parameters from NumPy's global random state inside the
workers, so a parallel calibration is not bit-for-bit repeatable; the posterior it writes is what ``mc`` uses,
and that file is reproducible to use.
"""
from __future__ import annotations

import hashlib
import json
import tempfile
import time
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyabc
from pyabc.sampler import ConcurrentFutureSampler

from sim.config.loader import Scenario
from sim.model import HousingMarketModel
from sim.montecarlo.provenance import git_commit, repo_relative, versions
from sim.observed import DATA_DIR
from sim.output import atomic_write

from .moments import Moment, distance, moments, simulated
from .priors import Prior, overrides

FITTED_DIR = Path(__file__).resolve().parent / "fitted"
# Perturbation kernel width relative to pyabc's default: twice as wide reached the same threshold in fewer
# simulations and kept more effective particles per generation (benchmarks/abc_weights.py).
KERNEL_SCALING = 2.0


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
    """pyabc model: parameters (by prior name, in parameter units) → simulated moments. Picklable.

    With ``replicates`` > 1 the moments are the mean over that many seeds: less simulation noise in the
    distance, so fewer parameter sets are accepted on a lucky draw (the cause of collapsing importance
    weights), at that many times the cost per parameter set."""

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
            model.run()
            runs.append(simulated(model.results()[0], self.ms))
        return pd.DataFrame(runs).mean().to_dict()


@dataclass
class UnitCubeSimulator:
    """pyabc model on the unit cube: every parameter is sampled as u ~ U(0, 1) and mapped to its prior
    (log-uniform ones on a log scale), so pyabc's perturbation kernel works in a well-conditioned space."""

    simulator: MomentSimulator

    def __call__(self, pars: dict) -> dict[str, float]:
        return self.simulator({p.name: float(p.from_unit(pars[p.name])) for p in self.simulator.priors})


@dataclass
class MomentDistance:
    ms: list[Moment]

    def __call__(self, x: dict, x0: dict) -> float:
        return distance(x, self.ms)


def unit_prior(priors: list[Prior]) -> pyabc.Distribution:
    """U(0, 1) for every parameter; ``Prior.from_unit`` gives its value."""
    return pyabc.Distribution(**{p.name: pyabc.RV("uniform", 0.0, 1.0) for p in priors})


def effective_sample_size(weights: np.ndarray) -> float:
    """Kish's effective sample size of importance weights: (Σw)² / Σw²."""
    w = np.asarray(weights, dtype=float)
    return float(w.sum() ** 2 / np.sum(w ** 2))


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def calibrate(scenario: Scenario, priors: list[Prior], executor: Executor, *, budget: int, population: int,
              scale: int, seed: int, posterior_path: Path, ms: list[Moment] | None = None,
              params_file: Path | None = None, jobs_in_flight: int = 8, replicates: int = 1,
              kernel_scaling: float = KERNEL_SCALING) -> tuple[pd.DataFrame, dict]:
    """Run ABC-SMC; write the posterior sample (override keys + weight) to ``posterior_path`` and its manifest
    next to it (``.manifest.json``). Returns (posterior, manifest).

    ``replicates``: seeds averaged per parameter set (see ``MomentSimulator``). ``kernel_scaling`` widens
    (> 1) or narrows pyabc's multivariate normal perturbation kernel. ``jobs_in_flight`` caps the simulations
    submitted ahead: pyabc counts every simulation started, and those still running when a generation is
    complete are wasted, so keep it a small multiple of the workers."""
    ms = ms or moments(scenario.city)
    started = time.perf_counter()
    start_time = datetime.now(UTC).isoformat(timespec="seconds")
    np.random.seed(seed)   # pyabc samples from NumPy's global state (see the module docstring)
    simulator = UnitCubeSimulator(MomentSimulator(scenario, priors, ms, scale, seed, replicates))
    abc = pyabc.ABCSMC(simulator, unit_prior(priors), MomentDistance(ms), population_size=population,
                       transitions=pyabc.MultivariateNormalTransition(scaling=kernel_scaling),
                       sampler=ConcurrentFutureSampler(executor, client_max_jobs=jobs_in_flight))
    with tempfile.TemporaryDirectory() as tmp:
        abc.new(f"sqlite:///{tmp}/abc.db", {m.name: m.observed for m in ms})
        history = abc.run(max_total_nr_simulations=budget, minimum_epsilon=0.0)
        frame, weights = history.get_distribution(t=history.max_t)
        pops = history.get_all_populations()
        ess = {t: effective_sample_size(history.get_distribution(t=t)[1]) for t in range(history.max_t + 1)}
        total_sims = int(history.total_nr_simulations)
    posterior = pd.DataFrame({p.key: p.from_unit(frame[p.name].to_numpy()) for p in priors})
    posterior["weight"] = weights / weights.sum()
    atomic_write(posterior_path, lambda tmp: posterior.to_csv(tmp, index=False))
    generations = [{"t": int(r.t), "epsilon": float(r.epsilon), "simulations": int(r.samples),
                    "effective_sample_size": round(ess[int(r.t)], 1)} for r in pops.itertuples() if r.t >= 0]
    manifest = {
        "city": scenario.city, "scenario": scenario.name, "budget": budget, "population_size": population,
        "simulations": total_sims, "model_runs": total_sims * replicates, "replicates": replicates,
        "kernel_scaling": kernel_scaling, "scale": scale, "seed": seed,
        "data_version": {"observed.csv": file_digest(DATA_DIR / "observed.csv")},
        "params_spec": {"file": repo_relative(params_file) if params_file else None,
                        "digest": file_digest(params_file) if params_file else None},
        "moments": [m.name for m in ms], "generations": generations,
        "final_epsilon": generations[-1]["epsilon"] if generations else None,
        "started": start_time, "seconds": round(time.perf_counter() - started, 1),
        "git_commit": git_commit(), "versions": {**versions(), "pyabc": pyabc.__version__},
    }
    text = json.dumps(manifest, indent=2, ensure_ascii=False)
    atomic_write(posterior_path.with_suffix(".manifest.json"), lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return posterior, manifest
