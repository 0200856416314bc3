"""A batch's outputs: runs.parquet, summary.csv, scorecard.csv, fan_charts.png (all written atomically)."""
from __future__ import annotations

import pandas as pd

from ..observed import targets
from ..output import atomic_write
from .batch import Batch
from .fanchart import fan_charts
from .scorecard import scorecard
from .summary import summarise


def write_outputs(batch: Batch) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Write the batch's combined outputs from every finished run; returns (summary, scorecard)."""
    runs = batch.results()
    out = batch.out_dir
    summary = summarise(runs)
    card = scorecard(runs, targets(batch.scenario.city))
    atomic_write(out / "runs.parquet", lambda tmp: runs.to_parquet(tmp, index=False))
    atomic_write(out / "summary.csv", lambda tmp: summary.to_csv(tmp, index=False))
    atomic_write(out / "scorecard.csv", lambda tmp: card.to_csv(tmp, index=False))
    title = (f"{batch.scenario.name}: {runs.run.nunique()} runs, scale {batch.scale}, root seed {batch.root_seed}")
    fan_charts(summary, targets(batch.scenario.city), batch.scenario.city, title, out / "fan_charts.png")
    return summary, card


def format_scorecard(card: pd.DataFrame) -> str:
    """The scorecard as a printed (Markdown) table."""
    rows = ["| target | period | scope | plan | unit | median | 90 % band | P(meet) |",
            "|---|---|---|---|---|---|---|---|"]
    for r in card.itertuples():
        rows.append(f"| {r.indicator} | {r.period} | {r.scope} | {r.target} | {r.unit} | {r.median:,.4g} | "
                    f"{r.p5:,.4g} – {r.p95:,.4g} | {r.probability:.0%} |")
    return "\n".join(rows)
