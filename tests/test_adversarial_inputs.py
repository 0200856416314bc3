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
