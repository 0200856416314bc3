"""The land auction prices land from developers' competition and margins, and projects launch from their costs
(issue 19 part 2: sim/markets/land.py, sim/markets/pricing.py); constructed cases."""
from __future__ import annotations

import numpy as np
import pytest

from sim.config.loader import load_scenario
from sim.markets import land, pricing
from sim.model import HousingMarketModel
from sim.state.projects import Project

from .conftest import SCENARIOS


def test_residual_land_value_leaves_the_required_margin():
    """Selling at the price, after land at the residual value, build cost and carry, the developer keeps its
    margin of revenue."""
    price, build, margin, carry = 6000.0, 2200.0, 0.15, 0.1
    value = land.residual_land_value(price, build, margin, carry)
    cost = (value + build) * (1 + carry)
    assert (price - cost) / price == pytest.approx(margin)
    assert land.residual_land_value(2000.0, build, margin, carry) == 0.0    # below cost: land is worth nothing


def test_the_highest_bid_wins_at_the_runner_up_s_bid_or_the_reserve():
    assert land.auction_outcome(np.array([5.0, 9.0, 7.0]), reserve=4.0) == (1, 7.0)
    assert land.auction_outcome(np.array([5.0, 9.0, 3.0]), reserve=6.0) == (1, 6.0)   # runner-up below reserve
    assert land.auction_outcome(np.array([0.0, 8.0]), reserve=6.0) == (1, 6.0)        # a lone bidder
    assert land.auction_outcome(np.array([5.0, 3.0]), reserve=6.0) == (-1, 0.0)       # nobody reaches it
    assert land.auction_outcome(np.array([]), reserve=6.0) == (-1, 0.0)


@pytest.fixture(scope="module")
def state():
    return HousingMarketModel(load_scenario(SCENARIOS["panzhihua"]), seed=0, scale=200).state


def project(state, land_cost: float) -> Project:
    return Project(pid=-1, developer_id=0, district=0, units=10, unit_area=state.unit_size, land_ha=0.1,
                   land_cost=land_cost, price=0.0, start_month=0)


def test_a_project_on_dear_land_launches_above_the_market(state):
    market = float(state.new_price[0])
    cheap = project(state, land_cost=0.0)
    dear = project(state, land_cost=10 * state.unit_size * market)     # land alone worth the homes' market value
    assert pricing.launch_price(state, cheap) == pytest.approx(market)
    assert pricing.launch_price(state, dear) > market
    p = state.params.developers
    carry = land.carry_share(p.debt_rate, p.start_lag_months + p.construction_months)
    full_cost = dear.cost_per_unit(p.build_cost) / dear.unit_area
    assert pricing.launch_price(state, dear) == pytest.approx(full_cost * (1 + carry) / (1 - p.required_margin))


def test_prices_answer_the_district_s_sell_through_over_the_window_not_one_month():
    """Three months of 0, 0 and 9 homes sold out of 10 on offer: a sell-through of 9/30, not the month's 9/10."""
    state = HousingMarketModel(load_scenario(SCENARIOS["panzhihua"]), seed=0, scale=200).state
    assert state.params.developers.sell_through_months == 3
    n = state.n_districts
    state.unmet_buyers = np.zeros(n)
    for sold in (0.0, 0.0, 9.0):
        st = pricing.window_sell_through(state, np.full(n, sold), np.full(n, 10.0))
    assert st == pytest.approx(np.full(n, 0.3))
    st = pricing.window_sell_through(state, np.zeros(n), np.zeros(n))     # the oldest month leaves the window
    assert st == pytest.approx(np.full(n, 9 / 20))


def test_the_regional_drift_compounds_to_the_year_s_regional_growth():
    monthly = pricing.regional_drift(0.125, 1.0)
    assert (1 + monthly) ** 12 == pytest.approx(1.125)
    assert pricing.regional_drift(0.125, 0.5) == pytest.approx(monthly / 2)
    assert pricing.regional_drift(0.125, 0.0) == 0.0


def test_developers_follow_the_region_s_prices_where_weighted():
    """Anshan 2016–2019 with its neighbours' price trend (丹东, 锦州: +1 % … +13 % a year) followed in full, against
    not at all, on the same seed: the 2019 new-home market price is higher, and by no more than the trend."""
    def market_price(weight: float) -> float:
        sc = load_scenario(SCENARIOS["anshan"]).with_overrides({"developers.regional_price_weight": weight})
        model = HousingMarketModel(sc, seed=0, scale=200)
        model.run(until_year=2019)
        return float(model.state.new_price[0])

    growth = load_scenario(SCENARIOS["anshan"]).params.developers.regional_price_growth
    trend = float(np.prod([1 + g for g in growth[:4]]))
    followed, local = market_price(1.0), market_price(0.0)
    assert followed > local * 1.10
    assert followed < local * trend * 1.10
