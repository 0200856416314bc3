"""One finished run on disk: ``runs/run-00017.parquet``, stamped with the batch it belongs to.

Each file carries, in its Parquet metadata, the digest of its batch's identity (scenario, parameters, seed,
scale, code) and its own run number and seed. A resumed batch trusts a file only if it reads and carries the
right stamp; anything else (cut short, from another batch, renamed) is recomputed.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..output import atomic_write

STAMP = b"housing_abm.batch"


def run_path(runs_dir: Path, run: int) -> Path:
    return runs_dir / f"run-{run:05d}.parquet"


def run_number(path: Path) -> int | None:
    """The run a file name claims (``run-00017.parquet`` → 17), None for any other name."""
    stem = path.name.removesuffix(".parquet")
    prefix, _, number = stem.partition("-")
    return int(number) if prefix == "run" and number.isdigit() and path.name.endswith(".parquet") else None


def write_run(path: Path, table: pd.DataFrame, batch_digest: str, run: int, seed: int) -> None:
    """Write one run's table atomically with its stamp."""
    arrow = pa.Table.from_pandas(table, preserve_index=False)
    stamp = f"{batch_digest}:{run}:{seed}".encode()
    arrow = arrow.replace_schema_metadata({**(arrow.schema.metadata or {}), STAMP: stamp})
    atomic_write(path, lambda tmp: pq.write_table(arrow, tmp))


def problem(path: Path, batch_digest: str, run: int, seed: int) -> str | None:
    """Why ``path`` cannot be trusted as run ``run`` of the batch (None: it can)."""
    try:
        meta = pq.read_metadata(path)
    except (OSError, pa.ArrowException) as exc:
        return f"unreadable ({type(exc).__name__})"
    stamp = (meta.metadata or {}).get(STAMP)
    if stamp is None:
        return "carries no batch stamp"
    if stamp.decode() != f"{batch_digest}:{run}:{seed}":
        return "belongs to another batch or run"
    if meta.num_rows == 0:
        return "holds no rows"
    return None
