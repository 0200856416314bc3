"""Adversarial inputs (issue 20): numbers that are not finite, files that are not UTF-8, names that would write
outside outputs/, scales that empty the districts — each refused with a message naming the file and key (or the
argument), without a traceback and before anything is written."""
from __future__ import annotations

import subprocess
import sys

import pytest

from sim.config.loader import ScenarioError, load_scenario
from sim.montecarlo.parameters import ParameterSource

from .conftest import ROOT, SCENARIOS
from .test_scenario_library import write_variant


def cli(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "run_sim.py"), *args], capture_output=True, text=True,
                          timeout=timeout)


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_non_finite_numbers_in_a_scenario_are_refused(tmp_path, value):
    path = write_variant(tmp_path, "panzhihua_nan", {})
    text = path.read_text(encoding="utf-8") + (
        f'\n[demography]\nbirth_rate = {{ value = {value}, unit = "1/year", source = "test" }}\n')
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"demography.birth_rate.*not a finite number"):
        load_scenario(path)
    proc = cli("run", str(path), "--scale", "200", "--out", str(tmp_path / "out"))
    assert proc.returncode == 2 and "demography.birth_rate" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()


def test_non_finite_numbers_in_a_series_and_in_overrides_are_refused(scenarios):
    sc = scenarios["anshan"]
    for value in (float("nan"), float("inf")):
        with pytest.raises(ScenarioError, match="not a finite number"):
            sc.with_overrides({"income.shock_sd": value})
        with pytest.raises(ScenarioError, match="not a finite number"):
            sc.with_overrides({"credit.mortgage_term": value})        # an integer key
        with pytest.raises(ScenarioError, match="not a finite number"):
            sc.with_overrides({"demand.non_resident_buyers*": value})


@pytest.mark.parametrize("cell", ["nan", "", "abc", "inf"])
def test_parameter_files_with_non_numbers_are_refused(tmp_path, cell):
    path = tmp_path / "params.csv"
    path.write_text(f"demand.price_elasticity,weight\n1.5,1\n{cell},1\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"column demand.price_elasticity, row 3"):
        ParameterSource.from_csv(path)
    proc = cli("mc", str(SCENARIOS["anshan"]), "--runs", "2", "--params", str(path), "--out", str(tmp_path / "o"))
    assert proc.returncode == 2 and "row 3" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "o").exists()


def test_all_zero_weights_are_refused(tmp_path):
    path = tmp_path / "params.csv"
    path.write_text("demand.price_elasticity,weight\n1.5,0\n2.0,0\n", encoding="utf-8")
    with pytest.raises(ValueError, match="column weight"):
        ParameterSource.from_csv(path)


def test_a_gbk_encoded_scenario_is_refused_naming_file_and_line(tmp_path):
    path = write_variant(tmp_path, "panzhihua_gbk", {})
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(1, "# 首付比例调整")                      # a comment as a Chinese Windows editor saves it
    path.write_bytes("\n".join(lines).encode("gbk"))
    with pytest.raises(ScenarioError, match=r"panzhihua_gbk.toml: line 2 is not UTF-8"):
        load_scenario(path)
    proc = cli("run", str(path), "--scale", "200", "--out", str(tmp_path / "out"))
    assert proc.returncode == 2 and "line 2 is not UTF-8" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("name", ["../escape", "", "a/b", ".hidden"])
def test_scenario_names_that_would_write_elsewhere_are_refused(tmp_path, name):
    path = write_variant(tmp_path, "panzhihua_ok", {})
    text = path.read_text(encoding="utf-8").replace('name = "panzhihua_ok"', f'name = "{name}"')
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"scenario.name.*not a usable name"):
        load_scenario(path)


def test_a_scale_that_empties_a_district_is_refused_with_the_largest_usable_scale(tmp_path):
    proc = cli("run", str(SCENARIOS["panzhihua"]), "--scale", "100000", "--out", str(tmp_path / "out"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "household rows in panzhihua's district" in proc.stderr and "at most" in proc.stderr
    assert not (tmp_path / "out").exists()
    proc = cli("mc", str(SCENARIOS["anshan"]), "--runs", "2", "--scale", "10000000", "--out", str(tmp_path / "o"))
    assert proc.returncode == 2 and "at most" in proc.stderr and not (tmp_path / "o").exists()


@pytest.mark.parametrize("overrides", [{"demography.out_migration": 1e6}, {"developers.initial_cash": 0}])
def test_extreme_allowed_values_run_to_the_end(overrides):
    """A city everyone leaves, a developer sector with no cash: allowed by the schema, so they must run."""
    import numpy as np

    from sim import api

    result = api.simulate("panzhihua_plan", seed=1, scale=50, overrides=overrides)
    table = result.table()
    assert len(table) == 10 and np.isfinite(table.loc[2025, "sales_area"])
    if "demography.out_migration" in overrides:
        assert table.loc[2025, "population"] == 0


def test_a_destocking_cycle_with_stock_and_no_sales_is_infinite_as_the_policy_reads_it():
    import numpy as np
    import pandas as pd

    from sim.indicators import derive
    from sim.policy.destocking_cycle import destocking_cycle
    from sim.state.records import RAW

    raw = pd.DataFrame([{k: 0.0 for k in RAW}] * 3)
    raw["inventory_area"] = [3e6, 0.0, 3e6]
    raw["trailing_sales"] = [0.0, 0.0, 1e5]
    measurement = {"residential_investment_share": 0.7, "seasonal_occupied_share": 0.5, "unit_size_new": 100.0}
    cycle = derive(raw, measurement).destocking_cycle.to_numpy()
    assert np.array_equal(cycle, destocking_cycle(raw.inventory_area, raw.trailing_sales))
    assert np.array_equal(cycle, [np.inf, 0.0, 30.0])


def test_summary_percentiles_reach_infinity_where_runs_have_infinite_cycles():
    import numpy as np
    import pandas as pd

    from sim.montecarlo.summary import summarise

    values = [10.0, 12.0, np.inf, np.inf]
    runs = pd.DataFrame({"run": range(4), "city": "anshan", "district": "all", "year": 2025,
                         "indicator": "destocking_cycle", "value": values})
    row = summarise(runs).iloc[0]
    assert row.p5 == pytest.approx(10.3) and row.p25 == pytest.approx(11.5)
    assert row.p50 == np.inf and row.p95 == np.inf and row["runs"] == 4


def test_city_only_indicators_have_no_district_rows():
    from sim import api
    from sim.indicators import CITY, CITY_ONLY

    annual = api.simulate("panzhihua_plan", seed=1, scale=50).annual
    districts = annual[annual.district != CITY]
    assert CITY_ONLY >= {"escrow_deposits", "provident_fund_lending", "developers_failed"}
    assert not districts.indicator.isin(CITY_ONLY).any()
    assert not annual[annual.indicator.isin(["escrow_deposits", "escrow_releases", "provident_fund_lending"])
                      ].value.isna().any()


@pytest.mark.parametrize("overrides, key", [
    ({"presale.relax_below_cycle": 30}, "presale.relax_below_cycle"),          # above tighten_above_cycle (18)
    ({"shantytown.cash_share": 0.9, "shantytown.purchase_share": 0.5}, "shantytown.purchase_share"),
    ({"profile.housing.public_rental_occupied": 1e6}, "housing.public_rental_occupied"),
])
def test_values_allowed_alone_but_impossible_together_are_refused(scenarios, overrides, key):
    with pytest.raises(ScenarioError, match=rf"\[{key}\]"):
        scenarios["panzhihua"].with_overrides(overrides)
