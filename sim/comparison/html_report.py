"""The comparison as one self-contained HTML page: tables, charts (embedded PNG) and the CJK glyphs it uses
(embedded font subset), readable offline in any browser."""
from __future__ import annotations

import base64
import html
from datetime import datetime
from pathlib import Path

import pandas as pd

from ..config.loader import Scenario
from ..fonts import font_face_css
from ..indicators import CHINESE_NAMES
from ..output import atomic_write
from .charts import KEY_INDICATORS

STYLE = """
body { font-family: "DejaVu Sans", Arial, Helvetica, "ReportCJK", sans-serif; margin: 2em auto; max-width: 1400px;
       color: #222; line-height: 1.45; padding: 0 1em; }
table { border-collapse: collapse; margin: 0.8em 0 1.6em; font-size: 0.86em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; text-align: right; }
th { background: #f0f0f4; } td.name, th.name { text-align: left; }
td.up { background: #fde4e1; } td.down { background: #e1ecfd; }
img { max-width: 100%; border: 1px solid #ddd; } .meta { color: #555; font-size: 0.9em; }
h2 { border-bottom: 2px solid #ddd; padding-bottom: 0.2em; margin-top: 2em; }
"""

HOW_TO_READ = """
<p>Every scenario ran the same Monte Carlo runs: run <i>i</i> of a variant has the same random seed and the same
parameter set drawn from the calibrated posterior as run <i>i</i> of the baseline (common random numbers). The
variants act from 2021, so 2016–2020 is identical in both. A <b>difference</b> is taken run by run, variant minus
baseline, on the plans' own measure: flows (sales, supply, land, investment, subsidies granted…) summed over
2021–2025, stocks and ratios (price, inventory, destocking cycle, per-capita area…) in 2025. The tables give the
median difference and its 90 % interval across runs [5th, 95th percentile]; an interval that excludes zero
(shaded) means the lever moves that indicator in nearly every run, not only on average. <b>ΔP</b> is the change in
the share of runs that meet a plan target, with a 90 % paired-bootstrap interval. The differences carry the
parameter uncertainty of the posterior and the model's own randomness; they do not carry the model's structural
error, which the calibration report (calibration/fitted/) describes.</p>
"""


def _num(v: float) -> str:
    if pd.isna(v):
        return "–"
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:,.3g}"


def _signed(v: float) -> str:
    return "–" if pd.isna(v) else ("+" if v > 0 else "") + _num(v).replace("-", "−")


def _points(share: float) -> str:
    """A change in a probability, in percentage points with a true minus sign: '−38 pt'."""
    return f"{100 * share:+.0f} pt".replace("-", "−")


def _interval(row) -> str:
    return f"{_signed(row.difference)} [{_signed(row.p5)}, {_signed(row.p95)}]"


def _shade(row) -> str:
    return "up" if row.p5 > 0 else "down" if row.p95 < 0 else ""


def _name(indicator: str) -> str:
    return f"{html.escape(CHINESE_NAMES[indicator])} <small>{html.escape(indicator)}</small>"


def _image(path: Path) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<img alt="{html.escape(path.stem)}" src="data:image/png;base64,{data}">'


def findings(table: pd.DataFrame, variants: list[str], city: str) -> str:
    """The report's opening: per variant, the key indicators and plan targets it moves in nearly every run (the
    90 % interval of the paired difference excludes zero), with the median change and the interval — computed
    from the comparison table, so it cannot go stale; a variant that moves none says so."""
    items = []
    for v in variants:
        rows = table[table.variant == v]
        ind = rows[(rows.kind == "indicator") & rows.indicator.isin(KEY_INDICATORS)]
        ind = ind[(ind.p5 > 0) | (ind.p95 < 0)]
        tgt = rows[(rows.kind == "target") & ((rows.p5 > 0) | (rows.p95 < 0))]
        moves = [f"{_name(r.indicator)} {_interval(r)} {html.escape(r.unit)} ({_signed(100 * r.relative)} %)"
                 for r in ind.itertuples()]
        moves += [f"P({_name(r.indicator)} {html.escape(r.period)} {html.escape(r.target)}) "
                  f"{_points(r.difference)} [{_points(r.p5)}, {_points(r.p95)}]" for r in tgt.itertuples()]
        name = f'<a href="#{html.escape(v)}">{html.escape(v.removeprefix(f"{city}_"))}</a>'
        what = "; ".join(moves) if moves else "moves no key indicator or plan target beyond the run-to-run spread"
        items.append(f"<li>{name}: {what}</li>")
    return f'<ul class="findings">{"".join(items)}</ul>'


def targets_table(table: pd.DataFrame, variants: list[str], city: str) -> str:
    tgt = table[table.kind == "target"]
    head = "".join(f"<th>{html.escape(v.removeprefix(f'{city}_'))}</th>" for v in variants)
    rows = []
    first = tgt[tgt.variant == variants[0]]
    for r in first.itertuples():
        key = (tgt.indicator == r.indicator) & (tgt.period == r.period) & (tgt.scope == r.scope)
        cells = []
        for v in variants:
            c = tgt[key & (tgt.variant == v)].iloc[0]
            shade = "up" if c.p5 > 0 else "down" if c.p95 < 0 else ""
            cells.append(f'<td class="{shade}">{c.difference:+.0%} [{c.p5:+.0%}, {c.p95:+.0%}]</td>')
        scope = "" if r.scope == "city" else " (every district)"
        rows.append(f'<tr><td class="name">{_name(r.indicator)}{scope}</td><td>{html.escape(r.period)}</td>'
                    f"<td>{html.escape(r.target)} {html.escape(r.unit)}</td><td>{r.baseline:.0%}</td>"
                    + "".join(cells) + "</tr>")
    return ('<table><tr><th class="name">plan target</th><th>period</th><th>target</th><th>P(meet) baseline</th>'
            f"{head}</tr>{''.join(rows)}</table>")


def variant_table(table: pd.DataFrame, variant: str) -> str:
    ind = table[(table.kind == "indicator") & (table.variant == variant)]
    ind = ind.set_index("indicator").reindex(KEY_INDICATORS).reset_index()
    rows = [f'<tr><td class="name">{_name(r.indicator)}</td><td>{html.escape(r.period)}</td>'
            f"<td>{html.escape(r.unit)}</td><td>{_num(r.baseline)}</td><td>{_num(r.variant_value)}</td>"
            f'<td class="{_shade(r)}">{_interval(r)}</td><td>{_signed(100 * r.relative)} %</td></tr>'
            for r in ind.itertuples()]
    return ('<table><tr><th class="name">indicator</th><th>measure</th><th>unit</th><th>baseline median</th>'
            "<th>variant median</th><th>paired difference [90 %]</th><th>relative</th></tr>"
            f"{''.join(rows)}</table>")


def write_report(out: Path, baseline: Scenario, variant_scenarios: list[Scenario], table: pd.DataFrame, *,
                 scale: int, root_seed: int, params_label: str) -> Path:
    """``out``/report.html from the comparison table and the charts in ``out``."""
    variants = [v.name for v in variant_scenarios]
    runs = int(table.runs.max())
    contents = "".join(f'<li><a href="#{html.escape(v)}">{html.escape(v)}</a></li>' for v in variants)
    parts = [f"<h1>Policy scenarios compared: {html.escape(baseline.name)}</h1>",
             f'<p class="meta">{len(variants)} variants against the baseline, {runs} paired runs each at scale '
             f"{scale} (one model household per {scale}), root seed {root_seed}, parameters: "
             f"{html.escape(params_label)}. Made {datetime.now():%Y-%m-%d %H:%M}.</p>",
             '<h2 id="findings">Findings</h2>',
             "<p>What each variant changes in nearly every run: the median paired difference (variant − baseline) "
             "and its 90 % interval, for the key indicators and the plan targets' chance of being met.</p>",
             findings(table, variants, baseline.city),
             '<h2>Contents</h2><ul><li><a href="#how-to-read">How to read this report</a></li>'
             '<li><a href="#levers">Which levers move which indicators</a></li>'
             f'<li><a href="#targets">Plan targets (ΔP)</a></li>{contents}</ul>',
             '<h2 id="how-to-read">How to read this report</h2>', HOW_TO_READ,
             f"<p><b>Baseline</b> {html.escape(baseline.name)}: {html.escape(baseline.params.scenario.description)}"
             "</p>",
             '<h2 id="levers">Which levers move which indicators</h2>',
             "<p>Median change of each indicator's 2021–2025 measure, relative to the baseline median "
             "(* = the 90 % interval of the paired difference excludes zero).</p>", _image(out / "levers.png"),
             '<h2 id="targets">Plan targets: change in the probability of meeting them (ΔP)</h2>',
             targets_table(table, variants, baseline.city)]
    for v in variant_scenarios:
        parts += [f'<h2 id="{html.escape(v.name)}">{html.escape(v.name)}</h2>',
                  f"<p>{html.escape(v.purpose)}</p>",
                  f'<p class="meta">{"file " + html.escape(v.path.name) if v.path.is_file() else "made in code"}; '
                  f"acts from {v.from_year or 2016}</p>",
                  variant_table(table, v.name), _image(out / f"differences_{v.name}.png")]
    body = "\n".join(parts)
    text_for_font = "".join(ch for ch in html.unescape(body) if ord(ch) > 0x2E7F) + "".join(CHINESE_NAMES.values())
    page = (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{html.escape(baseline.name)} — scenario comparison</title>"
            f"<style>{font_face_css(text_for_font)}\n{STYLE}</style></head>\n<body>\n{body}\n</body></html>\n")
    path = out / "report.html"
    atomic_write(path, lambda tmp: tmp.write_text(page, encoding="utf-8"))
    return path
