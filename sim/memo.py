"""Memo-ready tables: what an analyst pastes into a memo or opens in Excel, beside the machine-readable CSVs.

- Values rounded to ``SIGNIFICANT_DIGITS`` significant digits in the plans' units (万㎡, 亿元, 元/㎡ …);
  probabilities as percentages (0–100); each indicator's Chinese and English name; a target as numbers (relation,
  low, high) beside its text; the city's rows labelled 全市.
- CSVs are written with a byte-order mark (``sim.output.write_csv``), so Excel reads their Chinese.
- Workbooks (``.xlsx``) are written with openpyxl (through pandas): numeric cells, a frozen header row and column
  widths that fit the content.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from .indicators import CITY, INDICATORS
from .output import atomic_write

SIGNIFICANT_DIGITS = 4
CITY_LABEL = "全市"
SCOPES = {"city": "全市 city", "each_district": "各县（区） each district"}


def round_significant(values: pd.Series | np.ndarray, digits: int = SIGNIFICANT_DIGITS) -> np.ndarray:
    """Each value rounded to ``digits`` significant digits (0, NaN and ±inf unchanged)."""
    x = np.asarray(values, dtype=float)
    finite = np.isfinite(x) & (x != 0)
    out = x.copy()
    magnitude = np.floor(np.log10(np.abs(x[finite])))
    factor = 10.0 ** (digits - 1 - magnitude)
    out[finite] = np.round(x[finite] * factor) / factor
    return out


def _names(indicator: pd.Series) -> pd.DataFrame:
    known = indicator.map(lambda k: k in INDICATORS)
    return pd.DataFrame({
        "指标": indicator.map(lambda k: INDICATORS[k].zh if k in INDICATORS else k),
        "indicator": indicator.map(lambda k: INDICATORS[k].description if k in INDICATORS else k).where(known, ""),
        "key": indicator,
    }, index=indicator.index)


def memo_scorecard(card: pd.DataFrame) -> pd.DataFrame:
    """The plan scorecard (``scorecard.csv``) for a memo: names in both languages, the target as text and as
    numbers, the projection rounded, P(meet) in per cent."""
    out = _names(card.indicator)
    out["时期 period"] = card.period.astype(str)
    out["范围 scope"] = card.scope.map(SCOPES).fillna(card.scope)
    out["目标 target"] = card.target
    out["relation"] = card.relation
    out["low"] = round_significant(card.low)
    out["high"] = round_significant(card.high)
    out["单位 unit"] = card.unit
    out["中位数 median"] = round_significant(card["median"])
    out["P5"] = round_significant(card.p5)
    out["P95"] = round_significant(card.p95)
    out["达标概率 P(meet) %"] = np.round(100.0 * card.probability.astype(float), 1)
    out["属性 attribute"] = card.attribute
    out["runs"] = card.runs
    out["来源 source"] = card.source
    return out.reset_index(drop=True)


def memo_summary(summary: pd.DataFrame) -> pd.DataFrame:
    """The batch summary (``summary.csv``) for a memo: names in both languages, the city's rows as 全市, the
    mean, median and 90 % band rounded."""
    names = _names(summary.indicator)
    out = pd.DataFrame({"城市 city": summary.city,
                        "区域 district": summary.district.where(summary.district != CITY, CITY_LABEL)})
    out = out.join(names)
    out["单位 unit"] = summary.unit
    out["年份 year"] = summary.year
    for column, label in (("mean", "均值 mean"), ("p5", "P5"), ("p50", "中位数 median"), ("p95", "P95")):
        out[label] = round_significant(summary[column])
    out["runs"] = summary.runs
    return out.reset_index(drop=True)


def memo_comparison(table: pd.DataFrame) -> pd.DataFrame:
    """The paired comparison (``comparison.csv``) for a memo: names in both languages, indicator rows rounded
    in their units with the relative change in per cent, target rows' chances of meeting in per cent."""
    target = table.kind == "target"
    out = pd.DataFrame({"方案 variant": table.variant, "类别 kind": table.kind}).join(_names(table.indicator))
    out["时期 period"] = table.period
    out["目标 target"] = table.target.fillna("")
    out["单位 unit"] = table.unit.where(~target, "%")
    for column, label in (("baseline", "基准 baseline"), ("variant_value", "方案 variant value"),
                          ("difference", "差值 difference"), ("p5", "P5"), ("p95", "P95")):
        values = table[column].astype(float)
        out[label] = np.where(target, np.round(100.0 * values, 1), round_significant(values))
    out["相对变化 relative %"] = np.round(100.0 * table.relative.astype(float), 1)
    out["runs"] = table.runs
    return out.reset_index(drop=True)


def write_workbook(sheets: Mapping[str, pd.DataFrame], path: Path) -> None:
    """One sheet per table (name ≤ 31 characters), numeric cells, header row frozen, columns fitted; written
    atomically."""
    def write(tmp: Path) -> None:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            for name, table in sheets.items():
                table.to_excel(writer, sheet_name=name[:31], index=False)
                sheet = writer.sheets[name[:31]]
                sheet.freeze_panes = "A2"
                for i, column in enumerate(table.columns):
                    longest = max([len(str(column)), *(len(str(v)) for v in table[column].head(500))])
                    sheet.column_dimensions[sheet.cell(row=1, column=i + 1).column_letter].width = min(longest + 2, 60)
    atomic_write(path, write)
