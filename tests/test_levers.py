"""Every policy lever in the scenario schema moves at least one indicator (a dead parameter is a bug).

Each key of the policy sections (``POLICY_SECTIONS``) is changed on its own in a variant of the plan scenario,
and one run on the baseline's seed must differ from the baseline run somewhere in the annual indicators. Some
levers act only on developers that cross the red lines or when a rule is switched on; their cases also set that
context (``CONTEXT``), and the comparison is then against the context alone.
"""
from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from sim.config.loader import Scenario, Section
from sim.config.schema import POLICY_SECTIONS, SCENARIO, YEARS
from sim.model import HousingMarketModel

from .conftest import SCENARIOS

SEED, SCALE = 5, 50
RED_LINES_FROM_2016 = {"red_lines.start_year": 2016, "red_lines.min_lines": 1}
# prudent developers rarely touch a line: the measures for those that do are tested with line 3 drawn high
DEVELOPERS_ON_THE_LINES = {**RED_LINES_FROM_2016, "red_lines.cash_short_debt_min": 10.0}
ANSHAN_GUARANTEED_RENTAL = {"rental_support.guaranteed_rental_units": [300.0] * len(YEARS)}
# changes that a generic rule (halve a number, flip a flag) would not make meaningful
SPECIAL = {
    "land_supply.band_edges": lambda v: [e * 2 for e in v],
    "land_supply.persistence_months": lambda v: v + 6,
    "red_lines.min_lines": lambda v: 3 if v < 3 else 1,
    "red_lines.net_gearing_max": lambda v: v * 0.1,
    "rental_support.guaranteed_rental_min_occupancy": lambda v: 1.0,
    "presale.relax_below_cycle": lambda v: 24,
    "presale.tighten_above_cycle": lambda v: 8,
    "red_lines.start_year": lambda v: YEARS[0],
    "red_lines.debt_growth_caps": lambda v: [0.0] * len(v),
    "red_lines.developer_credit_freeze": lambda v: [1.0] * len(v),
    "escrow.release_progress": lambda v: [0.3, 0.5, 1.0],
    "escrow.release_share": lambda v: [0.6, 0.9, 1.0],
    "rental_support.guarantee_service": lambda v: not v,
    "rental_support.service_months": lambda v: 1,
    "rental_support.annual_quota": lambda v: [q * 0.1 for q in v],   # Panzhihua's quota binds only when cut hard
    "rental_support.guaranteed_rental_units": lambda v: [500.0] * len(v),
    "shantytown.purchase_share": lambda v: [0.3] * 5 + [0.0] * 5,
    "credit.mortgage_term": lambda v: 10,
}
# levers that act only within a rule that is off in a plan: compared with that rule switched on
CONTEXT = {
    **{key: DEVELOPERS_ON_THE_LINES for key in (
        "presale.red_line_progress_threshold", "presale.red_line_completed_only",
        "escrow.red_line_supervised_multiple", "red_lines.debt_growth_caps", "red_lines.min_lines")},
    **{key: RED_LINES_FROM_2016 for key in (
        "red_lines.liability_ratio_max", "red_lines.net_gearing_max", "red_lines.cash_short_debt_min")},
    # Anshan links no presale rule to the cycle (step 0)
    **{key: {"presale.cycle_threshold_step": 0.1} for key in ("presale.relax_below_cycle",
                                                              "presale.tighten_above_cycle")},
    # Anshan raises no guaranteed rental housing
    "rental_support.guaranteed_rental_size": ANSHAN_GUARANTEED_RENTAL,
    # Anshan's vacant homes leave raised units mostly unlet: the occupancy rule would stop them after the first
    **{key: {**ANSHAN_GUARANTEED_RENTAL, "rental_support.guaranteed_rental_min_occupancy": 0.0}
       for key in ("rental_support.guaranteed_rental_min_occupancy", "rental_support.guaranteed_rent_share")},
}
LEVERS = [f"{s}.{k}" for s in POLICY_SECTIONS for k in SCENARIO[s]]
# levers that split the city among its districts: Anshan is modelled as one district
BETWEEN_DISTRICTS = {"land_supply.population_review_months", "land_supply.population_flow_tilt"}


def changed(key: str, value):
    if key in SPECIAL:
        return SPECIAL[key](value)
    if isinstance(value, bool):
        return not value
    if isinstance(value, list):
        return [v * 0.5 if v else 0.5 for v in value]
    if isinstance(value, int):
        return max(value // 2, 1) if value > 1 else value + 3
    return value * 0.5 if value else 0.5


def with_values(scenario: Scenario, values: dict) -> Scenario:
    params = {s: dict(t) for s, t in scenario.params.items()}
    for key, value in values.items():
        section, name = key.split(".")
        params[section][name] = value
    return Scenario(scenario.path, Section({s: Section(t) for s, t in params.items()}), scenario.profile,
                    scenario.districts, scenario.raw, scenario.raw_profile)


@cache
def annual(city: str, values: tuple) -> np.ndarray:
    from sim.config.loader import load_scenario

    model = HousingMarketModel(with_values(load_scenario(SCENARIOS[city]), dict(values)), seed=SEED, scale=SCALE)
    model.run()
    a, _ = model.results()
    return a.sort_values(["district", "year", "indicator"]).value.to_numpy()


def freeze(values: dict) -> tuple:
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in values.items()))


@pytest.mark.parametrize("city", ["panzhihua", "anshan"])
@pytest.mark.parametrize("lever", LEVERS)
def test_lever_moves_an_indicator(city, lever, scenarios):
    if lever in BETWEEN_DISTRICTS and len(scenarios[city].districts) == 1:
        pytest.skip(f"{lever} divides the city among districts; {city} is one district")
    section, name = lever.split(".")
    context = dict(CONTEXT.get(lever, {}))
    base_values = {**context}
    current = {**scenarios[city].params[section], **{k.split(".")[1]: v for k, v in context.items()
                                                     if k.startswith(section + ".")}}[name]
    new = changed(lever, current)
    assert new != current, f"{lever}: the sweep's change leaves {current!r} as it is"
    base = annual(city, freeze(base_values))
    moved = annual(city, freeze({**base_values, lever: new}))
    assert base.shape == moved.shape
    assert not np.array_equal(base, moved, equal_nan=True), (
        f"{lever} = {new!r} instead of {current!r} changed no indicator of {city}: a dead parameter")
