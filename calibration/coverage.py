"""Does the calibration tell the truth about its uncertainty? Simulation-based coverage on synthetic truths.

    python -m calibration.coverage CITY [--truths 200] [--round 1|2] [--accept-share 0.05]

Round 1 (default): the last ``truths`` rows of the city's first-round reference table
(``calibration/fitted/<city>.reference.parquet``, made by ``run_sim.py calibrate``) are parameter sets drawn
from the prior with the figures the model simulated for them. They are held out: the rejection posterior
(``calibration.rejection_abc``) is computed from the other rows for each held-out row's figures as if they were
the plans'. Round 2: the same within the calibration's truncation box (its manifest), the truths
being the last rows of the second-round table and the box's rows of both rounds the table.

A 90 % interval is honest when it holds the true value about 90 % of the time; the check reports, per
parameter, that coverage and the mean interval width relative to the prior range (on its sampling scale: 1 =
nothing learnt: the figures do not identify the parameter). Written to ``calibration/fitted/<city>.coverage[-2].csv``.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from .moments import Moment
from .rejection_abc import ACCEPT_SHARE, accept, weighted_quantiles

LEVEL = 0.90
COVERAGE_GOAL = (0.80, 0.98)


def coverage(u: np.ndarray, errors: np.ndarray, ms: list[Moment], names: list[str], *, truths: int,
             accept_share: float = ACCEPT_SHARE) -> pd.DataFrame:
    """One row per parameter: coverage of the central ``LEVEL`` interval over the last ``truths`` rows of the
    table (unit-cube positions ``u``, log errors ``errors``), and the mean interval width / prior width."""
    if not 0 < truths < len(u):
        raise ValueError(f"truths must be between 1 and {len(u) - 1} (the table has {len(u)} rows), got {truths}")
    n = len(u) - truths
    tail = (1 - LEVEL) / 2
    inside, width = [], []
    for u_true, e_true in zip(u[n:], errors[n:], strict=True):
        rows, weights, _ = accept(errors[:n], ms, e_true, accept_share)
        lo, hi = weighted_quantiles(u[rows], weights, (tail, 1 - tail))
        inside.append((lo <= u_true) & (u_true <= hi))
        width.append(hi - lo)
    return pd.DataFrame({"parameter": names, "coverage": np.mean(inside, axis=0),
                         "width_vs_prior": np.mean(width, axis=0), "truths": truths})


def main() -> None:
    import json

    from .calibrate import box_rows, reference_path
    from .moments import log_error_table, moments
    from .priors import load_priors
    from .reference_table import load

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("city", choices=["panzhihua", "anshan"])
    ap.add_argument("--truths", type=int, default=200, help="held-out synthetic truths (default 200)")
    ap.add_argument("--round", type=int, choices=[1, 2], default=1, dest="round_")
    ap.add_argument("--accept-share", type=float, default=ACCEPT_SHARE)
    args = ap.parse_args()
    fitted = Path(__file__).resolve().parent / "fitted"
    posterior = fitted / f"{args.city}.csv"
    tables = [reference_path(posterior, r) for r in range(1, args.round_ + 1)]
    for table in tables:
        if not table.exists():
            raise SystemExit(f"error: {table} is missing; run `python run_sim.py calibrate {args.city}` first")
    priors, ms = load_priors(args.city), moments(args.city)
    u, moments_table = load(tables[0], priors, ms)
    x = log_error_table(moments_table, ms)
    if args.round_ == 2:
        manifest = json.loads(posterior.with_suffix(".manifest.json").read_text(encoding="utf-8"))
        box = tuple(np.array([manifest["box"][p.key][i] for p in priors]) for i in (0, 1))
        u2, moments2 = load(tables[1], priors, ms)
        u, x, _ = box_rows((u, x), (u2, log_error_table(moments2, ms)), box)
    result = coverage(u, x, ms, [p.key for p in priors], truths=args.truths, accept_share=args.accept_share)
    out = fitted / f"{args.city}.coverage{'' if args.round_ == 1 else '-2'}.csv"
    result.to_csv(out, index=False, float_format="%.4g")
    with pd.option_context("display.width", 200):
        print(result.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    lo, hi = COVERAGE_GOAL
    ok = result.coverage.between(lo, hi)
    print(f"\nround {args.round_}: {int(ok.sum())} of {len(result)} parameters with {LEVEL:.0%}-interval coverage "
          f"in {lo:.0%}–{hi:.0%} over {args.truths} synthetic truths ({len(u) - args.truths} training runs) → {out}")


if __name__ == "__main__":
    main()
