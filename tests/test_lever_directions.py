"""Levers tested with a direction (issue 19): each lever, changed from 2021, moves the indicator it targets the
way the plans intend, on paired runs (common seeds, posterior parameter draws).

A case is (city, lever overrides, indicator, sign[, runs]): the mean over runs of the paired change in the
indicator's 2021–2023 measure (sum of a flow, mean of a stock) must have the sign, with its 90 % interval (a t
interval of the mean of the paired changes) excluding zero. The runs are few and small (``RUNS`` at scale
``SCALE``, more for a case whose effect comes in some runs only) to keep CI fast; the README's "What the policy
levers do" gives the library's credit variants on the committed comparisons (100 paired runs to 2025).

A lever that should act only when something else goes wrong (loose supervision when credit stops) is tested in
``SHOCK_CASES``: both runs of a pair carry the shock, one also the lever.

Rules that act in 2016–2020 (the calibration's years) are tested the same way in ``HISTORY_CASES``: both runs of
a pair set the parameter from 2016 (it is a free parameter of the posterior, so each side overrides the draw),
and the change is read in one year.
"""
from __future__ import annotations

from functools import cache

import pandas as pd
import pytest

from sim.comparison.paired import mean_interval
from sim.config.loader import Scenario, load_scenario
from sim.indicators import FLOW_INDICATORS
from sim.model import HousingMarketModel
from sim.montecarlo.parameters import ParameterSource
from sim.montecarlo.seeds import run_seed

from .conftest import ROOT, SCENARIOS

RUNS, SCALE, LAST_YEAR = 8, 50, 2023
YEARS = range(2021, LAST_YEAR + 1)
FREEZE = {"red_lines.developer_credit_freeze": [0, 0, 0, 0, 0, 1, 1, 0, 0, 0]}
LOOSE_SUPERVISION = {"escrow.supervised_multiple": 0.6, "escrow.red_line_supervised_multiple": 0.78,
                     "escrow.release_share": [0.5, 0.85, 1.0], "escrow.early_release_shift": 0.2}
CASES = [  # (id, city, overrides acting from 2021, indicator, intended sign[, paired runs, default RUNS])
    # doubled: with the savings of the posterior refitted when savings were freed (23–47 months of income in
    # Anshan, 10–46 in Panzhihua) ×1.5 binds for few households, −2.7万㎡ (−7.5 to +2.1) in 2021–2023 on 16 runs;
    # ×2 gives −10.8 (−15.7 to −5.8)
    ("down payment up: sales down", "panzhihua",
     {"credit.down_payment_first*": 2.0, "credit.down_payment_second*": 2.0}, "sales_area", -1),
    ("mortgage rate up: sales down", "panzhihua", {"credit.mortgage_rate*": 1.3}, "sales_area", -1),
    ("mortgage rate down: sales up", "anshan", {"credit.mortgage_rate*": 0.7}, "sales_area", +1),
    # more land offered is not always more land sold: developers bid only below their pipeline limit and within
    # their cash (sim.markets.land), so a larger plan acts through the land price, a smaller one through both
    ("land plan down: land supplied down", "panzhihua", {"land_supply.annual_plan*": 0.5}, "land_supplied", -1),
    ("land plan down: land dearer", "panzhihua", {"land_supply.annual_plan*": 0.5}, "land_price", +1),
    ("land plan up: land cheaper", "anshan", {"land_supply.annual_plan*": 1.5}, "land_price", -1),
    ("supervised amount up: escrow balance up", "panzhihua", {"escrow.supervised_multiple": 1.5},
     "escrow_balance", +1),
    # the group takes presale_sweep_share of what escrow does not hold, so more supervised money stays in the city
    # and builds there (000 三(一)4 '确保购房款优先用于项目建设'); before that rule this case read developer cash down
    ("supervised amount up: investment in the city up", "panzhihua", {"escrow.supervised_multiple": 1.5},
     "investment", +1),
    # issue 19 part 3: Anshan's quota of subsidised households binds below its budget
    ("subsidy quota up: subsidised households up", "anshan", {"rental_support.annual_quota*": 2.0},
     "subsidy_households", +1),
    # issue 19 part 4, developer liquidity: a credit freeze that stops lenders rolling short-term debt over puts
    # developers in arrears and their projects at risk. Distress comes in some runs only, so this case pairs more
    # runs: on 8, +0.9 new problem projects (−0.03 to +1.8) in Panzhihua, +0.5 (−0.2 to +1.2) in Anshan; on 24,
    # +0.9 (+0.5 to +1.3) and +1.3 (+0.6 to +1.9), in 11 and 10 runs, fewer in none
    ("credit frozen 2021-2022: new problem projects up", "panzhihua",
     FREEZE, "problem_projects_new", +1, 24),
]


@cache
def measures(city: str, overrides: tuple = (), runs: int = RUNS) -> pd.DataFrame:
    """Per run (the first ``runs`` posterior draws): the 2021–2023 measure of every indicator (flows summed,
    stocks averaged)."""
    base = load_scenario(SCENARIOS[city])
    posterior = ParameterSource.from_csv(ROOT / "calibration" / "fitted" / f"{city}.csv")
    rows = []
    for run in range(runs):
        scenario: Scenario = base.with_overrides(posterior.for_run(0, run))
        if overrides:
            scenario = scenario.variant("lever", "a lever changed from 2021",
                                        {k: list(v) if isinstance(v, tuple) else v for k, v in overrides})
        model = HousingMarketModel(scenario, seed=run_seed(0, run), scale=SCALE)
        model.run(until_year=LAST_YEAR)
        annual = model.annual_table()
        annual = annual[(annual.district == "all") & annual.year.isin(YEARS)]
        by_indicator = annual.groupby("indicator").value
        total, mean = by_indicator.sum(), by_indicator.mean()
        rows.append(total.where(total.index.isin(list(FLOW_INDICATORS)), mean).rename(run))
    return pd.DataFrame(rows)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_lever_moves_its_indicator_the_intended_way(case):
    _, city, overrides, indicator, sign, *runs = case
    runs = runs[0] if runs else RUNS
    change = (measures(city, hashable(overrides), runs)[indicator] - measures(city, (), runs)[indicator]).to_numpy()
    mean, low, high = mean_interval(change)
    assert (low > 0 if sign > 0 else high < 0), (
        f"{indicator}: mean paired change {mean:.4g}, 90 % interval {low:.4g} – {high:.4g}; intended sign {sign:+d}")


SHOCK_CASES = [  # (id, city, overrides of the shock, of the lever on top of it, indicator, sign, paired runs)
    # issue 19 part 4: the group takes presale_sweep_share of the presale money paid outside escrow, so looser
    # supervision (examples/scenarios/*_funding_shock_loose_supervision.toml) leaves projects less of their
    # buyers' money when credit stops: on 24 runs to 2023, +0.88 new problem projects (+0.35 to +1.40; more in 11
    # runs, fewer in 3); Anshan's effect comes later (40 runs to 2023: +0.08, −0.13 to +0.28; README for 2025).
    # Reproduced by scripts/lever_evidence.py CITY escrow.supervised_multiple=0.6
    # escrow.red_line_supervised_multiple=0.78 escrow.release_share=0.5,0.85,1.0 escrow.early_release_shift=0.2
    # --base red_lines.developer_credit_freeze=0,0,0,0,0,1,1,0,0,0 --runs 24 --last-year 2023
    ("loose supervision in a credit freeze: new problem projects up", "panzhihua", FREEZE, LOOSE_SUPERVISION,
     "problem_projects_new", +1, 24),
]


def hashable(overrides: dict) -> tuple:
    """``overrides`` as a key for the ``measures`` cache."""
    return tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in overrides.items())


@pytest.mark.parametrize("case", SHOCK_CASES, ids=[c[0] for c in SHOCK_CASES])
def test_lever_moves_its_indicator_the_intended_way_in_a_shock(case):
    _, city, shock, lever, indicator, sign, runs = case
    change = (measures(city, hashable({**shock, **lever}), runs)[indicator]
              - measures(city, hashable(shock), runs)[indicator]).to_numpy()
    mean, low, high = mean_interval(change)
    assert (low > 0 if sign > 0 else high < 0), (
        f"{indicator}: mean paired change {mean:.4g}, 90 % interval {low:.4g} – {high:.4g}; intended sign {sign:+d}")


HISTORY_CASES = [  # (id, city, overrides of the low side, of the high side, indicator, year, sign of high − low)
    # Anshan's purchase resettlements peak in 2017 (13,101 households) and fall to 3,547 in 2018 (002 四(四))
    ("resettled households buy at once: 2017 sales up", "anshan", {"shantytown.purchase_hazard": 0.1},
     {"shantytown.purchase_hazard": 1.0}, "sales_area", 2017, +1),
    ("resettled households buy at once: 2018 sales down", "anshan", {"shantytown.purchase_hazard": 0.1},
     {"shantytown.purchase_hazard": 1.0}, "sales_area", 2018, -1),
    ("developers follow the region: 2019 prices up", "anshan", {"developers.regional_price_weight": 0.0},
     {"developers.regional_price_weight": 1.0}, "avg_price", 2019, +1),
]


HISTORY_LAST_YEAR = 2019


@cache
def history_measures(city: str, overrides: tuple, runs: int = RUNS) -> pd.DataFrame:
    """Per run (the first ``runs`` posterior draws, with ``overrides`` replacing the drawn values from 2016):
    every city indicator of every year to ``HISTORY_LAST_YEAR`` (columns: (indicator, year))."""
    base = load_scenario(SCENARIOS[city])
    posterior = ParameterSource.from_csv(ROOT / "calibration" / "fitted" / f"{city}.csv")
    rows = []
    for run in range(runs):
        scenario = base.with_overrides({**posterior.for_run(0, run), **dict(overrides)})
        model = HousingMarketModel(scenario, seed=run_seed(0, run), scale=SCALE)
        model.run(until_year=HISTORY_LAST_YEAR)
        annual = model.annual_table()
        annual = annual[annual.district == "all"]
        rows.append(annual.set_index(["indicator", "year"]).value.rename(run))
    return pd.DataFrame(rows)


@pytest.mark.parametrize("case", HISTORY_CASES, ids=[c[0] for c in HISTORY_CASES])
def test_a_2016_2020_rule_moves_its_indicator_the_intended_way(case):
    _, city, low_side, high_side, indicator, year, sign = case
    change = (history_measures(city, tuple(high_side.items()))[(indicator, year)]
              - history_measures(city, tuple(low_side.items()))[(indicator, year)]).to_numpy()
    mean, low, high = mean_interval(change)
    assert (low > 0 if sign > 0 else high < 0), (
        f"{indicator} {year}: mean paired change {mean:.4g}, 90 % interval {low:.4g} – {high:.4g}; "
        f"intended sign {sign:+d}")
