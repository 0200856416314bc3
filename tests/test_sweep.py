"""`run_sim.py sweep` (issue 21 part 4): a lever over values, each plan target's projection and P(meet) against it."""
from __future__ import annotations

import pandas as pd
import pytest

import run_sim
from sim import api
from sim.comparison.sweep import parse_lever


def test_a_lever_is_a_list_or_an_even_range_of_a_scenario_parameter():
    assert parse_lever("credit.down_payment_first=0.2,0.3") == ("credit.down_payment_first", [0.2, 0.3])
    assert parse_lever("credit.down_payment_first=0.2:0.4:3") == ("credit.down_payment_first", [0.2, 0.3, 0.4])
    assert parse_lever("rental_support.annual_quota*=0.5,2") == ("rental_support.annual_quota*", [0.5, 2.0])
    for bad, why in (("credit.down_payment_first", "KEY=V1"), ("credit.nonsense=1,2", "not a scenario parameter"),
                     ("credit.down_payment_first=a,b", "must be numbers"),
                     ("credit.down_payment_first=0.2:0.4:1", "must be numbers"),
                     ("credit.down_payment_first=0.2,0.2", "twice")):
        with pytest.raises(ValueError, match=why):
            parse_lever(bad)


@pytest.mark.parametrize("city", api.CITIES)
def test_sweep_writes_each_targets_projection_and_chance_against_a_credit_lever(city, tmp_path, capsys):
    out = tmp_path / "sweep"
    code = run_sim.main(["sweep", f"{city}_plan", "--set", "credit.max_payment_to_income=0.4,0.5,0.6",
                         "--set", "credit.down_payment_first=0.4", "--runs", "2", "--scale", "200",
                         "--params", "scenario", "--workers", "1", "--out", str(out)])
    assert code == 0
    assert (out / "sweep.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (out / "sweep.png").read_bytes().startswith(b"\x89PNG")
    table = pd.read_csv(out / "sweep.csv")
    modelled = int(api.plan_targets(city).modelled.sum())
    payment = table[table.lever == "credit.max_payment_to_income"]
    assert len(payment) == 4 * modelled                    # the scenario's own value and three swept values
    assert sorted(payment.value.unique()) == [0.4, 0.5, 0.6] and table.probability.between(0, 1).all()
    # the scenario's payment limit is 0.5: swept to the same value, it runs the same (common random numbers)
    own = payment[payment.baseline].reset_index(drop=True)
    same = payment[~payment.baseline & (payment.value == 0.5)].reset_index(drop=True)
    pd.testing.assert_frame_equal(own.drop(columns="baseline"), same.drop(columns="baseline"))
    # a per-year lever: the scenario sits at the mean of its 2021–2025 path (0.3 in 2021–2022, 0.2 from 2023)
    path = table[(table.lever == "credit.down_payment_first") & table.baseline]
    assert path.value.unique().tolist() == [pytest.approx(0.24)]
    printed = capsys.readouterr().out
    assert "P(meet) against credit.max_payment_to_income" in printed and "0.5 (scenario)" in printed
