"""Where one run spends its time: cProfile of a plan run, the model's functions by cumulative share (README
"Performance").

    python benchmarks/profile_run.py [--city anshan] [--scale 50] [--top 15]

Prints each of the ``--top`` functions of ``sim`` with the most cumulative time as a share of the whole run
(set-up excluded, annual tables included; shares overlap: a function's time includes what it calls), then the
five NumPy calls with the most time of their own (the income quantiles' partition, weighted counts …), each with
the function that calls it most. The random draws are compiled code that cProfile books to the function calling
them (demography's own time holds the binomial draw of deaths).
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
from pathlib import Path

from sim.config.loader import load_scenario
from sim.model import HousingMarketModel

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--city", default="anshan", choices=["panzhihua", "anshan"])
    ap.add_argument("--scale", type=int, default=50)
    ap.add_argument("--top", type=int, default=15)
    args = ap.parse_args()
    model = HousingMarketModel(load_scenario(ROOT / "scenarios" / f"{args.city}_plan.toml"), seed=0, scale=args.scale)
    profile = cProfile.Profile()
    profile.runcall(lambda: (model.run(), model.annual_table()))
    stats = pstats.Stats(profile).stats          # (file, line, name) → (calls, primitive, own, cumulative, callers)
    total = max(cumulative for _, _, _, cumulative, _ in stats.values())
    own = [(cumulative, f"{Path(file).parent.name}/{Path(file).name}:{name}")
           for (file, _, name), (_, _, _, cumulative, _) in stats.items()
           if f"{Path(file).parent.parent.name}" == "sim" or Path(file).parent.name == "sim"]
    print(f"{args.city} plan, scale {args.scale}: {total:.2f} s under the profiler")
    for cumulative, where in sorted(own, reverse=True)[:args.top]:
        print(f"  {cumulative / total:6.1%}  {where}")
    numpy_calls = [(own_time, name, callers) for (file, _, name), (_, _, own_time, _, callers) in stats.items()
                   if file == "~" and ("numpy" in name or "ufunc" in name)]
    print("NumPy calls by own time:")
    for own_time, name, callers in sorted(numpy_calls, key=lambda c: c[0], reverse=True)[:5]:
        (file, _, caller), _ = max(callers.items(), key=lambda c: c[1][2])
        print(f"  {own_time / total:6.1%}  {name}  (most from {Path(file).name}:{caller})")


if __name__ == "__main__":
    main()
