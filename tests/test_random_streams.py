"""One random stream per decision: a policy that changes how many draws one decision makes leaves the others'
draws alone, so paired runs of two scenarios differ through the policy (sim/state/random_streams.py)."""
from __future__ import annotations

import numpy as np
from numpy.testing import assert_array_equal

from sim.config.loader import load_scenario
from sim.model import HousingMarketModel
from sim.state.random_streams import RandomStreams

from .conftest import SCENARIOS

SEED, SCALE = 3, 50


def test_every_decision_has_its_own_independent_stream():
    streams = RandomStreams.spawn(np.random.default_rng(0))
    first_draws = {name: g.random() for name, g in vars(streams).items()}
    assert len(set(first_draws.values())) == len(first_draws)


def one_month(overrides: dict) -> HousingMarketModel:
    model = HousingMarketModel(load_scenario(SCENARIOS["panzhihua"]).with_overrides(overrides), seed=SEED,
                               scale=SCALE)
    model.step()
    return model


def test_more_land_auctioned_leaves_the_month_s_purchases_unchanged():
    """Tripling the land plan makes the auction draw more winners in the first month; the homes bought that
    month (new projects are not on sale yet) must be the same, household by household."""
    small_parcels = {"land_supply.parcel_size": 0.5}   # ha: several parcels a month at scale 50
    base = one_month(small_parcels)
    plan = base.state.params.land_supply.annual_plan
    more_land = one_month({**small_parcels, "land_supply.annual_plan": [3 * v for v in plan]})
    assert more_land.state.flows.land_supplied.sum() > base.state.flows.land_supplied.sum()
    h0, h1 = base.state.households, more_land.state.households
    assert h0.n == h1.n
    assert_array_equal(h0.n_owned, h1.n_owned)
    assert_array_equal(h0.dwelling, h1.dwelling)
    assert_array_equal(base.state.flows.sales_area, more_land.state.flows.sales_area)
