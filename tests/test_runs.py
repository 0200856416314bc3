"""Whole runs through the command line: every indicator for every year, at scale 1 and 20; determinism."""
from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from sim.indicators import CITY, INDICATORS

from .conftest import ROOT, SCENARIOS

REQUIRED = ["sales_area", "sales_value", "avg_price", "inventory_area", "destocking_cycle", "supply_area",
            "land_supplied", "investment", "per_capita_floor_area", "price_to_income", "problem_projects",
            "escrow_balance", "subsidy_households", "public_rental_coverage", "vacancy_rate", "avg_rent",
            "households", "population"]


def run(city: str, out, seed: int = 0, scale: int = 20) -> pd.DataFrame:
    proc = subprocess.run([sys.executable, str(ROOT / "run_sim.py"), "run", str(SCENARIOS[city]), "--seed",
                           str(seed), "--scale", str(scale), "--out", str(out)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "sales_area" in proc.stdout          # the annual city table is printed
    return pd.read_csv(out / "annual.csv")


@pytest.mark.parametrize("city, scale", [("panzhihua", 1), ("panzhihua", 20), ("anshan", 20)])
def test_every_indicator_every_year(tmp_path, city, scale):
    annual = run(city, tmp_path, scale=scale)
    assert list(annual.columns) == ["city", "district", "year", "indicator", "value", "unit"]
    city_rows = annual[annual.district == CITY]
    table = city_rows.pivot(index="year", columns="indicator", values="value")
    assert list(table.index) == list(range(2016, 2026))
    assert set(REQUIRED) <= set(table.columns) and set(table.columns) == set(INDICATORS)
    assert table[REQUIRED].notna().all().all()
    for name, indicator in INDICATORS.items():
        assert (city_rows[city_rows.indicator == name].unit == indicator.unit).all()
    if city == "panzhihua":
        assert set(annual.district) == {CITY, "东区", "西区", "仁和区", "米易县", "盐边县"}
    for f in ("monthly.parquet", "scenario.toml", "chart.png"):
        assert (tmp_path / f).stat().st_size > 0
    monthly = pd.read_parquet(tmp_path / "monthly.parquet")
    assert monthly.month.nunique() == 120


def test_same_seed_same_results_different_seed_different(tmp_path):
    run("anshan", tmp_path / "a", seed=7, scale=50)
    run("anshan", tmp_path / "b", seed=7, scale=50)
    run("anshan", tmp_path / "c", seed=8, scale=50)
    same = (tmp_path / "a" / "annual.csv").read_bytes() == (tmp_path / "b" / "annual.csv").read_bytes()
    diff = (tmp_path / "a" / "annual.csv").read_bytes() != (tmp_path / "c" / "annual.csv").read_bytes()
    assert same and diff


def test_the_annual_table_alone_is_the_annual_table_of_both(scenarios):
    """Batches and calibrations take ``model.annual_table()``; the run command ``model.results()``: the same
    annual figures, to the bit, for a multi-district city and a one-district one; and a year's flow is the sum of
    its months, a stock its December, in the monthly table."""
    import numpy as np

    from sim.indicators import FLOW_INDICATORS
    from sim.model import HousingMarketModel

    for city in ("panzhihua", "anshan"):
        model = HousingMarketModel(scenarios[city], seed=3, scale=200)
        model.run(until_year=2017)
        annual, monthly = model.results()
        pd.testing.assert_frame_equal(model.annual_table(), annual, check_exact=True)
        keys = ["district", "indicator", "year"]
        flows, stocks = ["sales_area", "supply_area", "land_supplied"], ["inventory_area", "population", "households"]
        assert set(flows) <= FLOW_INDICATORS and not set(stocks) & FLOW_INDICATORS
        by_year = pd.concat([monthly[monthly.indicator.isin(flows)].groupby(keys).value.sum(),
                             monthly[monthly.indicator.isin(stocks)].sort_values("month").groupby(keys).value.last()])
        table = annual.set_index(keys).value.loc[by_year.index]
        assert len(by_year) and np.allclose(table, by_year, rtol=1e-12, atol=1e-9)
