"""compare: common random numbers, paired differences, target probabilities, the report and its font."""
from __future__ import annotations

import base64
import io
import re
import shutil

import numpy as np
import pandas as pd
import pytest
from fontTools.ttLib import TTFont

import run_sim
from sim.comparison.compare import Comparison, ComparisonError
from sim.comparison.paired import indicator_differences, mean_interval, target_changes
from sim.config.loader import load_scenario
from sim.fonts import cjk_font_path, missing_glyphs
from sim.indicators import CHINESE_NAMES
from sim.montecarlo.executor import make_executor
from sim.montecarlo.parameters import ParameterSource
from sim.observed import targets

from .conftest import ROOT, SCENARIOS
from .test_scenario_library import entry, write_variant

RUNS, SCALE = 3, 50


@pytest.fixture(scope="module")
def identical(tmp_path_factory):
    """The plan against a variant that changes nothing, with posterior-like parameter draws."""
    tmp = tmp_path_factory.mktemp("identical")
    same = load_scenario(write_variant(tmp, "panzhihua_same", {"scenario": {"from_year": 2021}}))
    draws = ParameterSource("draws", pd.DataFrame({"demand.price_elasticity": [1.0, 2.0, 2.5],
                                                   "demand.non_resident_buyers*": [0.8, 1.0, 1.2],
                                                   "weight": [1.0, 1.0, 1.0]}))
    comparison = Comparison(load_scenario(SCENARIOS["panzhihua"]), [same], runs=RUNS, root_seed=11, scale=SCALE,
                            out_dir=tmp / "cmp", params=draws)
    with make_executor(2) as ex:
        assert comparison.execute(ex, progress=False) == {"panzhihua_plan": [], "panzhihua_same": []}
    return comparison, comparison.write_outputs()


def test_paired_differences_of_identical_scenarios_are_exactly_zero(identical):
    _, table = identical
    assert len(table[table.kind == "indicator"]) == len(CHINESE_NAMES)
    # a run counts where the measure is defined; the land price is not in a year with no land sold
    defined = table[table.indicator != "land_price"]
    assert (defined.runs == RUNS).all(), defined[defined.runs != RUNS][["kind", "indicator", "runs"]].to_string()
    assert (table.runs <= RUNS).all()
    for column in ("difference", "p5", "p95"):
        values = table[column].to_numpy(float)
        assert np.all((values == 0) | np.isnan(values)), column
    ind = table[table.kind == "indicator"]
    assert ind.difference.notna().sum() >= len(ind) - 2     # NaN only where an indicator itself is undefined
    tgt = table[table.kind == "target"]
    assert len(tgt) == targets("panzhihua").modelled.sum() and (tgt.baseline == tgt.variant_value).all()


def test_both_scenarios_ran_the_same_seeds_and_draws(identical):
    comparison, _ = identical
    base, variant = comparison.batches()
    a, b = base.results(), variant.results()
    assert (a.groupby("run").seed.first() == b.groupby("run").seed.first()).all()
    pa, pb = (pd.read_csv(x.out_dir / "params.csv") for x in (base, variant))
    pd.testing.assert_frame_equal(pa, pb)
    assert pa["demand.price_elasticity"].nunique() > 1     # the draws do vary between runs


def test_report_is_self_contained_and_its_font_draws_every_chinese_character(identical):
    comparison, _ = identical
    page = (comparison.out_dir / "report.html").read_text(encoding="utf-8")
    assert not re.search(r'(src|href)="(https?:|//)', page) and "<script" not in page
    assert page.count('src="data:image/png;base64,') == 1          # the heat map; the variant changes nothing
    font_data = re.search(r"url\(data:font/ttf;base64,([A-Za-z0-9+/=]+)\)", page).group(1)
    cmap = TTFont(io.BytesIO(base64.b64decode(font_data))).getBestCmap()
    text = re.sub(r"<[^>]+>|data:[^)\"]+", "", page)
    cjk = {c for c in text if ord(c) > 0x2E7F}
    assert "去" in cjk and "周" in cjk                               # 去化周期 is on the page
    assert {c for c in cjk if ord(c) not in cmap} == set()
    for name in ("comparison.csv", "levers.png", "manifest.json"):
        assert (comparison.out_dir / name).stat().st_size > 0
    assert not (comparison.out_dir / "differences_panzhihua_same.png").exists()    # no page of flat zeros
    assert "Unchanged: zero paired difference" in page


def test_the_chart_font_covers_every_indicator_name():
    assert missing_glyphs("".join(CHINESE_NAMES.values()), cjk_font_path()) == set()


def constructed_runs(values: dict[int, float], indicator: str = "per_capita_floor_area") -> pd.DataFrame:
    rows = [{"run": r, "seed": r, "city": "panzhihua", "district": "all", "year": y, "indicator": indicator,
             "value": v + (y - 2025)} for r, v in values.items() for y in range(2016, 2026)]
    return pd.DataFrame(rows)


def test_paired_difference_and_probability_change_on_constructed_runs():
    base = constructed_runs({0: 36.0, 1: 38.0, 2: 40.0, 3: 42.0})
    variant = constructed_runs({0: 36.5, 1: 38.5, 2: 40.5, 3: 42.5})     # +0.5 in every run
    row = indicator_differences(base, variant).set_index("indicator").loc["per_capita_floor_area"]
    assert row.difference == pytest.approx(0.5) and row.p5 == pytest.approx(0.5) and row.p95 == pytest.approx(0.5)
    assert row.baseline == pytest.approx(39.0) and row.period == "2025"
    t = targets("panzhihua")
    t = t[(t.indicator == "per_capita_floor_area") & (t.year == 2025)]       # > 37 in 2025
    change = target_changes(base, variant, t, np.random.default_rng(0)).iloc[0]
    assert change.p_baseline == 0.75 and change.p_variant == 0.75 and change.change == 0
    lower = constructed_runs({0: 36.0, 1: 36.5, 2: 40.0, 3: 42.0})
    change = target_changes(lower, base, t, np.random.default_rng(0)).iloc[0]
    assert change.change == pytest.approx(0.25) and change.p5 >= 0 and change.p95 <= 0.75


def test_variant_changing_a_drawn_parameter_is_refused(tmp_path):
    v = load_scenario(write_variant(tmp_path, "elastic", {"demand": {"price_elasticity": entry(2.9, "dimensionless")}}))
    draws = ParameterSource("posterior", pd.DataFrame({"demand.price_elasticity": [1.0]}))
    with pytest.raises(ComparisonError, match=r"elastic\.toml: \[demand\.price_elasticity\]"):
        Comparison(load_scenario(SCENARIOS["panzhihua"]), [v], runs=1, root_seed=0, scale=SCALE,
                   out_dir=tmp_path / "x", params=draws)


def test_other_city_is_refused(tmp_path):
    with pytest.raises(ComparisonError, match="city anshan differs"):
        Comparison(load_scenario(SCENARIOS["panzhihua"]), [load_scenario(SCENARIOS["anshan"])], runs=1,
                   root_seed=0, scale=SCALE, out_dir=tmp_path / "x", params=ParameterSource("scenario"))


def test_cli_names_file_and_key_of_a_bad_variant(tmp_path, capsys):
    bad = write_variant(tmp_path, "bad", {"credit": {"mortgage_rate": entry(0.05, "1/year")}})
    code = run_sim.main(["compare", str(SCENARIOS["panzhihua"]), str(ROOT / "scenarios" / "panzhihua_rental_cut.toml"),
                         str(bad), "--runs", "1", "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2 and str(bad) in err and "[credit.mortgage_rate]" in err
    assert not (tmp_path / "out").exists()


def test_bootstrap_stream_is_no_run_seed_and_no_parameter_draw():
    """The bootstrap's random numbers must be independent of every run's model seed and parameter draw."""
    from sim.comparison.compare import BOOTSTRAP_KEY
    from sim.montecarlo.parameters import DRAW_STREAM

    def state(key: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(np.random.SeedSequence(20240101, spawn_key=key).generate_state(4))

    used = {state((run,)) for run in range(500)} | {state((run, DRAW_STREAM)) for run in range(500)}
    assert state(BOOTSTRAP_KEY) not in used


def test_the_report_opens_with_findings_computed_from_the_table(identical):
    """Findings come first and say what the comparison table says: a variant with differences that are all zero
    moves nothing; one whose interval excludes zero is listed with its median change and interval."""
    from sim.comparison.html_report import findings

    comparison, table = identical
    page = (comparison.out_dir / "report.html").read_text(encoding="utf-8")
    assert page.index('id="findings"') < page.index('id="how-to-read"') < page.index('id="levers"')
    assert "panzhihua_same" in page.split('id="how-to-read"')[0]          # the contents link each variant
    assert "unchanged" in findings(table, ["panzhihua_same"], "panzhihua")
    noise = table.copy()
    row = (noise.variant == "panzhihua_same") & (noise.kind == "indicator") & (noise.indicator == "sales_area")
    noise.loc[row, ["difference", "p5", "p95", "relative"]] = [5.0, -3.0, 8.0, 0.01]
    assert "moves no indicator or plan target" in findings(noise, ["panzhihua_same"], "panzhihua")
    moved = table.copy()
    moved.loc[row, ["difference", "p5", "p95", "relative"]] = [-12.0, -20.0, -3.0, -0.1]
    share = (moved.variant == "panzhihua_same") & (moved.indicator == "vacancy_rate")
    moved.loc[share, ["difference", "p5", "p95", "relative"]] = [0.00149, 0.0005, 0.003, 0.02]
    text = findings(moved, ["panzhihua_same"], "panzhihua")
    assert "sales_area" in text and "−12 [−20, −3] 万㎡ (−10.0 %)" in text
    assert "vacancy_rate" in text and "+0.149 [+0.05, +0.3] pt (+2.0 %)" in text     # a share in points
    assert "avg_price" not in text and "moves no indicator" not in text
    other = (moved.variant == "panzhihua_same") & (moved.indicator == "escrow_balance")
    moved.loc[other, ["difference", "p5", "p95", "relative"]] = [5.0, 2.0, 9.0, 0.4]
    assert "also: 预售资金监管余额" in findings(moved, ["panzhihua_same"], "panzhihua")    # a non-key indicator


def test_only_changes_whose_interval_excludes_zero_are_coloured(identical, tmp_path):
    """Significance-aware colouring: a change within the run-to-run spread is grey and uncoloured however large
    its median; one whose 90 % interval excludes zero is coloured, more strongly the larger it is."""
    from sim.comparison.html_report import variant_table, write_report

    comparison, table = identical
    t = table.copy()
    variant = (t.variant == "panzhihua_same") & (t.kind == "indicator")
    for name, values in {"sales_area": [-12.0, -20.0, -3.0, -0.1], "avg_price": [-300.0, -900.0, 50.0, -0.33],
                         "inventory_area": [40.0, 10.0, 90.0, 0.45]}.items():
        t.loc[variant & (t.indicator == name), ["difference", "p5", "p95", "relative"]] = values
    rows = {re.search(r"<small>(\w+)</small>", r).group(1): r for r in variant_table(t, "panzhihua_same").split("<tr>")
            if "<small>" in r}
    alpha = {name: float(m.group(1)) if (m := re.search(r"rgba\([\d, ]+, ([\d.]+)\)", rows[name])) else None
             for name in ("sales_area", "avg_price", "inventory_area", "vacancy_rate")}
    assert alpha["avg_price"] is None and 'class="quiet"' in rows["avg_price"]       # −33 % but spans zero
    assert alpha["vacancy_rate"] is None                                                # zero
    assert "31, 119, 180" in rows["sales_area"] and "214, 39, 40" in rows["inventory_area"]   # down blue, up red
    assert alpha["inventory_area"] > alpha["sales_area"] > 0
    shutil.copy(comparison.out_dir / "levers.png", tmp_path / "levers.png")
    page = write_report(tmp_path, comparison.baseline, comparison.variants, t, scale=SCALE, root_seed=11,
                        params_label="draws").read_text(encoding="utf-8")
    assert "paired difference [90 %]" in page and 'class="quiet"' in page    # the variant now has its table


def test_number_formats_are_one_rule():
    from sim.formats import in_unit, number, points, relative, signed

    assert [number(v) for v in (1151.2, 498.97, 17.53, 12.0, 0.5534, 0.00149, 1e-9, 0.0)] == \
        ["1,151", "499", "17.5", "12", "0.553", "0.00149", "0", "0"]
    assert signed(-913.4) == "−913" and signed(3.1) == "+3.1" and signed(0.0) == "0"
    assert in_unit(0.0815, "share") == "8.15" and in_unit(-0.0015, "share", change=True) == "−0.15"
    assert relative(0.00622) == "+0.6 %" and relative(-0.13) == "−13.0 %" and relative(float("nan")) == "–"
    assert points(-0.34) == "−34 pt" and points(0.001) == "0 pt"


def test_the_mean_interval_of_paired_changes_is_the_t_interval_and_narrows_with_runs():
    """The criterion 'a lever moves an indicator': the 90 % t interval of the mean paired change."""
    from scipy import stats

    change = np.array([0.0, 1.0, 0.0, 2.0, 1.0, 0.0, 3.0, 1.0])
    mean, low, high = mean_interval(change)
    expected = stats.t.interval(0.9, len(change) - 1, loc=change.mean(), scale=stats.sem(change))
    assert mean == pytest.approx(1.0) and (low, high) == pytest.approx(expected)
    _, low4, high4 = mean_interval(np.tile(change, 4))
    assert low < low4 < mean < high4 < high
