"""2021–2025 as it happened (issue 22): the as-happened scenarios and their measures, the groups a hindcast
switches on one at a time, the hindcast table's arithmetic on constructed runs, and the committed hindcasts."""
from __future__ import annotations

import json
import tomllib

import numpy as np
import pandas as pd
import pytest

from sim.comparison.hindcast import (
    decomposition,
    group_variant_name,
    group_variants,
    hindcast_table,
    measure_groups,
    published_changes,
    run_changes,
)
from sim.config.loader import ScenarioError, load_scenario
from sim.indicators import CITY

from .conftest import ROOT, SCENARIOS
from .test_scenario_library import changed_keys, write_variant

CITIES = ("panzhihua", "anshan")
HAPPENED = {c: ROOT / "scenarios" / f"{c}_as_happened.toml" for c in CITIES}


@pytest.mark.parametrize("city", CITIES)
def test_the_as_happened_scenario_extends_the_plan_from_2021_and_every_measure_has_a_source(city):
    happened = load_scenario(HAPPENED[city])
    plan = load_scenario(SCENARIOS[city])
    assert happened.before.name == plan.name and happened.from_year == 2021
    assert happened.params_at(2020) is happened.before.params
    with HAPPENED[city].open("rb") as fh:
        own = {f"{s}.{k}" for s, t in tomllib.load(fh).items() if s not in ("scenario", "measures") for k in t}
    claimed = {k for m in happened.measures if m.modelled for k in m.sets}
    assert claimed == own                          # every parameter it sets comes from a dated measure
    assert changed_keys(happened.params, plan.params) <= own
    for m in happened.measures:
        assert m.document and m.issued_by and m.date[:4].isdigit()
        assert m.modelled or len(m.why) > 20       # a measure without a channel says why
    assert {m.group for m in happened.measures} == {"credit", "developer_finance", "income_population"}
    assert not all(m.modelled for m in happened.measures)     # the ones the model cannot carry are listed too


@pytest.mark.parametrize("city", CITIES)
def test_each_group_variant_is_the_plan_with_that_group_of_measures_only(city):
    plan, happened = load_scenario(SCENARIOS[city]), load_scenario(HAPPENED[city])
    groups = measure_groups(happened)
    variants = group_variants(plan, happened)
    assert [v.name for v in variants] == [group_variant_name(plan, g) for g in groups]
    union = set()
    for v, overrides in zip(variants, groups.values(), strict=True):
        assert v.from_year == 2021 and v.params_at(2020) is plan.params
        changed = changed_keys(v.params, plan.params)
        assert changed <= set(overrides)
        assert changed_keys(v.params, happened.params).isdisjoint(overrides)    # those keys as they happened
        union |= changed
    assert union == changed_keys(happened.params, plan.params)   # the groups together make the as-happened path


RATE = {"credit": {"mortgage_rate": {"value": [0.05] * 10, "unit": "1/year", "source": "test"}}}
GROWTH = {"income": {"growth": {"value": [0.05] * 10, "unit": "1/year", "source": "test"}}}


def measure(**kw) -> dict:
    return {"name": "m", "date": "2023-08-31", "issued_by": "中国人民银行", "document": "doc", "group": "credit",
            "modelled": True, "sets": ["credit.mortgage_rate"]} | kw


@pytest.mark.parametrize("measures, tables, message", [
    ([measure(sets=["credit.down_payment_first"])], RATE, "which the file does not set"),
    ([measure(modelled=False, sets=[])], RATE, "says why"),
    ([measure(modelled=False, sets=[], why="no channel")], RATE, "belong to no measure"),
    ([measure(), measure(group="developer_finance")], RATE, "one group"),
    ([measure(date="Aug 2023")], RATE, "YYYY-MM"),
    ([measure(issued_by="")], RATE, "issued_by"),
    ([measure()], RATE | GROWTH, "belong to no measure"),
])
def test_a_measure_that_is_not_traceable_is_refused(tmp_path, measures, tables, message):
    with pytest.raises(ScenarioError, match=message):
        load_scenario(write_variant(tmp_path, "t", {"scenario": {"from_year": 2021}, **tables, "measures": measures}))


def long_runs(values: dict[int, dict[int, float]], indicator: str = "sales_area") -> pd.DataFrame:
    rows = [{"run": r, "seed": r, "city": "anshan", "district": CITY, "year": y, "indicator": indicator, "value": v}
            for r, years in values.items() for y, v in years.items()]
    return pd.DataFrame(rows)


def test_changes_are_per_run_and_counts_change_in_projects():
    runs = pd.concat([long_runs({0: {2021: 100, 2022: 80}, 1: {2021: 200, 2022: 100}}),
                      long_runs({0: {2021: 0, 2022: 3}, 1: {2021: 2, 2022: 2}}, "problem_projects")])
    ch = run_changes(runs, pairs=((2021, 2022),)).set_index(["indicator", "run"])
    assert ch.loc[("sales_area", 0), "change"] == pytest.approx(-20.0)
    assert ch.loc[("sales_area", 1), "change"] == pytest.approx(-50.0)
    assert ch.loc[("problem_projects", 0), "change"] == 3 and ch.loc[("problem_projects", 0), "unit"] == "projects"


def test_the_table_says_where_the_band_misses_the_published_direction():
    # 21 runs whose 2021→2022 sales change is +5 … +25 %: the whole band is above zero, the published −26.8 % not
    up = long_runs({r: {2021: 100.0, 2022: 105.0 + r, 2023: 100.0 + r, 2024: 90.0} for r in range(21)})
    table = hindcast_table(up, "panzhihua").set_index(["indicator", "from_year"])
    row = table.loc[("sales_area", 2021)]
    assert row.published_pct == -26.8 and not row.inside and row.direction == "band excludes it"
    assert row.model_p5 > 0 and row.model_median == pytest.approx(15.0)
    later = table.loc[("sales_area", 2023)]                 # −10 % … −18 % against a published −14.1 %
    assert later.inside and later.direction == "agrees"


def test_the_decomposition_splits_the_change_into_groups_and_an_interaction():
    plan, happened = load_scenario(SCENARIOS["anshan"]), load_scenario(HAPPENED["anshan"])
    key = {"kind": "target", "indicator": "supply_area", "period": "2021–2025", "target": "≈1100 (±10%)"}
    rows = [key | {"variant": happened.name, "baseline": 0.4, "variant_value": 0.1, "difference": -0.3,
                   "p5": -0.4, "p95": -0.2}]
    alone = {"credit": 0.05, "developer_finance": -0.2, "income_population": -0.05}
    rows += [key | {"variant": group_variant_name(plan, g), "baseline": 0.4, "variant_value": 0.4 + d,
                    "difference": d, "p5": d, "p95": d} for g, d in alone.items()]
    parts = decomposition(pd.DataFrame(rows), plan, happened).iloc[0]
    assert parts.p_plan == 0.4 and parts.p_as_happened == 0.1
    assert parts.developer_finance == -0.2 and parts.interaction == pytest.approx(-0.3 - (-0.2))


def test_published_changes_have_sources_and_the_northeast_applies_to_anshan_only():
    for city in CITIES:
        pub = published_changes(city)
        assert len(pub) >= 12 and (pub.source.str.len() > 10).all()
        assert ((pub.quote != "") | (pub.derived != "")).all()
    assert "northeast" in set(published_changes("anshan").region)
    assert "northeast" not in set(published_changes("panzhihua").region)


@pytest.mark.parametrize("city", CITIES)
def test_the_committed_hindcast_describes_the_model_as_it_is(city):
    folder = ROOT / "outputs" / f"hindcast_{city}"
    made_by = json.loads((folder / "golden_checksums.json").read_text())
    now = json.loads((ROOT / "tests" / "golden_checksums.json").read_text())
    assert made_by == now, f"outputs/hindcast_{city} was made by a model with other outputs: rerun (outputs/README.md)"
    table = pd.read_csv(folder / "hindcast.csv", encoding="utf-8-sig")
    parts = pd.read_csv(folder / "decomposition.csv", encoding="utf-8-sig")
    assert (table.runs >= 40).all() and len(parts) > 0
    assert np.allclose(parts.change - parts[["credit", "developer_finance", "income_population"]].sum(axis=1),
                       parts.interaction)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert f"{city}_as_happened" in json.dumps(manifest)


def test_the_command_line_writes_the_hindcast(tmp_path, capsys):
    import run_sim

    out = tmp_path / "hc"
    code = run_sim.main(["hindcast", "panzhihua", "--runs", "2", "--scale", "200", "--workers", "1",
                         "--params", "scenario", "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    table = pd.read_csv(out / "hindcast.csv", encoding="utf-8-sig")
    parts = pd.read_csv(out / "decomposition.csv", encoding="utf-8-sig")
    assert (table.runs == 2).all() and set(table.from_year) == {2021, 2022, 2023}
    assert {"credit", "developer_finance", "income_population", "interaction"} <= set(parts.columns)
    assert "## Measures" in (out / "hindcast.md").read_text(encoding="utf-8")
    assert "## Measures" in capsys.readouterr().out
