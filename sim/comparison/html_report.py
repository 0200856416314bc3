"""The comparison as one self-contained HTML page: tables, charts (embedded PNG) and the CJK glyphs it uses
(embedded font subset), readable offline in any browser."""
from __future__ import annotations

import html
from datetime import datetime
from pathlib import Path

import pandas as pd

from ..config.loader import Scenario
from ..formats import display_unit, in_unit, points, probability, relative
from ..html_page import breakable, image, indicator_name, shade, write_page
from .charts import HEATMAP_LIMIT, KEY_INDICATORS
from .paired import unchanged

UNCHANGED = ("unchanged: zero paired difference in at least 90 % of runs on every key indicator and plan "
             "target")
DELTA_P_LIMIT = 0.5   # a change of 50 percentage points in P(meet) is coloured at full strength

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


def _interval(row) -> str:
    """Median paired difference and its 90 % interval, in the indicator's display unit."""
    return (f"{in_unit(row.difference, row.unit, True)} [{in_unit(row.p5, row.unit, True)}, "
            f"{in_unit(row.p95, row.unit, True)}] {html.escape(display_unit(row.unit, True))}")


def _short(variant: str, city: str) -> str:
    return variant.removeprefix(f"{city}_")


def _moves(row) -> bool:
    return bool(row.p5 > 0 or row.p95 < 0)


def _significant(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[(rows.p5 > 0) | (rows.p95 < 0)]


def findings(table: pd.DataFrame, variants: list[str], city: str) -> str:
    """The report's opening: per variant, what it moves in nearly every run (the 90 % interval of the paired
    difference excludes zero) — the key indicators, the plan targets' chances, then in one line every other
    indicator — with the median change and the interval. Computed from the comparison table, so it cannot go
    stale; a variant that moves none says so."""
    items = []
    for v in variants:
        rows = table[table.variant == v]
        indicators = rows[rows.kind == "indicator"]
        key = _significant(indicators[indicators.indicator.isin(KEY_INDICATORS)])
        other = _significant(indicators[~indicators.indicator.isin(KEY_INDICATORS)])
        tgt = _significant(rows[rows.kind == "target"])
        moves = [f"{indicator_name(r.indicator)} {_interval(r)} ({relative(r.relative)})" for r in key.itertuples()]
        moves += [f"P({indicator_name(r.indicator)} {html.escape(r.period)} {html.escape(r.target)}) "
                  f"{points(r.difference)} [{points(r.p5)}, {points(r.p95)}]" for r in tgt.itertuples()]
        if len(other):
            moves.append('<span class="meta">also: ' + "; ".join(
                f"{indicator_name(r.indicator)} {_interval(r)}" for r in other.itertuples()) + "</span>")
        name = f'<a href="#{html.escape(v)}">{html.escape(_short(v, city))}</a>'
        if unchanged(table, v, KEY_INDICATORS) and not len(other):
            what = UNCHANGED
        else:
            what = ("".join(["<ul>", *(f"<li>{m}</li>" for m in moves), "</ul>"]) if moves
                    else "moves no indicator or plan target beyond the run-to-run spread")
        items.append(f"<li>{name}: {what}</li>")
    return f'<ul class="findings">{"".join(items)}</ul>'


def targets_table(table: pd.DataFrame, variants: list[str], city: str) -> str:
    """Plan targets × variants: ΔP (percentage points) over its 90 % interval, two lines to a cell so that the
    table fits a laptop screen; coloured only where the interval excludes zero."""
    tgt = table[table.kind == "target"]
    head = "".join(f"<th>{breakable(_short(v, city))}</th>" for v in variants)
    rows = []
    for r in tgt[tgt.variant == variants[0]].itertuples():
        key = (tgt.indicator == r.indicator) & (tgt.period == r.period) & (tgt.scope == r.scope)
        cells = []
        for v in variants:
            c = tgt[key & (tgt.variant == v)].iloc[0]
            cells.append(f"<td{shade(c.p5, c.p95, c.difference / DELTA_P_LIMIT)}>{points(c.difference)}<br>"
                         f"<small>{points(c.p5).removesuffix(' pt')}…{points(c.p95).removesuffix(' pt')}</small></td>")
        scope = "" if r.scope == "city" else "<br><small>every district</small>"
        rows.append(f'<tr><td class="name">{indicator_name(r.indicator)}{scope}</td>'
                    f'<td class="nowrap">{html.escape(r.period)}</td>'
                    f"<td>{html.escape(r.target)}<br><small>{html.escape(r.unit)}</small></td>"
                    f"<td>{probability(r.baseline)}</td>"
                    + "".join(cells) + "</tr>")
    return ('<table><tr><th class="name">plan target</th><th>period</th><th>target</th><th>P(meet) baseline</th>'
            f"{head}</tr>{''.join(rows)}</table>")


def variant_table(table: pd.DataFrame, variant: str) -> str:
    ind = table[(table.kind == "indicator") & (table.variant == variant)]
    ind = ind.set_index("indicator").reindex(KEY_INDICATORS).reset_index()
    rows = [f'<tr><td class="name">{indicator_name(r.indicator)}</td><td>{html.escape(r.period)}</td>'
            f"<td>{html.escape(display_unit(r.unit))}</td><td>{in_unit(r.baseline, r.unit)}</td>"
            f"<td>{in_unit(r.variant_value, r.unit)}</td>"
            f"<td{shade(r.p5, r.p95, r.relative / HEATMAP_LIMIT)}>{_interval(r)}</td>"
            f"<td>{relative(r.relative)}</td></tr>"
            for r in ind.itertuples()]
    return ('<table><tr><th class="name">indicator</th><th>measure</th><th>unit</th><th>baseline median</th>'
            "<th>variant median</th><th>paired difference [90 %]</th><th>relative</th></tr>"
            f"{''.join(rows)}</table>")


def write_report(out: Path, baseline: Scenario, variant_scenarios: list[Scenario], table: pd.DataFrame, *,
                 scale: int, root_seed: int, params_label: str) -> Path:
    """``out``/report.html from the comparison table and the charts in ``out`` (a variant identical to the
    baseline has no chart; its section says so)."""
    variants = [v.name for v in variant_scenarios]
    city = baseline.city
    runs = int(table.runs.max())
    contents = "".join(f'<li><a href="#{html.escape(v)}">{html.escape(_short(v, city))}</a></li>' for v in variants)
    parts = [f"<h1>Policy scenarios compared: {html.escape(baseline.name)}</h1>",
             f'<p class="meta">{len(variants)} variants against the baseline, {runs} paired runs each at scale '
             f"{scale} (one model household per {scale}), root seed {root_seed}, parameters: "
             f"{html.escape(params_label)}. Made {datetime.now():%Y-%m-%d %H:%M}.</p>",
             '<h2 id="findings">Findings</h2>',
             "<p>What each variant changes in nearly every run: the median paired difference (variant − baseline) "
             "and its 90 % interval, for the key indicators and the plan targets' chance of being met, then (grey) "
             "every other indicator it moves.</p>",
             findings(table, variants, city),
             '<h2 id="contents">Contents</h2><nav><ul><li><a href="#how-to-read">How to read this report</a></li>'
             '<li><a href="#levers">Which levers move which indicators</a></li>'
             f'<li><a href="#targets">Plan targets (ΔP)</a></li>{contents}</ul></nav>',
             '<h2 id="how-to-read">How to read this report</h2>', HOW_TO_READ,
             f"<p><b>Baseline</b> {html.escape(baseline.name)}: {html.escape(baseline.params.scenario.description)}"
             "</p>",
             '<h2 id="levers">Which levers move which indicators</h2>',
             "<p>Median change of each indicator's 2021–2025 measure, relative to the baseline median; coloured only "
             "where the 90 % interval of the paired difference excludes zero (marked *).</p>",
             image(out / "levers.png"),
             '<h2 id="targets">Plan targets: change in the probability of meeting them (ΔP)</h2>',
             "<p>Each cell: the change in P(meet) in percentage points, and below it its 90 % interval; coloured "
             "only where the interval excludes zero.</p>",
             targets_table(table, variants, city)]
    for v in variant_scenarios:
        chart = out / f"differences_{v.name}.png"
        parts += [f'<h2 id="{html.escape(v.name)}">{html.escape(v.name)}</h2>',
                  f"<p>{html.escape(v.purpose)}</p>",
                  f'<p class="meta">{"file " + html.escape(v.path.name) if v.path.is_file() else "made in code"}; '
                  f"acts from {v.from_year or 2016}</p>"]
        if unchanged(table, v.name, KEY_INDICATORS):
            parts.append(f"<p><b>{UNCHANGED.capitalize()}</b>: the lever does not bind in this model and city "
                         "(no table or chart).</p>")
        else:
            parts.append(variant_table(table, v.name))
            if chart.exists():
                parts.append(image(chart))
    return write_page(out / "report.html", f"{baseline.name} — scenario comparison", "\n".join(parts))
