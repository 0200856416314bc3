"""Invariants checked every month over whole runs of both plan scenarios."""
from __future__ import annotations

import numpy as np
import pytest

from sim.config.loader import load_scenario
from sim.model import HousingMarketModel
from sim.state import dwellings as dw
from sim.state import households as hh

from .conftest import ROOT


def check_dwellings(model: HousingMarketModel) -> None:
    h, stock = model.state.households, model.state.dwellings
    res = h.resident
    assert (np.isin(stock.status, range(6))).all()
    lives = h.dwelling >= 0
    d = h.dwelling[lives]
    assert len(np.unique(d)) == len(d), "two households in one dwelling"
    assert ((~res) <= ~lives).all(), "non-residents live in no dwelling"
    tenure = h.tenure[lives]
    status = stock.status[d]
    assert (status[tenure == hh.OWNER] == dw.OWNER_OCCUPIED).all()
    assert (status[tenure != hh.OWNER] == dw.RENTED).all()
    assert (stock.kind[d[tenure == hh.PUBLIC_TENANT]] == dw.PUBLIC_RENTAL).all()
    assert (stock.owner[d[tenure == hh.OWNER]] == h.hid[lives][tenure == hh.OWNER]).all()
    # every occupied status has exactly one occupant: counts match both ways
    assert (stock.status == dw.OWNER_OCCUPIED).sum() == (tenure == hh.OWNER).sum()
    assert (stock.status == dw.RENTED).sum() == (tenure != hh.OWNER).sum()
    # resident households without a dwelling are only shantytown households in transitional housing,
    # still looking for a home or waiting for the presold home they bought
    homeless = res & ~lives
    assert ((h.must_buy[homeless] != hh.MUST_BUY_NONE) | (h.pending_project[homeless] >= 0)).all()
    assert (stock.owner[stock.status == dw.UNSOLD_NEW] == dw.OWNER_DEVELOPER).all()


def check_projects(model: HousingMarketModel) -> None:
    state = model.state
    for pr in state.projects:
        assert 0 <= pr.sold_units <= pr.units
        assert 0.0 <= pr.progress <= 1.0
        assert pr.escrow_released <= pr.escrow_deposits + 1e-6
        assert pr.saleable_units >= 0
        if pr.completed:
            assert len(pr.dwellings) == pr.units and pr.receipts_undelivered == 0.0
            unsold = (state.dwellings.status[pr.dwellings] == dw.UNSOLD_NEW).sum()
            assert unsold == pr.unsold_units
    assert (state.inventory_area_by_district() >= 0).all()
    # a finished project is set aside once, whole: from the city's list and its developer's, never to return
    assert all(pr.finished for pr in state.finished_projects) and not any(pr.finished for pr in state.projects)
    ids = [pr.pid for pr in state.projects + state.finished_projects]
    assert sorted(ids) == list(range(1, len(ids) + 1))      # none lost, none twice
    assert sorted(pr.pid for dev in state.developers for pr in dev.projects) == sorted(pr.pid for pr in state.projects)
    for dev in state.developers:
        assert abs(dev.cash_flow_residual()) < 1e-3, f"developer {dev.unique_id} cash flows do not add up"


@pytest.mark.parametrize("city", ["panzhihua", "anshan"])
def test_whole_run_invariants(scenarios, city):
    model = HousingMarketModel(scenarios[city], seed=11, scale=50)
    while model.running:
        model.step()
        check_dwellings(model)
        check_projects(model)
    assert len(model.state.finished_projects) > 10      # the set-aside is exercised
    raw = model.raw_table()
    city_raw = raw[raw.district == "all"].set_index("month")
    pop, hhs = city_raw.population, city_raw.households
    # population and households balance with births, deaths and migration, month by month
    d_pop = pop.diff().iloc[1:]
    flows = (city_raw.births + city_raw.in_persons - city_raw.deaths - city_raw.out_persons).iloc[1:]
    assert (d_pop == flows).all()
    d_hh = hhs.diff().iloc[1:]
    hh_flows = (city_raw.formed + city_raw.in_households - city_raw.out_households - city_raw.dissolved).iloc[1:]
    assert (d_hh == hh_flows).all()
    # escrow balance = deposits − releases, month by month
    d_esc = city_raw.escrow_balance.diff().iloc[1:]
    esc_flows = (city_raw.escrow_deposits - city_raw.escrow_releases).iloc[1:]
    assert np.allclose(d_esc, esc_flows, atol=1.0)
    assert (city_raw.escrow_balance >= -1e-6).all()
    assert np.abs(inventory_residual(raw)).max() < 1e-6
    # district rows add up to the city row for additive quantities
    districts = raw[raw.district != "all"].groupby("month")[["sales_area", "households", "inventory_area"]].sum()
    assert np.allclose(districts.values, city_raw[["sales_area", "households", "inventory_area"]].values)


def inventory_residual(raw) -> np.ndarray:
    """Per district and month: Δ inventory − (supply − sales − withdrawn); zero when the stock-flow adds up."""
    out = []
    for _, g in raw.groupby("district"):
        g = g.sort_values("month")
        out.append((g.inventory_area.diff() - g.supply_area + g.sales_area + g.inventory_withdrawn).iloc[1:])
    return np.concatenate(out)


@pytest.mark.parametrize("city, seed", [("anshan", 0), ("panzhihua", 2)])
def test_inventory_stock_flow_is_exact_through_failures_and_rescues(city, seed):
    """Developers short of cash fail; their unsold homes leave the inventory as ``inventory_withdrawn`` and a
    rescue puts them back, so inventory = last month's + supply − sales − withdrawn in every district."""
    sc = load_scenario(ROOT / "scenarios" / f"{city}_developer_funding_shock.toml").with_overrides(
        {"developers.initial_cash": 1, "developers.initial_debt": 1000, "developers.debt_rate": 0.3})
    model = HousingMarketModel(sc, seed=seed, scale=50)
    model.run()
    raw = model.raw_table()
    city_raw = raw[raw.district == "all"]
    assert city_raw.developers_failed.max() >= 1 and city_raw.inventory_withdrawn.sum() > 0
    assert np.abs(inventory_residual(raw)).max() < 1e-6


def test_out_migration_carries_the_scenarios_persons(scenarios):
    """``demography.out_migration`` is persons/year: whole households leave, as many as carry that many persons,
    whatever the size of the households that leave."""
    sc = scenarios["panzhihua"]
    scale = 10
    model = HousingMarketModel(sc, seed=5, scale=scale)
    model.run()
    raw = model.raw_table()
    left = raw[raw.district == "all"].out_persons.sum() * scale
    expected = sum(sc.params.demography.out_migration)
    assert left == pytest.approx(expected, rel=0.10)
