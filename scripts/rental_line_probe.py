"""Does the low-income line decide whether the rental levers act? (issue 17, for the recalibration of issue 19)

    python scripts/rental_line_probe.py [--ratios 0.35 0.2 0.1] [--seeds 1 2] [--scale 50]

For each city, low-income line (``rental_support.eligibility_income_ratio`` × mean income) and rental support as
planned or with quota and budget doubled, the plan scenario's own values (no posterior) are run on the given
seeds; the script prints the means of subsidies granted and spent in 2016–2020 (the plans: Panzhihua 5,113
households and 587.99万元, 000 一(一)5), subsidies granted 2021–2025, subsidised households and tenants' rent
burden in 2025. A line at which the guaranteed (应保尽保) group is so large that its subsidies exhaust the budget
leaves quota and budget without effect.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def probe(city: str, ratio: float, doubled: bool, seeds: list[int], scale: int) -> dict[str, float]:
    from sim import api
    from sim.model import HousingMarketModel

    overrides = {"rental_support.eligibility_income_ratio": ratio}
    if doubled:
        overrides |= {"rental_support.annual_quota*": 2, "rental_support.annual_budget*": 2}
    scenario = api.load(f"{city}_plan").with_overrides(overrides)
    rows = []
    for seed in seeds:
        model = HousingMarketModel(scenario, seed=seed, scale=scale)
        model.run()
        annual = model.annual_table()
        c = annual[annual.district == "all"].pivot(index="year", columns="indicator", values="value")
        rows.append({"granted 2016–2020": c.loc[2016:2020, "subsidies_granted"].sum(),
                     "spent 2016–2020 (万元)": c.loc[2016:2020, "subsidy_spending"].sum(),
                     "granted 2021–2025": c.loc[2021:2025, "subsidies_granted"].sum(),
                     "subsidised 2025": c.loc[2025, "subsidy_households"],
                     "rent burden 2025": c.loc[2025, "rent_burden"]})
    return pd.DataFrame(rows).mean().to_dict()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ratios", type=float, nargs="+", default=[0.35, 0.2, 0.1])
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--scale", type=int, default=50)
    args = ap.parse_args()
    rows = [{"city": city, "line": ratio, "quota and budget": "×2" if doubled else "plan",
             **probe(city, ratio, doubled, args.seeds, args.scale)}
            for city in ("panzhihua", "anshan") for ratio in args.ratios for doubled in (False, True)]
    print(pd.DataFrame(rows).to_string(index=False, float_format=lambda x: f"{x:.4g}"))


if __name__ == "__main__":
    main()
