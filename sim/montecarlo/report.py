"""A batch's outputs: runs.parquet, summary.csv, scorecard.csv, their memo-ready workbooks summary.xlsx and
scorecard.xlsx (``sim.memo``), fan_charts.png and report.html, the page that shows them (all written atomically;
CSVs with a byte-order mark for Excel).

They are computed from the run files streamed into an on-disk matrix (``RunMatrix``), and ``runs.parquet`` is
written a few hundred runs at a time, so a batch of any size is summarised in bounded memory.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..formats import number, probability
from ..memo import memo_scorecard, memo_summary, write_workbook
from ..observed import targets
from ..output import atomic_write, write_csv
from .batch import RUN_COLUMNS, Batch
from .fanchart import fan_charts
from .html_report import write_report
from .run_matrix import RunMatrix
from .scorecard import scorecard
from .summary import summarise

RUNS_PER_ROW_GROUP = 256


def write_combined(files: list[Path], path: Path) -> None:
    """``runs.parquet``: every run file's rows in run order, appended a row group at a time."""
    def write(tmp: Path) -> None:
        writer = None
        for start in range(0, max(len(files), 1), RUNS_PER_ROW_GROUP):
            chunk = files[start:start + RUNS_PER_ROW_GROUP]
            frame = (pd.concat([pd.read_parquet(f) for f in chunk], ignore_index=True) if chunk
                     else pd.DataFrame(columns=RUN_COLUMNS))
            table = pa.Table.from_pandas(frame[RUN_COLUMNS], preserve_index=False).replace_schema_metadata(None)
            writer = writer or pq.ParquetWriter(tmp, table.schema)
            writer.write_table(table)
        writer.close()
    atomic_write(path, write)


def write_outputs(batch: Batch) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Write the batch's combined outputs from every finished run; returns (summary, scorecard)."""
    out = batch.out_dir
    files = [batch.run_path(r) for r in sorted(batch.done())]
    with tempfile.TemporaryDirectory(dir=out, prefix=".matrix-", suffix=".tmp") as tmp:
        matrix = RunMatrix.from_files(files, store=Path(tmp) / "values.npy")
        summary = summarise(matrix)
        card = scorecard(matrix, targets(batch.scenario.city))
        del matrix
    write_combined(files, out / "runs.parquet")
    write_csv(summary, out / "summary.csv")
    write_csv(card, out / "scorecard.csv")
    write_workbook({"目标 scorecard": memo_scorecard(card)}, out / "scorecard.xlsx")
    write_workbook({"汇总 summary": memo_summary(summary)}, out / "summary.xlsx")
    title = (f"{batch.scenario.name}: {len(files)} runs, scale {batch.scale}, root seed {batch.root_seed}")
    fan_charts(summary, targets(batch.scenario.city), batch.scenario.city, title, out / "fan_charts.png")
    write_report(out, batch.scenario.name, card, f"{title}; parameters: {batch.params.label}")
    return summary, card


def format_scorecard(card: pd.DataFrame) -> str:
    """The scorecard as a printed (Markdown) table."""
    rows = ["| target | period | scope | plan | unit | median | 90 % band | P(meet) |",
            "|---|---|---|---|---|---|---|---|"]
    for r in card.itertuples():
        rows.append(f"| {r.indicator} | {r.period} | {r.scope} | {r.target} | {r.unit} | {number(r.median)} | "
                    f"{number(r.p5)} – {number(r.p95)} | {probability(r.probability)} |")
    return "\n".join(rows)
