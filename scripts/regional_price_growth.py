"""Anshan's regional new-home price growth by year, from the NBS 70-city index of its Liaoning third-tier
neighbours (README "Calibration", Anshan's prices): the region's prices rose as Anshan's did in 2016–2019.

    python scripts/regional_price_growth.py

Reads ``calibration/data/regional_price_index.csv`` (丹东 and 锦州, 2015 = 100, at the months the NBS tables
give), averages the two cities at each month, interpolates the log index linearly between those months (and
extends the first interval's slope back to 2015-12), and prints each year's December-to-December growth
2016–2020 and the growth from mid-2016 to mid-2019, to set beside Anshan's annual average price of 2016 and 2019
(4129 → 5128 元/㎡, +24 %, 002 四(一), read from ``calibration/data/observed.csv``). Anshan is not among the 70
cities; 丹东 and 锦州 are the index's two Liaoning cities of its tier (沈阳 and 大连 are provincial centres).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.observed import annual_city_series
from sim.state.calendar import MONTHS_PER_YEAR, START_YEAR

ROOT = Path(__file__).resolve().parents[1]
MID_YEAR = 7                      # July: the annual average prices are set beside the index mid-year


def month_index(year: int, month: int) -> int:
    """Months since the model's first month (0 = January of ``START_YEAR``); month 1–12."""
    return (year - START_YEAR) * MONTHS_PER_YEAR + month - 1


def log_index_at(index: pd.DataFrame):
    """Month index → log of the cities' mean index, log-linear between the published months."""
    mean = index.groupby("month")["index_2015_100"].mean()
    months = np.array([month_index(int(m[:4]), int(m[5:])) for m in mean.index])
    log_index = np.log(mean.to_numpy())
    slope = (log_index[1] - log_index[0]) / (months[1] - months[0])

    def at(month: int) -> float:
        if month < months[0]:
            return log_index[0] + slope * (month - months[0])
        return float(np.interp(month, months, log_index))

    return at


def main() -> None:
    index = pd.read_csv(ROOT / "calibration" / "data" / "regional_price_index.csv")
    at = log_index_at(index)
    for y in range(START_YEAR, int(index.month.max()[:4]) + 1):
        growth = np.exp(at(month_index(y, 12)) - at(month_index(y - 1, 12))) - 1
        print(f"{y}: {growth:+.3f} (December to December)")
    price = annual_city_series("anshan", ["avg_price"]).set_index("year")["value"]
    first, last = START_YEAR, int(price.index.max())
    regional = np.exp(at(month_index(last, MID_YEAR)) - at(month_index(first, MID_YEAR))) - 1
    print(f"{first}-07 → {last}-07: {regional:+.3f} (Anshan's annual average price {first} → {last}: "
          f"{price[last] / price[first] - 1:+.3f}, 002 四(一))")


if __name__ == "__main__":
    main()
