"""Loading validates everything and names the file, the key and what is allowed."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from sim.config.loader import ScenarioError, load_scenario

from .conftest import ROOT, SCENARIOS


def test_plan_scenarios_load(scenarios):
    pz, an = scenarios["panzhihua"], scenarios["anshan"]
    assert pz.city == "panzhihua" and len(pz.districts) == 5
    assert an.city == "anshan" and len(an.districts) == 1
    assert pz.params.land_supply.band_edges == [6, 12, 18, 36]
    assert an.params.land_supply.band_edges == [6, 12, 15, 18, 36]
    assert pz.params.land_supply.persistence_months == 3


def broken(tmp_path, pattern: str, replacement: str, count: int = 1):
    text = SCENARIOS["panzhihua"].read_text(encoding="utf-8")
    new, n = re.subn(pattern, replacement, text, count=count, flags=re.M)
    assert n, pattern
    path = tmp_path / "bad.toml"
    path.write_text(new.replace('profile = "../calibration', f'profile = "{ROOT}/calibration'), encoding="utf-8")
    return path


@pytest.mark.parametrize("pattern, replacement, key, hint", [
    (r"^savings_rate = .*$", "savings_rate = { value = 1.5, unit = \"share\", source = \"guess, range 0–1\" }",
     "income.savings_rate", "out of range"),
    (r"^savings_rate = .*$", "savings_rate = { value = \"high\", unit = \"share\", source = \"x\" }",
     "income.savings_rate", "expected a number"),
    (r"^savings_rate = .*$", "savings_rate = { value = 0.3, unit = \"percent\", source = \"x\" }",
     "income.savings_rate", 'unit "percent" is wrong'),
    (r"^savings_rate = .*$", "savings_rate = { value = 0.3, unit = \"share\", source = \"guess\" }",
     "income.savings_rate", "range"),
    (r"^savings_rate = .*$", "", "income.savings_rate", "missing key"),
    (r"^savings_rate = .*$", "savings_rat = { value = 0.3, unit = \"share\", source = \"x\" }",
     "income.savings_rat", "unknown key"),
    (r"^count = .*$", "count = { value = 2.5, unit = \"developers\", source = \"x\" }",
     "developers.count", "expected an integer"),
    (r"^in_migration = .*$", "in_migration = { value = [1, 2], unit = \"persons/year\", source = \"x\" }",
     "demography.in_migration", "expected 10 values"),
    (r"^band_multipliers = .*$", "band_multipliers = { value = [1.0], unit = \"ratio\", source = \"x\" }",
     "land_supply.band_multipliers", "one multiplier per band"),
    (r"^city = .*$", "city = \"chengdu\"", "scenario.city", "not allowed"),
])
def test_bad_values_name_file_and_key(tmp_path, pattern, replacement, key, hint):
    path = broken(tmp_path, pattern, replacement)
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    msg = str(err.value)
    assert str(path) in msg and f"[{key}]" in msg and hint in msg


def test_unknown_section(tmp_path):
    path = broken(tmp_path, r"^\[rental_market\]$", "[rental_markets]")
    with pytest.raises(ScenarioError, match=r"\[rental_markets\] unknown section"):
        load_scenario(path)


def with_broken_profile(tmp_path, old: str, new: str):
    """A copy of the Panzhihua scenario whose profile has ``old`` replaced by ``new``."""
    profile = (ROOT / "calibration/profiles/panzhihua.toml").read_text(encoding="utf-8")
    bad_profile = tmp_path / "profile.toml"
    bad_profile.write_text(profile.replace(old, new), encoding="utf-8")
    return broken(tmp_path, r'^profile = .*$', f'profile = "{bad_profile}"')


def test_bad_profile_is_named(tmp_path):
    path = with_broken_profile(tmp_path, 'value = 0.3395', 'value = 0.5')
    with pytest.raises(ScenarioError, match=r"profile.toml: \[district.population_share\] shares must sum to 1"):
        load_scenario(path)


def test_profile_bounds_must_increase(tmp_path):
    path = with_broken_profile(tmp_path, "value = [1960, 2000]", "value = [2000, 1960]")
    with pytest.raises(ScenarioError, match=r"profile.toml: \[housing.old_stock_build_years\] needs two increasing"):
        load_scenario(path)


def test_cli_writes_nothing_for_a_bad_scenario(tmp_path):
    path = broken(tmp_path, r"^savings_rate = .*$", "")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, str(ROOT / "run_sim.py"), "run", str(path), "--out", str(out)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "income.savings_rate" in proc.stderr
    assert not out.exists()


def test_cli_rejects_bad_scale(tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "run_sim.py"), "run", str(SCENARIOS["anshan"]),
                           "--scale", "0", "--out", str(tmp_path / "o")], capture_output=True, text=True)
    assert proc.returncode == 2 and "--scale" in proc.stderr and not (tmp_path / "o").exists()


def test_every_key_is_declared_with_a_unit_range_and_description():
    from sim.config.schema import DISTRICT, PROFILE, SCENARIO

    specs = [*(s for t in SCENARIO.values() for s in t.values()), *(s for t in PROFILE.values() for s in t.values()),
             *DISTRICT.values()]
    assert all(s.description for s in specs)
    assert all(s.unit and s.lo is not None and s.hi is not None for s in specs if s.kind in ("float", "by_year"))


def test_plans_units_are_converted_to_base_units_at_load_time(scenarios):
    """亿元, 万元 and 万㎡ in the files become 元 and m² in the parameters; the saved tables keep the file's units."""
    sc = scenarios["panzhihua"]
    assert sc.params.developers.initial_cash == sc.raw["developers"]["initial_cash"]["value"] * 1e8
    assert sc.params.rental_support.annual_budget == [v * 1e4 for v in
                                                      sc.raw["rental_support"]["annual_budget"]["value"]]
    assert sc.profile.developers.inventory_area == sc.raw_profile["developers"]["inventory_area"]["value"] * 1e4
    moved = sc.with_overrides({"profile.developers.inventory_area": 120, "developers.initial_cash": 30})
    assert moved.profile.developers.inventory_area == 120 * 1e4 and moved.params.developers.initial_cash == 30e8
    assert moved.raw_profile["developers"]["inventory_area"]["value"] == 120
    with pytest.raises(ScenarioError, match="out of range"):
        sc.with_overrides({"developers.initial_cash": 2e4})       # the range is checked in the file's unit
