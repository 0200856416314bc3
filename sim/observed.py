"""The plans' observed 2016–2020 figures and 2021–2025 targets (``calibration/data/*.csv``)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

DATA_DIR = Path(__file__).resolve().parent.parent / "calibration" / "data"


def observed(city: str | None = None) -> pd.DataFrame:
    """All observed figures (one row per figure with its source), optionally for one city."""
    df = pd.read_csv(DATA_DIR / "observed.csv", dtype={"district": "string"}, keep_default_na=False,
                     na_values={"value": [""]})
    return df[df.city == city].reset_index(drop=True) if city else df


def annual_city_series(city: str, indicators: list[str]) -> pd.DataFrame:
    """Single-year, city-level observations of the given indicators: columns indicator, year, value."""
    df = observed(city)
    keep = (df.district == "") & (df.start_year == df.year) & df.indicator.isin(indicators)
    return df.loc[keep, ["indicator", "year", "value", "derived"]].reset_index(drop=True)


def targets(city: str | None = None) -> pd.DataFrame:
    """The plans' 2021–2025 targets; ``upper`` and ``tolerance`` are NaN where they do not apply."""
    df = pd.read_csv(DATA_DIR / "targets.csv", keep_default_na=False,
                     na_values={"upper": [""], "tolerance": [""]})
    df["modelled"] = df.modelled.astype(str).str.lower() == "true"
    return df[df.city == city].reset_index(drop=True) if city else df
