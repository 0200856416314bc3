"""Rental supply answers demand (issue 19 part 3): owners let empty seasonal homes where rentals are scarce, and
second homes are bought to let where yields allow (``sim.markets.rental``, ``sim.agents.demand``)."""
from __future__ import annotations

import numpy as np
import pytest

from sim.agents.demand import rental_yield_factor
from sim.markets.rental import let_seasonal_homes, letting_probability
from sim.model import HousingMarketModel
from sim.state import dwellings as dw


def test_letting_probability_follows_the_shortfall_of_rental_vacancy():
    chance = letting_probability(np.array([0.0, 0.05, 0.1, 0.2]), np.array([0.1, 0.1, 0.1, 0.1]), 0.02)
    assert chance == pytest.approx([0.02, 0.01, 0.0, 0.0])
    assert letting_probability(np.array([0.0]), np.array([0.0]), 0.02) == pytest.approx([0.0])  # no reference


def _model(scenarios, letting_rate):
    sc = scenarios["panzhihua"].with_overrides({"rental_market.letting_rate": letting_rate})
    return HousingMarketModel(sc, seed=2, scale=100)


def test_seasonal_homes_are_let_only_where_rentals_are_scarce(scenarios):
    model = _model(scenarios, 1.0)
    s, stock = model.state, model.state.dwellings
    seasonal = stock.non_resident & (stock.status == dw.VACANT)
    assert seasonal.any()
    s.reference_rental_vacancy = np.zeros(s.n_districts)          # no shortfall: nothing is let
    let_seasonal_homes(s, np.random.default_rng(0))
    assert (stock.non_resident & seasonal).sum() == seasonal.sum()
    s.reference_rental_vacancy = np.full(s.n_districts, 1.0)      # vacancy far below: most are let
    before = int(seasonal.sum())
    let_seasonal_homes(s, np.random.default_rng(0))
    let_now = seasonal & ~stock.non_resident
    assert let_now.sum() > 0.5 * before
    assert stock.lettable()[let_now].all()                        # on the rental market now
    assert s.flows.seasonal_homes_let.sum() == let_now.sum()


def test_letting_houses_in_migrants_who_were_turned_away(scenarios):
    """Panzhihua's rentals run out by 2019 (about 3,000 households a year turned away without letting)."""
    def turned_away(letting_rate):
        model = _model(scenarios, letting_rate)
        model.run(until_year=2020)
        annual = model.results()[0]
        city = annual[(annual.district == "all") & annual.year.isin([2019, 2020])]
        return city.groupby("indicator").value.sum()

    without, with_letting = turned_away(0.0), turned_away(0.05)
    assert without["households_turned_away"] > 1000
    assert with_letting["households_turned_away"] < 0.5 * without["households_turned_away"]
    assert with_letting["population"] > without["population"]
    assert without["seasonal_homes_let"] == 0 < with_letting["seasonal_homes_let"]


def test_second_homes_follow_the_rental_yield(scenarios):
    model = _model(scenarios, 0.0)
    s = model.state
    assert rental_yield_factor(s) == pytest.approx(np.ones(s.n_districts))   # 2016-01: the reference yield
    s.rent = s.rent * 2
    expected = 2.0 ** s.params.demand.rental_yield_elasticity
    assert rental_yield_factor(s) == pytest.approx(np.full(s.n_districts, expected))
