"""The parameter reference (``docs/parameters.md``) is generated from the schema and the plan scenarios, and the
committed page is current: a key, description, unit, range, value or source changed without regenerating it fails."""
from __future__ import annotations

import sys

from sim.config.schema import DISTRICT, PROFILE, SCENARIO

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from parameter_reference import OUT, reference  # noqa: E402


def test_the_committed_reference_is_current():
    assert OUT.read_text(encoding="utf-8") == reference(), (
        "docs/parameters.md is not current: run python scripts/parameter_reference.py")


def test_every_key_has_a_row_with_its_description():
    text = reference()
    for specs in (*SCENARIO.values(), *PROFILE.values()):
        for key, spec in specs.items():
            assert f"| `{key}` | {spec.description.replace('|', chr(92) + '|')} |" in text, key
    assert all(f"`{k}`" in text for k in DISTRICT if k != "name")
