"""The purchase hazards' multiplier by year, over posterior draws: why the model's demand rises when it does.

    python scripts/demand_multiplier_path.py [--city panzhihua] [--runs 12] [--last-year 2020] [--scale 50]

Every household's purchase hazard, and the arrivals of non-resident buyers, are scaled by affordability (the
reference payment-to-income over the payment on a typical new home at the commercial rate, to the power
``demand.price_elasticity``) times expectations (1 + weight × the recent price change), ``sim.agents.demand``.
This prints their yearly means (monthly values weighted by district population shares, averaged over the months
and over the first ``--runs`` posterior draws, each at its own seed) with the new-home price, and the model's
new-home sales beside the plan's figures where the plan has them: a multiplier high in a year when the city's
sales were low says where the model's demand runs ahead of the city's.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.agents.demand import affordability, expectations, monthly_cost  # noqa: E402
from sim.config.loader import load_scenario  # noqa: E402
from sim.model import HousingMarketModel  # noqa: E402
from sim.montecarlo.parameters import ParameterSource  # noqa: E402
from sim.montecarlo.seeds import run_seed  # noqa: E402
from sim.observed import annual_city_series  # noqa: E402


def yearly_path(city: str, runs: int, last_year: int, scale: int) -> pd.DataFrame:
    """Mean affordability, expectations, their product and the new-home price (元/㎡) by year, over months and
    runs; the model's mean sales area (万㎡)."""
    base = load_scenario(ROOT / "scenarios" / f"{city}_plan.toml")
    posterior = ParameterSource.from_csv(ROOT / "calibration" / "fitted" / f"{city}.csv")
    months, sales = [], []
    for run in range(runs):
        model = HousingMarketModel(base.with_overrides(posterior.for_run(0, run)), seed=run_seed(0, run),
                                   scale=scale)
        while model.running and model.state.year <= last_year:
            s = model.state
            rate = s.params.credit.mortgage_rate[s.year_index]
            cost = monthly_cost(s, np.arange(s.n_districts), rate)
            afford = float(affordability(s, cost, s.mean_income()) @ s.district_shares)
            expect = float(expectations(s) @ s.district_shares)
            months.append({"year": s.year, "affordability": afford, "expectations": expect,
                           "multiplier": afford * expect, "price": float(s.new_price @ s.district_shares)})
            model.step()
        annual = model.annual_table()
        sales.append(annual[(annual.district == "all") & (annual.indicator == "sales_area")]
                     .set_index("year").value)
    path = pd.DataFrame(months).groupby("year").mean()
    path["sales_area"] = pd.concat(sales, axis=1).mean(axis=1)
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--city", default="panzhihua", choices=["panzhihua", "anshan"])
    ap.add_argument("--runs", type=int, default=12)
    ap.add_argument("--last-year", type=int, default=2020)
    ap.add_argument("--scale", type=int, default=50)
    args = ap.parse_args()
    path = yearly_path(args.city, args.runs, args.last_year, args.scale)
    plan = annual_city_series(args.city, ["sales_area"])
    path["plan_sales_area"] = plan.set_index("year").value.reindex(path.index)
    print(f"{args.city}: {args.runs} posterior draws at scale {args.scale} (sales in 万㎡, price in 元/㎡)")
    print(path.round(2).to_string())


if __name__ == "__main__":
    main()
