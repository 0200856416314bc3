"""A batch's runs as one matrix: a row per run, a column per (city, district, year, indicator).

Every run of a batch has the same keys, so a batch of any size is a (runs × keys) array of float64 — about
6 KB a run for a two-district city — which can live on disk as a memory map (``from_files(store=...)``).
Summaries and the scorecard read it a few columns at a time, so memory stays bounded whatever the batch size.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

KEYS = ["city", "district", "year", "indicator"]


@dataclass
class RunMatrix:
    runs: np.ndarray        # run numbers, one per row of ``values``
    keys: pd.DataFrame      # one row per column of ``values``: city, district, year, indicator
    values: np.ndarray      # (runs, keys) float64; may be a numpy memmap

    @classmethod
    def from_long(cls, table: pd.DataFrame) -> RunMatrix:
        """From a long table (run, city, district, year, indicator, value); keys missing in a run are NaN."""
        if table.empty:
            return cls(np.array([], dtype=int), pd.DataFrame(columns=KEYS), np.empty((0, 0)))
        wide = table.set_index(["run", *KEYS])["value"].unstack(KEYS)
        keys = wide.columns.to_frame(index=False)[KEYS]
        return cls(wide.index.to_numpy(), keys, wide.to_numpy(dtype=float))

    @classmethod
    def from_files(cls, paths: Sequence[Path], store: Path | None = None) -> RunMatrix:
        """From run files (``sim.montecarlo.run_files``), read one at a time into an array, or into a memory
        map at ``store`` (a ``.npy`` file) so the batch never has to fit in memory."""
        if not paths:
            return cls.from_long(pd.DataFrame())
        first = pd.read_parquet(paths[0], columns=KEYS)
        keys = first.reset_index(drop=True)
        shape = (len(paths), len(keys))
        values = (np.lib.format.open_memmap(store, mode="w+", dtype=np.float64, shape=shape) if store is not None
                  else np.empty(shape))
        runs = np.empty(len(paths), dtype=int)
        for i, path in enumerate(paths):
            table = pd.read_parquet(path, columns=["run", *KEYS, "value"])
            if len(table) != len(keys) or not table[KEYS].equals(keys):
                table = keys.merge(table, on=KEYS, how="left")    # keys in another order (or missing)
                table["run"] = table["run"].dropna().iloc[0]
            runs[i] = int(table["run"].iloc[0])
            values[i] = table["value"].to_numpy(dtype=float)
        return cls(runs, keys, values)

    def columns(self, **match: object) -> np.ndarray:
        """Indices of the columns whose keys equal ``match`` (e.g. ``indicator="sales_area"``)."""
        mask = np.ones(len(self.keys), dtype=bool)
        for name, value in match.items():
            mask &= (self.keys[name] == value).to_numpy()
        return np.flatnonzero(mask)

    def long(self, columns: np.ndarray) -> pd.DataFrame:
        """The chosen columns as a long table (run, city, district, year, indicator, value), run-major."""
        block = np.asarray(self.values[:, columns])
        keys = self.keys.iloc[columns].reset_index(drop=True)
        out = pd.concat([keys] * len(self.runs), ignore_index=True)
        out.insert(0, "run", np.repeat(self.runs, len(columns)))
        out["value"] = block.reshape(-1)
        return out
