"""Scenario inheritance and the variant library: resolution, validation errors, histories shared to 2020."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import tomli_w

from sim.config.loader import ScenarioError, load_scenario, purpose
from sim.config.schema import SCENARIO
from sim.model import HousingMarketModel

from .conftest import ROOT, SCENARIOS

# the policy library: variants of a plan (the as-happened scenarios are hindcasts, tests/test_hindcast.py)
LIBRARY = sorted(p for p in (ROOT / "scenarios").glob("*.toml")
                 if not p.name.endswith(("_plan.toml", "_as_happened.toml")))
REQUIRED = ("land_fixed", "presale_strict", "presale_loose", "rental_expanded", "rental_cut", "credit_eased",
            "credit_tightened", "developer_funding_shock", "population_outflow", "non_resident_halved")


def changed_keys(a, b) -> set[str]:
    return {f"{s}.{k}" for s in SCENARIO for k in SCENARIO[s] if s != "scenario" and a[s][k] != b[s][k]}


def test_library_has_every_required_variant_for_each_city():
    names = {p.stem for p in LIBRARY}
    for city, other in (("panzhihua", "anshan"), ("anshan", "panzhihua")):
        for slug in (*REQUIRED, f"land_{other}_rule"):
            assert f"{city}_{slug}" in names


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_variant_resolves_onto_its_baseline(path, scenarios):
    variant = load_scenario(path)
    base = scenarios[variant.city]
    assert variant.name == path.stem and variant.from_year == 2021
    assert variant.before.name == base.name
    assert variant.params_at(2020) is variant.before.params and variant.params_at(2021) is variant.params
    own = {f"{s}.{k}" for s, t in variant.raw.items() if s != "scenario" for k in t}
    with path.open("rb") as fh:
        import tomllib
        stated = {f"{s}.{k}" for s, t in tomllib.load(fh).items() if s != "scenario" for k in t}
    assert own >= stated and changed_keys(variant.params, base.params) == stated   # only what it states
    assert len(purpose(path)) > 100   # a one-paragraph purpose at the top


def write_variant(tmp_path: Path, name: str, tables: dict, extends: Path = SCENARIOS["panzhihua"]) -> Path:
    head = {"extends": str(extends), "name": name, "description": f"test variant {name}"}
    data = {"scenario": {**head, **tables.pop("scenario", {})}, **tables}
    path = tmp_path / f"{name}.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def entry(value, unit, source="test"):
    return {"value": value, "unit": unit, "source": source}


@pytest.mark.parametrize("tables, key, message", [
    ({"credit": {"mortgage_ratee": entry(0.05, "1/year")}}, "credit.mortgage_ratee", "unknown key"),
    ({"creditt": {}}, "creditt", "unknown section"),
    ({"escrow": {"supervised_multiple": entry(1.5, "share")}}, "escrow.supervised_multiple", "unit"),
    ({"escrow": {"supervised_multiple": entry(9.0, "ratio")}}, "escrow.supervised_multiple", "out of range"),
    ({"escrow": {"supervised_multiple": {"value": 1.2, "unit": "ratio"}}}, "escrow.supervised_multiple", "source"),
    ({"escrow": {"supervised_multiple": entry(1.2, "ratio", "guess")}}, "escrow.supervised_multiple", "range"),
    ({"credit": {"mortgage_rate": entry([0.05] * 9, "1/year")}}, "credit.mortgage_rate", "10 values"),
    ({"land_supply": {"band_multipliers": entry([1.0, 1.0], "ratio")}}, "land_supply.band_multipliers",
     "one multiplier per band"),
    ({"scenario": {"from_year": 2021}, "developers": {"count": entry(30, "developers")}}, "developers.count",
     "set up"),
    ({"scenario": {"from_year": 2015}}, "scenario.from_year", "out of range"),
    ({"scenario": {"name": "panzhihua_plan"}}, "scenario.name", "own name"),
])
def test_bad_variant_error_names_file_and_key(tmp_path, tables, key, message):
    path = write_variant(tmp_path, "bad_variant", tables)
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    text = str(err.value)
    assert str(path) in text and f"[{key}]" in text and message in text


def test_missing_parent_and_cycles_are_reported(tmp_path):
    missing = write_variant(tmp_path, "orphan", {}, extends=tmp_path / "nowhere.toml")
    with pytest.raises(ScenarioError, match=r"orphan\.toml: \[scenario\.extends\] .*not found"):
        load_scenario(missing)
    a = write_variant(tmp_path, "a", {}, extends=tmp_path / "b.toml")
    write_variant(tmp_path, "b", {}, extends=a)
    with pytest.raises(ScenarioError, match="cycle"):
        load_scenario(a)


def test_variant_of_a_variant_inherits_changes_and_from_year(tmp_path):
    first = write_variant(tmp_path, "first", {"scenario": {"from_year": 2022},
                                              "credit": {"provident_fund_share": entry(0.5, "share")}})
    second = write_variant(tmp_path, "second", {"escrow": {"supervised_multiple": entry(1.4, "ratio")}},
                           extends=first)
    s = load_scenario(second)
    assert s.from_year == 2022 and s.params.credit.provident_fund_share == 0.5
    assert s.params.escrow.supervised_multiple == 1.4
    base = load_scenario(SCENARIOS["panzhihua"])
    assert s.params_at(2021) is s.before.params and changed_keys(s.params_at(2021), base.params) == set()
    resolved = s.resolved()
    assert resolved["escrow"]["supervised_multiple"]["value"] == 1.4
    assert resolved["before_from_year"]["escrow"]["supervised_multiple"]["value"] == 1.0
    # overrides (posterior draws) reach the years before from_year too
    o = s.with_overrides({"demand.price_elasticity": 2.5})
    assert o.params_at(2016).demand.price_elasticity == 2.5 and o.params.demand.price_elasticity == 2.5


def city_series(path: Path, seed: int = 4):
    model = HousingMarketModel(load_scenario(path), seed=seed, scale=50)
    model.run()
    annual, _ = model.results()
    return annual.set_index(["district", "year", "indicator"]).value.sort_index()


def test_variant_shares_the_baseline_history_and_departs_from_2021():
    base = city_series(SCENARIOS["panzhihua"])
    variant = city_series(ROOT / "scenarios" / "panzhihua_credit_tightened.toml")
    years = base.index.get_level_values("year")
    np.testing.assert_array_equal(base[years <= 2020].to_numpy(), variant[years <= 2020].to_numpy())
    assert not np.allclose(base[years >= 2021].to_numpy(), variant[years >= 2021].to_numpy(), equal_nan=True)
