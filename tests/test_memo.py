"""Memo-ready outputs (issue 21 part 1): workbooks with numeric cells, CSVs Excel reads as UTF-8, one city row."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.memo import memo_comparison, memo_scorecard, memo_summary, round_significant, write_workbook
from sim.montecarlo.scorecard import scorecard
from sim.output import write_csv


def test_round_significant_keeps_four_digits_and_leaves_zero_nan_and_inf():
    out = round_significant(np.array([519.1007999999999, 0.0014937, 123456.7, 0.0, np.nan, np.inf, -2.71828]))
    assert list(out[:4]) == [519.1, 0.001494, 123500.0, 0.0]
    assert np.isnan(out[4]) and np.isinf(out[5]) and out[6] == -2.718


def test_csv_starts_with_a_byte_order_mark_and_reads_back_unchanged(tmp_path):
    table = pd.DataFrame({"unit": ["万㎡"], "value": [1.5]})
    write_csv(table, tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "t.csv"), table)


def _targets() -> pd.DataFrame:
    return pd.DataFrame([
        {"city": "x", "indicator": "sales_area", "start_year": 2021, "year": 2025, "relation": "about", "value": 100.0,
         "upper": np.nan, "tolerance": 0.1, "unit": "万㎡", "scope": "city", "attribute": "预期性", "modelled": True,
         "source": "s"},
        {"city": "x", "indicator": "destocking_cycle", "start_year": 2025, "year": 2025, "relation": "between",
         "value": 6.0, "upper": 18.0, "tolerance": np.nan, "unit": "months", "scope": "each_district",
         "attribute": "约束性", "modelled": True, "source": "s"}])


def _runs(districts: list[str]) -> pd.DataFrame:
    rows = []
    for run in range(4):
        for year in range(2021, 2026):
            rows.append({"city": "x", "district": "all", "run": run, "year": year, "indicator": "sales_area",
                         "value": 20.0 + run, "unit": "万㎡"})
            for d in ["all", *districts]:
                rows.append({"city": "x", "district": d, "run": run, "year": year, "indicator": "destocking_cycle",
                             "value": 10.0 if run < 3 else 30.0, "unit": "months"})
    return pd.DataFrame(rows)


def test_the_scorecard_gives_the_target_as_numbers_and_the_memo_in_percent():
    card = scorecard(_runs(["a", "b"]), _targets())
    about, between = card.iloc[0], card.iloc[1]
    assert (about.relation, about.low, about.high) == ("about", pytest.approx(90.0), pytest.approx(110.0))
    assert (between.low, between.high) == (6.0, 18.0)
    memo = memo_scorecard(card)
    assert memo["达标概率 P(meet) %"].tolist() == [75.0, 75.0]       # sums 100, 105, 110, 115: three within ±10 %
    assert memo["指标"].tolist() == ["商品住房销售面积", "去化周期"]


def test_a_city_of_one_district_is_checked_on_its_city_rows():
    """Anshan is one district, and its tables carry only the city's rows: an each_district target is the city's."""
    card = scorecard(_runs([]), _targets())
    assert card.iloc[1].probability == 0.75


def test_workbooks_hold_numeric_cells(tmp_path):
    card = scorecard(_runs(["a"]), _targets())
    summary = pd.DataFrame({"city": ["x"], "district": ["all"], "indicator": ["avg_price"], "unit": ["元/㎡"],
                            "year": [2025], "runs": [4], "mean": [5128.3333], "p5": [4000.1], "p10": [0.0],
                            "p25": [0.0], "p50": [5100.77], "p75": [0.0], "p90": [0.0], "p95": [6000.9]})
    comparison = pd.DataFrame({"variant": ["v", "v"], "kind": ["indicator", "target"],
                               "indicator": ["sales_area", "sales_area"], "period": ["2021–2025", "2021–2025"],
                               "target": ["", "≈100 (±10%)"], "unit": ["万㎡", "万㎡"], "baseline": [519.1008, 0.25],
                               "variant_value": [530.0, 0.5], "difference": [10.9, 0.25], "p5": [1.0, 0.1],
                               "p95": [20.0, 0.4], "relative": [0.021, np.nan], "runs": [40, 40]})
    write_workbook({"目标 scorecard": memo_scorecard(card), "汇总 summary": memo_summary(summary),
                    "比较 comparison": memo_comparison(comparison)}, tmp_path / "memo.xlsx")
    sheets = pd.read_excel(tmp_path / "memo.xlsx", sheet_name=None)
    assert list(sheets) == ["目标 scorecard", "汇总 summary", "比较 comparison"]
    assert pd.api.types.is_numeric_dtype(sheets["目标 scorecard"]["达标概率 P(meet) %"])
    assert sheets["汇总 summary"]["区域 district"].tolist() == ["全市"]
    assert sheets["汇总 summary"]["均值 mean"].tolist() == [5128.0]
    compared = sheets["比较 comparison"]
    assert compared["基准 baseline"].tolist() == [519.1, 25.0]             # target rows: chance in per cent
    assert compared["相对变化 relative %"].iloc[0] == 2.1


def test_anshan_has_one_city_row_per_indicator_and_year(scenarios):
    """Anshan is modelled as one district: its tables carry the city's rows only, so summing over districts
    cannot count the city twice; Panzhihua keeps its five districts beside the city."""
    from sim.model import HousingMarketModel

    for city, districts in (("anshan", {"all"}), ("panzhihua", {"all", "东区", "西区", "仁和区", "米易县", "盐边县"})):
        model = HousingMarketModel(scenarios[city], seed=1, scale=200)
        model.run()
        annual, monthly = model.results()
        assert set(annual.district) == districts and set(monthly.district) == districts
        city_rows = annual[annual.district == "all"]
        assert not city_rows.duplicated(["indicator", "year"]).any()


def test_fan_charts_are_titled_in_both_languages_and_drawn_at_200_dpi(tmp_path, monkeypatch):
    """A panel title carries the Chinese and English name and the unit (English only without a CJK font); the
    PNG is 14 × 11 inches at 200 dpi; a target that every district must meet draws the districts' medians."""
    import struct

    import matplotlib.pyplot as plt

    from sim.montecarlo import fanchart

    assert fanchart.panel_title("sales_area", chinese=True) == "商品住房销售面积 sales_area (万㎡)"
    assert fanchart.panel_title("sales_area", chinese=False) == "sales_area (10k m²)"
    rows = [{"city": "panzhihua", "district": d, "indicator": name, "unit": "", "year": y, "runs": 4, "mean": 10.0,
             "p5": 8.0, "p10": 8.5, "p25": 9.0, "p50": 10.0, "p75": 11.0, "p90": 11.5, "p95": 12.0}
            for d in ("all", "东区", "西区") for name in fanchart.FAN_INDICATORS for y in range(2016, 2026)]
    summary = pd.DataFrame(rows)
    from sim.observed import targets

    drawn, draw_districts = [], fanchart.draw_districts
    monkeypatch.setattr(fanchart, "draw_districts", lambda ax, s, name: drawn.append(name))
    fanchart.fan_charts(summary, targets("panzhihua"), "panzhihua", "t", tmp_path / "fan.png")
    width, height = struct.unpack(">II", (tmp_path / "fan.png").read_bytes()[16:24])
    assert (width, height) == (14 * fanchart.DPI, 11 * fanchart.DPI) and fanchart.DPI == 200
    assert drawn == ["destocking_cycle"]          # Panzhihua's 6–18 months hold in every 县（区）
    fig, ax = plt.subplots()
    draw_districts(ax, summary, "destocking_cycle")
    assert len(ax.lines) == 2                      # one median line per district, none for the city
    plt.close(fig)
