"""A Monte Carlo batch as one self-contained page (``report.html``): the plan scorecard, the fan charts and the
manifest's provenance, for a reader who opens the folder in a browser rather than pandas."""
from __future__ import annotations

import html
import json
from pathlib import Path

import pandas as pd

from ..formats import number, probability
from ..html_page import image, indicator_name, write_page

SCOPES = {"city": "", "each_district": "<br><small>every district</small>"}
LIKELY, UNLIKELY = 0.9, 0.1   # P(meet) at or beyond which the headline counts a target as likely / unlikely met
PROVENANCE = [("scenario", "scenario"), ("scenario_hash", "scenario hash (SHA-256 of the resolved scenario)"),
              ("params", "parameters"), ("params_hash", "parameter draws' hash"), ("root_seed", "root seed"),
              ("scale", "scale (households per model row)"), ("runs_done", "runs finished"),
              ("failures", "runs failed"), ("code_digest", "model code digest"), ("git_commit", "git commit"),
              ("started", "started (UTC)"), ("finished", "finished (UTC)")]


def _probability_cell(p: float) -> str:
    """P(meet) with a bar behind it whose length is the probability."""
    width = 0 if pd.isna(p) else round(100 * p)
    return (f'<td style="background: linear-gradient(to right, rgba(44, 160, 44, 0.35) {width}%, '
            f'transparent {width}%)">{probability(p)}</td>')


def scorecard_table(card: pd.DataFrame) -> str:
    rows = [f'<tr><td class="name">{indicator_name(r.indicator)}{SCOPES.get(r.scope, "")}</td>'
            f"<td>{html.escape(str(r.period))}</td><td>{html.escape(str(r.target))} {html.escape(r.unit)}</td>"
            f"<td>{number(r.median)}</td><td>{number(r.p5)} – {number(r.p95)}</td>{_probability_cell(r.probability)}"
            "</tr>" for r in card.itertuples()]
    return ('<table><tr><th class="name">plan target</th><th>period</th><th>target</th><th>median</th>'
            f"<th>90 % band</th><th>P(meet)</th></tr>{''.join(rows)}</table>")


def headline(card: pd.DataFrame) -> str:
    """One sentence: how many plan targets are likely, a toss-up or unlikely to be met."""
    likely = int((card.probability >= LIKELY).sum())
    unlikely = int((card.probability <= UNLIKELY).sum())
    middle = len(card) - likely - unlikely
    return (f"<p>Of {len(card)} plan targets the model can measure, {likely} are met in at least "
            f"{probability(LIKELY)} of runs, {unlikely} in at most {probability(UNLIKELY)}, and {middle} lie "
            "between.</p>")


def provenance_table(manifest: dict) -> str:
    rows = [f'<tr><td class="name">{label}</td><td class="name">{html.escape(str(manifest[key]))}</td></tr>'
            for key, label in PROVENANCE if key in manifest]
    versions = manifest.get("versions") or {}
    if versions:
        text = ", ".join(f"{k} {v}" for k, v in versions.items())
        rows.append(f'<tr><td class="name">library versions</td><td class="name">{html.escape(text)}</td></tr>')
    return f"<table>{''.join(rows)}</table>"


def write_report(out: Path, name: str, card: pd.DataFrame, title: str) -> Path:
    """``out``/report.html from the scorecard, ``out``/fan_charts.png and ``out``/manifest.json."""
    manifest_path = out / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    parts = [f"<h1>Monte Carlo projection: {html.escape(name)}</h1>", f'<p class="meta">{html.escape(title)}</p>',
             '<h2 id="scorecard">Plan targets</h2>', headline(card),
             "<p>Each target as the plan states it, the projection's median and 90 % band across runs (a flow summed "
             "over its period, a stock in its year) and the share of runs that meet it. The bands carry the "
             "parameter draws' uncertainty and the model's randomness, not its structural error.</p>",
             scorecard_table(card),
             '<h2 id="fan-charts">Indicators by year</h2>', image(out / "fan_charts.png"),
             '<h2 id="provenance">Provenance</h2>',
             "<p>What reproduces this batch (from <code>manifest.json</code>; the runs' own files are in "
             "<code>runs/</code>, every value in <code>runs.parquet</code>, <code>summary.csv</code> and "
             "<code>scorecard.csv</code>).</p>", provenance_table(manifest)]
    return write_page(out / "report.html", f"{name} — Monte Carlo projection", "\n".join(parts))
