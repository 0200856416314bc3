"""How households' savings at 2016-01 shape Anshan's 2016–2019 prices and sales (README "Calibration").

Runs the Anshan plan at the mean of its fitted posterior (scale 50, seeds 0 and 1, averaged) with
``profile.population.savings_months`` at the profile's old guess (18), at the posterior mean and at the top of its
range (48), each with the posterior's own target sell-through and with a lower one (0.025 a month, at which prices
rise at a 30–40-month cycle), and prints the 2016–2019 price, sales, inventory, supply and investment beside the
plan's figures (002 四(一)–四(三)).

    python scripts/savings_probe.py
"""
from __future__ import annotations

import pandas as pd

from sim import api
from sim.observed import annual_city_series

INDICATORS = ["avg_price", "sales_area", "inventory_area", "supply_area", "investment"]
SEEDS = (0, 1)


def mean_path(overrides: dict) -> pd.DataFrame:
    tables = [api.simulate("anshan_plan", seed=seed, scale=50, overrides=overrides).table()[INDICATORS].loc[2016:2019]
              for seed in SEEDS]
    return sum(tables) / len(tables)


def main() -> None:
    posterior = pd.read_csv(api.PACKAGE_ROOT / "calibration" / "fitted" / "anshan.csv")
    weights = posterior.pop("weight")
    mean = (posterior.mul(weights, axis=0).sum() / weights.sum()).to_dict()
    obs = annual_city_series("anshan", INDICATORS).pivot_table(index="indicator", columns="year", values="value")
    print("observed", {i: [None if v != v else round(v) for v in obs.loc[i, 2016:2019]] for i in INDICATORS})
    for months in (18, round(mean["profile.population.savings_months"]), 48):
        for target in (None, 0.025):
            o = mean | {"profile.population.savings_months": months}
            if target is not None:
                o |= {"developers.target_sell_through": target}
            t = mean_path(o)
            label = f"savings {months} months, target {target or round(mean['developers.target_sell_through'], 3)}"
            print(label, {i: t[i].round(0).astype(int).tolist() for i in INDICATORS}, flush=True)


if __name__ == "__main__":
    main()
