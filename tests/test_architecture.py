"""The shape of the code: layers point one way and no sibling imports another that imports it back
(import-linter contracts in pyproject.toml); the scenario stays small and read-only when a model runs."""
from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from sim.config.loader import ScenarioError
from sim.model import HousingMarketModel

from .conftest import ROOT


def test_import_contracts_are_kept():
    lint = Path(sys.executable).parent / "lint-imports"
    proc = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "2 kept, 0 broken" in proc.stdout


def test_a_scenario_stays_small_after_a_model_ran_on_it(scenarios):
    """Mesa's ``Model.scenario`` is Mesa's own: the model keeps the plan scenario in its state, so a scenario
    shipped to a worker after a model was built does not carry the model with it."""
    scenario = scenarios["panzhihua"]
    before = len(pickle.dumps(scenario))
    model = HousingMarketModel(scenario, seed=1, scale=200)
    for _ in range(3):
        model.step()
    after = len(pickle.dumps(scenario))
    assert after == before and after < 100_000
    assert model.state.scenario is scenario and model.scenario is not scenario


def test_parameters_are_read_only(scenarios):
    p = scenarios["anshan"].params
    with pytest.raises(TypeError, match="read-only"):
        p.credit["mortgage_term"] = 10
    with pytest.raises(TypeError):
        p.credit.update(mortgage_term=10)
    with pytest.raises(AttributeError):
        scenarios["anshan"].params = p          # the scenario itself is frozen
    changed = scenarios["anshan"].with_overrides({"credit.mortgage_term": 10})
    assert changed.params.credit.mortgage_term == 10 and p.credit.mortgage_term != 10


def test_variant_made_in_code_acts_from_its_year(scenarios):
    base = scenarios["panzhihua"]
    v = base.variant("pz_dp15", "first-home down payment 15 % from 2021", {"credit.down_payment_first": 0.15})
    assert v.params_at(2020).credit.down_payment_first == base.params.credit.down_payment_first
    assert v.params_at(2021).credit.down_payment_first == [0.15] * 10
    assert v.name == "pz_dp15" and v.purpose == "first-home down payment 15 % from 2021"
    with pytest.raises(ScenarioError, match="set up"):
        base.variant("pz_more_developers", "x", {"developers.count": 30})
    with pytest.raises(ScenarioError, match="out of range"):
        base.variant("pz_bad", "x", {"credit.down_payment_first": 1.5})
