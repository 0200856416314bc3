"""The uncalibrated default is plausible: annual sales area, average price and inventory within a factor of
2 of the plans' figures (Anshan 2016–2019, Panzhihua 2016–2020). Reproduce with calibration/plausibility.py."""
from __future__ import annotations

import pytest

from calibration.plausibility import comparison


@pytest.mark.parametrize("city", ["panzhihua", "anshan"])
def test_within_factor_two(scenarios, city):
    table = comparison(scenarios[city], seed=0, scale=20)
    assert {"sales_area", "avg_price", "inventory_area"} <= set(table.indicator)
    assert len(table) >= 6
    bad = table[(table.ratio > 2) | (table.ratio < 0.5)]
    assert bad.empty, bad.to_string()
