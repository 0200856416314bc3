"""Column-wise tables and their per-district counts (sim/state/tables.py); constructed cases."""
from __future__ import annotations

import numpy as np
import pytest

from sim.state.tables import ColumnTable, count_by_district


@pytest.mark.parametrize("n", [1, 3])
def test_count_by_district_counts_the_rows_that_hold_in_each_district(n):
    rng = np.random.default_rng(0)
    district = rng.integers(0, n, 1000).astype(np.intp)
    rows = rng.random(1000) < 0.3
    counts = count_by_district(district, rows, n)
    assert counts.dtype == float and counts.shape == (n,)
    assert counts.tolist() == [float(np.sum(rows & (district == d))) for d in range(n)]


def test_kept_rows_keep_their_order_and_appended_rows_start_at_zero():
    table = ColumnTable({"x": float, "k": np.int16}, capacity=2)
    table.append(3, x=np.array([1.0, 2.0, 3.0]))
    table.keep(np.array([True, False, True]))
    rows = table.append(2, x=5.0)
    assert table.x.tolist() == [1.0, 3.0, 5.0, 5.0] and table.k.tolist() == [0, 0, 0, 0]
    assert rows.tolist() == [2, 3]
