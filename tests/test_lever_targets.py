"""Every variant of the scenario library moves an indicator it targets, the way it intends (issue 19), in the
committed comparisons — or the README explains why the plan's rule cannot bind there.

``outputs/comparison_<city>/lever_targets.csv`` is written by ``python scripts/lever_targets.py
outputs/comparison_<city> --mean --write`` from the comparison's runs: per variant and targeted indicator, the
mean paired change with its 90 % t interval. These tests check that the table belongs to the committed
comparison (same medians), covers every variant of the library, and that each variant moves at least one target.
"""
from __future__ import annotations

import pandas as pd
import pytest

from scripts.lever_targets import TARGETS, moved

from .conftest import ROOT

# variants that move none of their targets, with the README passage that says why (asserted to be there)
EXPLAINED: dict[str, str] = {
    # the throttle cuts land after long cycles and adds it after short ones; over 2021–2025 the two cancel
    "panzhihua_land_fixed": "Panzhihua's throttle too binds both ways over the five years",
}


def _tables(city: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    folder = ROOT / "outputs" / f"comparison_{city}"
    return (pd.read_csv(folder / "lever_targets.csv"),
            pd.read_csv(folder / "comparison.csv", encoding="utf-8-sig"))


@pytest.mark.parametrize("city", ["panzhihua", "anshan"])
def test_the_table_belongs_to_the_committed_comparison(city):
    targets, comparison = _tables(city)
    indicators = comparison[(comparison.kind == "indicator") & (comparison.scope == "city")]
    merged = targets.merge(indicators, on=["variant", "indicator"], suffixes=("", "_comparison"))
    assert len(merged) == len(targets)
    assert (merged["median change"] - merged["difference"]).abs().max() < 1e-6 * (1 + merged["difference"].abs().max())
    library = {p.stem for p in (ROOT / "scenarios").glob(f"{city}_*.toml")} - {f"{city}_plan", f"{city}_as_happened"}
    assert set(targets.variant) == library, "every variant of the library has targets in scripts/lever_targets.py"
    assert {v.removeprefix(f"{city}_") for v in library} <= set(TARGETS)


@pytest.mark.parametrize("city", ["panzhihua", "anshan"])
def test_every_variant_moves_a_target_or_the_readme_says_why(city):
    targets, _ = _tables(city)
    recomputed = [moved(r["mean low"], r["mean high"], r.sign) for _, r in targets.iterrows()]
    assert recomputed == targets["moved (mean)"].tolist()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for variant, rows in targets.groupby("variant"):
        if rows["moved (mean)"].any():
            continue
        assert variant in EXPLAINED, f"{variant} moves none of {list(rows.indicator)} and the README does not say why"
        assert EXPLAINED[variant] in readme
