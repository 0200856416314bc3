"""Every figure taken from the plans is checked against the seed text; derived figures carry a formula."""
from __future__ import annotations

import math

import pytest

from sim.observed import observed, targets

from .conftest import SEEDS

SEED_FILES = {"000_0a83697702e5ab73.txt", "002_5b85df85041351ca.txt"}


def seed_text(source: str) -> str:
    name = source.split()[0]
    assert name in SEED_FILES, f"source must start with a seed file name: {source!r}"
    path = SEEDS / name
    if not path.exists():
        pytest.skip(f"seed file {path} not present")
    return path.read_text(encoding="utf-8")


def renderings(value: float) -> set[str]:
    """Ways the plans write a number: as is, as a percentage or per-mille, in 万 units."""
    out = set()
    for v in (value, value * 100, value * 1000, value / 1e4):
        for digits in range(0, 4):
            out.add(f"{round(v, digits):.{digits}f}")
        if float(v).is_integer():
            out.add(str(int(v)))
    return out


def test_columns_and_units():
    df = observed()
    assert list(df.columns) == ["city", "district", "indicator", "start_year", "year", "relation", "value", "unit",
                                "source", "quote", "derived"]
    assert set(df.city) == {"panzhihua", "anshan"}
    assert df.value.notna().all() and (df.unit != "").all() and (df.start_year <= df.year).all()


def test_quoted_figures_are_in_the_seed_text():
    df = observed()
    direct = df[df.derived == ""]
    assert len(direct) > 80
    for row in direct.itertuples():
        text = seed_text(row.source)
        assert row.quote in text, f"{row.indicator} {row.year}: quote {row.quote!r} not in {row.source}"
        assert any(r in row.quote for r in renderings(row.value)), (
            f"{row.indicator} {row.year}: value {row.value} not found in quote {row.quote!r}")


def test_derived_figures_state_their_formula_and_reproduce():
    df = observed()
    derived = df[df.derived != ""]
    assert len(derived) >= 10
    assert all(any(op in f for op in "/×−+") for f in derived.derived)
    pz = df[df.city == "panzhihua"].set_index(["indicator", "start_year", "year"]).value
    assert pz["investment", 2016, 2016] == pytest.approx(104 / 1.891, abs=0.05)
    assert pz["sales_area", 2017, 2017] == pytest.approx(135 / 1.406, abs=0.05)
    assert pz["sales_area", 2016, 2016] == pytest.approx(549 - 3 * 129 - 135 / 1.406, abs=0.05)
    assert pz["avg_price", 2016, 2016] == pytest.approx(6266 / 1.129 ** 4, abs=1)
    an = df[df.city == "anshan"].set_index(["indicator", "start_year", "year"]).value
    assert an["investment", 2015, 2015] == pytest.approx(149.6 / (1 - 0.274), abs=0.05)
    assert an["land_planned", 2015, 2015] == 150 + 122
    # Anshan's permits and yearly sales cover all commercial property: residential parts by the 2016–2019 shares
    assert an["supply_area", 2016, 2016] == pytest.approx(305.73 * 811.48 / (305.73 + 193.14 + 178 + 344.9), abs=0.01)
    assert an["sales_area", 2016, 2016] == pytest.approx(302.4 * 1076.6 / (302.4 + 339.9 + 288.6 + 242.7), abs=0.01)


def test_targets_are_quoted_from_the_seeds():
    df = targets()
    for row in df.itertuples():
        assert row.quote in seed_text(row.source), row
        assert row.relation in {">", ">=", "<=", "=", "between", "about"}
        assert (row.relation == "about") == (row.tolerance == row.tolerance)   # NaN unless "about"
        if row.relation == "between":
            assert row.upper > row.value
    assert not math.isnan(float(df[(df.city == "anshan") & (df.indicator == "supply_area")
                                   & (df.start_year == 2021) & (df.year == 2025)].value.iloc[0]))
