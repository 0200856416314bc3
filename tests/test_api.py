"""The library API (sim.api): installed with `pip install .`, it runs from any directory; sweeps need no files."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from sim import api

from .conftest import ROOT

OUTSIDE = """
import json, sys
import sim
from sim import api
run = api.simulate("anshan_plan", seed=1, scale=200)
table = run.table()
mc = api.monte_carlo("panzhihua_plan", runs=4, scale=200, workers=1, out="mc", progress=False)
print(json.dumps({"sim": sim.__file__, "years": list(map(int, table.index)), "sales_2016": table.sales_area[2016],
                  "runs": int(mc.runs.run.nunique()), "params": json.load(open("mc/manifest.json"))["params"],
                  "drawn": list(mc.runs.columns), "scorecard": len(mc.scorecard),
                  "shipped": len(api.scenarios())}))
"""


def test_installed_api_runs_from_another_directory(tmp_path):
    """`pip install .` (here into a target folder, dependencies from this environment): from a directory outside
    the repository the API runs a scenario into a DataFrame and a 4-run Monte Carlo with posterior draws."""
    site, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    elsewhere.mkdir()
    install = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site),
                              str(ROOT)], capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stderr[-3000:]
    env = {**os.environ, "PYTHONPATH": str(site)}
    proc = subprocess.run([sys.executable, "-c", OUTSIDE], cwd=elsewhere, env=env, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["sim"].startswith(str(site))                 # the installed copy, not the repository
    assert out["years"] == list(range(2016, 2026)) and out["sales_2016"] > 0
    assert out["runs"] == 4 and out["params"].startswith("posterior: calibration/fitted/panzhihua.csv")
    assert out["scorecard"] > 0 and out["shipped"] == len(list((ROOT / "scenarios").glob("*.toml")))
    drawn = pd.read_csv(elsewhere / "mc" / "params.csv")
    assert "demand.price_elasticity" in drawn.columns and drawn["demand.price_elasticity"].nunique() > 1


def test_simulate_matches_the_model_and_applies_overrides():
    base = api.simulate("panzhihua_plan", seed=2, scale=100)
    again = api.simulate(ROOT / "scenarios" / "panzhihua_plan.toml", seed=2, scale=100)
    pd.testing.assert_frame_equal(base.annual, again.annual)
    cheaper = api.simulate("panzhihua_plan", seed=2, scale=100, overrides={"credit.mortgage_rate": 0.02})
    assert cheaper.scenario.params.credit.mortgage_rate == [0.02] * 10
    assert not base.annual.value.equals(cheaper.annual.value)
    with pytest.raises(KeyError, match="no district"):
        base.table("nowhere")
    with pytest.raises(FileNotFoundError, match="shipped"):
        api.load("no_such_plan")


def test_monte_carlo_refuses_an_override_the_posterior_would_overwrite(tmp_path):
    with pytest.raises(ValueError, match="drawn run by run"):
        api.monte_carlo("panzhihua_plan", runs=2, scale=200, overrides={"demand.price_elasticity": 2.0},
                        out=tmp_path / "mc")
    assert not (tmp_path / "mc").exists()


def test_a_posterior_drawn_outside_the_current_prior_gives_way_to_the_scenario():
    """A prior narrowed after the fit: the posterior's values outside it are not used (the scenario's value is),
    with a warning naming the parameter; parameters inside their prior are kept."""
    from calibration.priors import Prior
    from sim.montecarlo.parameters import ParameterSource

    priors = [Prior("a.x", 0.0, 1.0, False, "", ""), Prior("a.y", 0.18, 0.28, False, "", "")]
    fitted = ParameterSource("posterior: f.csv", pd.DataFrame({"a.x": [0.2, 0.9], "a.y": [0.25, 0.4],
                                                               "weight": [0.5, 0.5]}))
    with pytest.warns(api.StalePosteriorWarning, match="a.y outside the current prior"):
        kept = api._without_stale_columns(fitted, priors, "panzhihua")
    assert kept.keys == ["a.x"] and kept.label.startswith("posterior")
    inside = ParameterSource("posterior: f.csv", fitted.table.assign(**{"a.y": [0.2, 0.25]}))
    assert api._without_stale_columns(inside, priors, "panzhihua") is inside


def test_sweep_compares_each_value_from_2021_on_common_random_numbers(tmp_path):
    result = api.sweep("panzhihua_plan", {"credit.down_payment_first": [0.15, 0.5]}, runs=2, scale=200,
                       params="scenario", workers=1, out=tmp_path / "sweep", progress=False)
    names = [v.name for v in result.variants]
    assert names == ["panzhihua_plan__credit_down_payment_first_0.15", "panzhihua_plan__credit_down_payment_first_0.5"]
    assert set(result.table.variant) == set(names) and result.report.exists()
    runs = {n: pd.read_parquet(tmp_path / "sweep" / "batches" / n / "runs" / "run-00000.parquet")
            for n in ["panzhihua_plan", *names]}
    history = {n: r[r.year <= 2020].value.to_numpy() for n, r in runs.items()}
    assert all(np.array_equal(h, history["panzhihua_plan"], equal_nan=True) for h in history.values())   # shared
    later = {n: r[r.year > 2020].value.to_numpy() for n, r in runs.items()}
    assert not np.array_equal(later[names[1]], later["panzhihua_plan"], equal_nan=True)
