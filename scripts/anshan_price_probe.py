"""Can faster price adjustment give Anshan's 2016–2019 price path? (README "Calibration", Anshan's prices.)

Runs the Anshan plan at a few posterior draws (scale 50, seed 0) with the price-adjustment speed raised beyond
its prior (1.5, 3) and the target sell-through at 0.033–0.036 a month (a 28–30-month destocking cycle at which
prices hold), and prints the 2016–2020 price, sales, inventory and destocking cycle of each run beside the
plan's figures (002 四(一), 四(二)).

    python scripts/anshan_price_probe.py [--draws 0 4 8]
"""
from __future__ import annotations

import argparse

import pandas as pd

from sim import api
from sim.observed import annual_city_series

SETTINGS = [(None, None), (1.5, 0.036), (3.0, 0.036), (3.0, 0.033)]   # (speed, target); None: the draw's own
INDICATORS = ["avg_price", "sales_area", "inventory_area", "destocking_cycle"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--draws", type=int, nargs="+", default=[0, 4, 8], help="rows of calibration/fitted/anshan.csv")
    args = ap.parse_args()
    posterior = pd.read_csv(api.PACKAGE_ROOT / "calibration" / "fitted" / "anshan.csv").drop(columns="weight")
    obs = annual_city_series("anshan", INDICATORS).pivot_table(index="indicator", columns="year", values="value")
    print("observed (2016–2019)", {i: [None if v != v else round(v) for v in obs.loc[i, 2016:2019]]
                                   for i in INDICATORS})
    for row in args.draws:
        for speed, target in SETTINGS:
            o = posterior.iloc[row].to_dict()
            if speed is not None:
                o |= {"developers.price_adjust_speed": speed, "developers.target_sell_through": target}
            t = api.simulate("anshan_plan", seed=0, scale=50, overrides=o).table()
            shown = {i: t[i].loc[2016:2020].round(0).astype(int).tolist() for i in INDICATORS}
            label = "posterior" if speed is None else f"speed {speed}, target {target}"
            print(f"draw {row}, {label}: {shown}", flush=True)


if __name__ == "__main__":
    main()
