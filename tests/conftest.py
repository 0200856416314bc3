from __future__ import annotations

from pathlib import Path

import pytest

from sim.config.loader import load_scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = {"panzhihua": ROOT / "scenarios" / "panzhihua_plan.toml",
             "anshan": ROOT / "scenarios" / "anshan_plan.toml"}
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def scenarios():
    return {city: load_scenario(path) for city, path in SCENARIOS.items()}
