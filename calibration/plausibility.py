"""Simulated vs observed sales area, average price and inventory for the plan years with data.

    python -m calibration.plausibility [--seed N] [--scale K]

prints a Markdown table per city (the one in the README). Multi-year observed figures (e.g. Panzhihua's
2019–2020 sales) are compared with the sum of the simulated years.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from sim.config.loader import Scenario, load_scenario
from sim.indicators import CITY
from sim.model import HousingMarketModel
from sim.observed import observed

ROOT = Path(__file__).resolve().parent.parent
COMPARED = ("sales_area", "avg_price", "inventory_area")
LAST_OBSERVED_YEAR = {"panzhihua": 2020, "anshan": 2019}
FLOWS = {"sales_area"}


def comparison(scenario: Scenario, seed: int = 0, scale: int = 20) -> pd.DataFrame:
    model = HousingMarketModel(scenario, seed=seed, scale=scale)
    model.run()
    annual = model.annual_table()
    sim = annual[annual.district == CITY].pivot(index="year", columns="indicator", values="value")
    obs = observed(scenario.city)
    obs = obs[(obs.district == "") & obs.indicator.isin(COMPARED) & (obs.start_year >= 2016)
              & (obs.year <= LAST_OBSERVED_YEAR[scenario.city])]
    rows = []
    for o in obs.itertuples():
        if o.start_year != o.year and o.indicator not in FLOWS:
            continue
        simulated = sim.loc[o.start_year:o.year, o.indicator].sum()
        years = str(o.year) if o.start_year == o.year else f"{o.start_year}–{o.year}"
        rows.append({"indicator": o.indicator, "years": years, "unit": o.unit, "observed": o.value,
                     "simulated": round(float(simulated), 1), "ratio": round(float(simulated / o.value), 2),
                     "derived": bool(o.derived)})
    return pd.DataFrame(rows)


def markdown(df: pd.DataFrame) -> str:
    lines = ["| " + " | ".join(df.columns) + " |", "|" + "---|" * len(df.columns)]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--scale", type=int, default=20)
    args = ap.parse_args()
    for city in ("panzhihua", "anshan"):
        table = comparison(load_scenario(ROOT / "scenarios" / f"{city}_plan.toml"), args.seed, args.scale)
        print(f"\n{city} (seed {args.seed}, scale {args.scale}; * = derived observed figure)\n")
        table["observed"] = [f"{v:g}{'*' if d else ''}" for v, d in zip(table.observed, table.derived, strict=True)]
        print(markdown(table.drop(columns="derived")))


if __name__ == "__main__":
    main()
