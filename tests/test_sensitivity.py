"""Sensitivity analysis: SALib Morris and Sobol on the model, end to end, on a tiny budget."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from calibration.priors import load_priors
from calibration.sensitivity import problem, ranking, sensitivity, to_values
from sim.montecarlo.executor import make_executor


def test_log_priors_are_sampled_on_a_log_scale():
    priors = load_priors("panzhihua")
    prob = problem(priors)
    x = np.array([[b[0] for b in prob["bounds"]], [b[1] for b in prob["bounds"]]])
    values = to_values(priors, x)
    assert values[0] == pytest.approx([p.lo for p in priors])
    assert values[1] == pytest.approx([p.hi for p in priors])


def test_morris_and_sobol_end_to_end(scenarios, tmp_path):
    priors = load_priors("anshan")[:3]
    with make_executor(2) as ex:
        morris, sobol = sensitivity(scenarios["anshan"], priors, ex, trajectories=2, sobol_n=4, top=2, scale=200,
                                    seed=1, out_dir=tmp_path)
    assert set(morris.parameter) == {p.key for p in priors}
    assert {"sales_area:2016", "avg_price:2025"} <= set(morris.output)
    assert (morris.mu_star >= 0).all()
    # first-home demand moves sales: its elementary effect on 2017 sales is not zero
    tst = morris[(morris.parameter == "demand.first_home_hazard") & (morris.output == "sales_area:2017")]
    assert float(tst.mu_star.iloc[0]) > 0
    assert set(sobol.parameter) == set(ranking(morris).index[:2])
    assert {"S1", "ST"} <= set(sobol.columns)
    for name in ("morris.csv", "sobol.csv", "sensitivity.png"):
        assert (tmp_path / name).stat().st_size > 0
    assert len(pd.read_csv(tmp_path / "morris.csv")) == len(morris)
