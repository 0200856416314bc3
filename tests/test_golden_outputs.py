"""The golden-output test: refactors leave both plan scenarios' annual tables, a variant's and a small
Monte Carlo summary identical, bit for bit (checksums in ``golden_checksums.json``; see ``tests/golden.py``)."""
from __future__ import annotations

import json

import pytest

from . import golden

STORED = json.loads(golden.CHECKSUMS.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", golden.RUN_SCENARIOS)
def test_annual_table_unchanged(name):
    key = f"annual:{name}:seed{golden.SEED}:scale{golden.SCALE}"
    assert golden.digest(golden.annual_table(name)) == STORED[key], (
        f"{name}'s annual table changed; if on purpose, run `python -m tests.golden --update` and say why")


def test_monte_carlo_summary_unchanged():
    key = (f"mc_summary:{golden.MC_SCENARIO}:runs{golden.MC_RUNS}:root{golden.MC_ROOT_SEED}:scale{golden.SCALE}"
           ":posterior")
    assert golden.digest(golden.mc_summary()) == STORED[key]


def test_digest_sees_the_last_bit():
    import pandas as pd

    a = pd.DataFrame({"value": [0.1 + 0.2]})
    b = pd.DataFrame({"value": [0.3]})
    assert golden.digest(a) != golden.digest(b)
