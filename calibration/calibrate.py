"""A city's calibration in two rounds: the whole prior, then the region the plans' figures point to.

1. **Round 1** simulates ``FIRST_ROUND_SHARE`` of the budget at draws from the whole prior (the reference table,
   ``calibration.reference_table``) and accepts the runs nearest the plans' 2016–2020 figures
   (``calibration.rejection_abc``, each moment's error scaled by its spread over this round's runs).
   ``calibration.coverage`` checks this round's intervals on its held-out rows.
2. **Round 2** draws the rest of the budget uniformly in a box around that posterior (each parameter from its
   0.5 % to its 99.5 % quantile, widened by a quarter of that width on both sides, within the prior) — a truncated
   prior, as in truncated sequential neural posterior estimation (Deistler et al. 2022, NeurIPS). The box's rows of
   both rounds are uniform draws from the truncated prior, so the posterior accepted among them is the same
   posterior wherever the first round's holds almost all its mass inside the box, from runs several times denser
   near the figures.

The posterior sample written is the second round's: the override keys of the free parameters and a weight per
row, the format ``mc`` draws from. The manifest beside it says how it was made (runs per round, the box,
accepted rows, acceptance distance ε and effective sample size per round, seconds, versions).
"""
from __future__ import annotations

import json
import time
from concurrent.futures import Executor
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from sim.config.loader import Scenario
from sim.montecarlo.provenance import git_commit, repo_relative, versions
from sim.observed import DATA_DIR
from sim.output import atomic_write

from . import reference_table
from .abc import effective_sample_size, file_digest
from .moments import Moment, log_error_table, moment_scales, moments
from .priors import Prior
from .rejection_abc import ACCEPT_SHARE, accept

FIRST_ROUND_SHARE = 2 / 3  # of the budget, drawn from the whole prior
BOX_QUANTILE = 0.005       # the box spans each parameter's posterior from this quantile to 1 − it …
BOX_PAD = 0.25             # … widened by this share of that span on each side


def reference_path(posterior_path: Path, round_: int = 1) -> Path:
    """The reference table of a round, kept beside the posterior file."""
    return posterior_path.with_suffix(".reference.parquet" if round_ == 1 else f".reference-{round_}.parquet")


def truncation_box(sample: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(low, high) unit-cube corners of the box around a posterior sample (k, p)."""
    low, high = np.quantile(sample, BOX_QUANTILE, axis=0), np.quantile(sample, 1 - BOX_QUANTILE, axis=0)
    pad = BOX_PAD * (high - low)
    return np.clip(low - pad, 0.0, 1.0), np.clip(high + pad, 0.0, 1.0)


def _round_record(round_: int, runs: int, weights: np.ndarray, epsilon: float, errors: np.ndarray,
                  ms: list[Moment]) -> dict:
    """What a round did, with the spread each moment's error was divided by (``moments.moment_scales``)."""
    return {"round": round_, "runs": runs, "accepted": len(weights), "epsilon": round(epsilon, 4),
            "effective_sample_size": round(effective_sample_size(weights), 1),
            "moment_scales": {m.name: round(float(s), 4) for m, s in zip(ms, moment_scales(errors), strict=True)}}


def in_box(u: np.ndarray, box: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    return ((u >= box[0]) & (u <= box[1])).all(axis=1)


def box_rows(first: tuple[np.ndarray, np.ndarray], second: tuple[np.ndarray, np.ndarray],
             box: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray, int]:
    """(unit-cube positions, log errors, first-round rows kept) of the runs in ``box``: the first round's inside
    it, then every second-round run; ``first`` and ``second`` are (positions, log errors) of each round."""
    kept = in_box(first[0], box)
    return (np.vstack([first[0][kept], second[0]]), np.vstack([first[1][kept], second[1]]), int(kept.sum()))


def calibrate(scenario: Scenario, priors: list[Prior], executor: Executor, *, budget: int, scale: int, seed: int,
              posterior_path: Path, ms: list[Moment] | None = None, params_file: Path | None = None,
              accept_share: float = ACCEPT_SHARE, fresh: bool = False, progress: bool = True,
              log=None) -> tuple[pd.DataFrame, dict]:
    """Calibrate on ``budget`` model runs in two rounds; write the posterior sample (override keys + weight) to
    ``posterior_path`` and its manifest next to it (``.manifest.json``). Returns (posterior, manifest). An
    interrupted calibration resumes its reference tables; ``fresh`` deletes them first (the model has changed, so
    their runs no longer describe it). ``simulation_seconds_total`` in the manifest is the wall time of the tables'
    runs over every session that built them; ``seconds``, this call's. ``git_commit`` is the code's commit when
    the calibration started, before it rewrote any file."""
    ms = ms or moments(scenario.city)
    started = time.perf_counter()
    start_time = datetime.now(UTC).isoformat(timespec="seconds")
    commit = git_commit()
    if fresh:
        for round_ in (1, 2):
            reference_table.remove(reference_path(posterior_path, round_))
    first_size = max(int(round(budget * FIRST_ROUND_SHARE)), 1)
    ucols = reference_table.unit_columns(priors)

    first = reference_table.build(scenario, priors, ms, executor, size=first_size, scale=scale, seed=seed,
                                  path=reference_path(posterior_path), progress=progress, log=log)
    u, errors = first[ucols].to_numpy(), log_error_table(first, ms)
    rows, weights, epsilon = accept(errors, ms, accept_share=accept_share)
    rounds = [_round_record(1, len(first), weights, epsilon, errors, ms)]
    box = truncation_box(u[rows])
    if budget > first_size:
        second_path = reference_path(posterior_path, 2)
        if second_path.exists() and not reference_table.drawn_in(second_path, priors, box, seed, stream=1):
            if log:
                log(f"{second_path.name} was drawn in another box (the first round has changed): drawing it afresh")
            reference_table.remove(second_path)
        second = reference_table.build(scenario, priors, ms, executor, size=budget - first_size, scale=scale,
                                       seed=seed, path=second_path, box=box, stream=1, progress=progress, log=log)
        u, errors, kept = box_rows((u, errors), (second[ucols].to_numpy(), log_error_table(second, ms)), box)
        rows, weights, epsilon = accept(errors, ms, accept_share=accept_share)
        rounds.append({**_round_record(2, len(second), weights, epsilon, errors, ms), "first_round_runs_in_box": kept,
                       "box_volume": round(float(np.prod(box[1] - box[0])), 4)})
    sample = u[rows]
    posterior = pd.DataFrame({p.key: p.from_unit(sample[:, j]) for j, p in enumerate(priors)})
    posterior["weight"] = weights
    atomic_write(posterior_path, lambda tmp: posterior.to_csv(tmp, index=False))
    manifest = {
        "city": scenario.city, "scenario": scenario.name,
        "method": "rejection ABC on a reference table, two rounds (truncated prior)",
        "budget": budget, "simulations": sum(r["runs"] for r in rounds), "scale": scale, "seed": seed,
        "years": f"2016-{max(m.year for m in ms)}", "accept_share": accept_share, "accepted": len(posterior),
        "effective_sample_size": rounds[-1]["effective_sample_size"], "rounds": rounds,
        "box": {p.key: [round(float(lo), 4), round(float(hi), 4)] for p, lo, hi in zip(priors, *box, strict=True)},
        "reference_tables": [repo_relative(reference_path(posterior_path, r["round"])) for r in rounds],
        "data_version": {"observed.csv": file_digest(DATA_DIR / "observed.csv")},
        "params_spec": {"file": repo_relative(params_file) if params_file else None,
                        "digest": file_digest(params_file) if params_file else None},
        "moments": [m.name for m in ms], "started": start_time,
        "simulation_seconds_total": round(sum(reference_table.simulation_seconds(reference_path(posterior_path, r))
                                              for r in (1, 2)[:len(rounds)]), 1),
        "seconds": round(time.perf_counter() - started, 1), "git_commit": commit, "versions": versions(),
    }
    text = json.dumps(manifest, indent=2, ensure_ascii=False)
    atomic_write(posterior_path.with_suffix(".manifest.json"), lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return posterior, manifest
