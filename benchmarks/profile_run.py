"""Where one run spends its time: cProfile of a plan run, the model's functions by cumulative share (README
"Performance").

    python benchmarks/profile_run.py [--city anshan] [--scale 50] [--top 15]

Prints each of the ``--top`` functions of ``sim`` with the most cumulative time as a share of the whole run
(set-up excluded, annual tables included). Shares overlap: a function's time includes what it calls.
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
    profile.runcall(lambda: (model.run(), model.results()))
    stats = pstats.Stats(profile).stats          # (file, line, name) → (calls, primitive, own, cumulative, callers)
    total = max(cumulative for _, _, _, cumulative, _ in stats.values())
    own = [(cumulative, f"{Path(file).parent.name}/{Path(file).name}:{name}")
           for (file, _, name), (_, _, _, cumulative, _) in stats.items()
           if f"{Path(file).parent.parent.name}" == "sim" or Path(file).parent.name == "sim"]
    print(f"{args.city} plan, scale {args.scale}: {total:.2f} s under the profiler")
    for cumulative, where in sorted(own, reverse=True)[:args.top]:
        print(f"  {cumulative / total:6.1%}  {where}")


if __name__ == "__main__":
    main()
