"""New-home allocation: buyers choose among the homes they can afford in their district, in proportion to
what is on offer; projects never sell more than they have; nobody who could still buy is left out."""
import numpy as np
import pytest

from sim.markets.new_homes import allocate


def market(seed: int = 0, n_buyers: int = 6000):
    rng = np.random.default_rng(seed)
    buyers = {"buyer_district": rng.integers(0, 3, n_buyers), "buyer_budget": rng.uniform(0.0, 10.0, n_buyers)}
    projects = {"project_district": np.array([2, 0, 1, 0, 2, 1, 2]),
                "project_value": np.array([1.0, 5.0, 2.0, 3.0, 4.0, 8.0, 9.0]),
                "project_saleable": np.array([200, 300, 50, 100, 200, 1000, 10])}
    return buyers, projects


def test_buyers_get_an_affordable_home_in_their_district_and_no_project_oversells():
    buyers, projects = market()
    choice = allocate(**buyers, **projects, rng=np.random.default_rng(1))
    got = choice >= 0
    assert got.any() and not got.all()
    assert (projects["project_district"][choice[got]] == buyers["buyer_district"][got]).all()
    assert (projects["project_value"][choice[got]] <= buyers["buyer_budget"][got]).all()
    sold = np.bincount(choice[got], minlength=7)
    assert (sold <= projects["project_saleable"]).all()


def test_the_market_clears_nobody_left_who_could_afford_a_home_still_on_offer():
    buyers, projects = market()
    choice = allocate(**buyers, **projects, rng=np.random.default_rng(2))
    left = projects["project_saleable"] - np.bincount(choice[choice >= 0], minlength=7)
    for i in np.flatnonzero(choice < 0):
        could = ((projects["project_district"] == buyers["buyer_district"][i])
                 & (projects["project_value"] <= buyers["buyer_budget"][i]) & (left > 0))
        assert not could.any()


def test_buyers_spread_over_projects_in_proportion_to_their_units():
    n = 4000   # every buyer can afford both projects and they hold ten times the buyers
    choice = allocate(np.zeros(n, dtype=np.int64), np.full(n, 100.0), np.array([0, 0]), np.array([2.0, 1.0]),
                      np.array([10_000, 30_000]), np.random.default_rng(3))
    share_of_first = np.mean(choice == 0)
    assert share_of_first == pytest.approx(0.25, abs=0.03)
    assert (choice >= 0).all()


def test_cheaper_projects_draw_more_buyers_than_their_unit_share_as_fewer_budgets_cover_dear_ones():
    n = 4000
    budget = np.where(np.arange(n) % 2 == 0, 1.5, 100.0)   # half can afford only the cheap project
    choice = allocate(np.zeros(n, dtype=np.int64), budget, np.array([0, 0]), np.array([1.0, 2.0]),
                      np.array([20_000, 20_000]), np.random.default_rng(4))
    assert np.mean(choice == 0) == pytest.approx(0.75, abs=0.03)


def test_oversubscribed_projects_sell_out_and_the_same_seed_gives_the_same_allocation():
    buyers, projects = market(n_buyers=20_000)
    first = allocate(**buyers, **projects, rng=np.random.default_rng(5))
    again = allocate(**buyers, **projects, rng=np.random.default_rng(5))
    np.testing.assert_array_equal(first, again)
    sold = np.bincount(first[first >= 0], minlength=7)
    np.testing.assert_array_equal(sold, projects["project_saleable"])


def test_no_buyers_or_no_projects():
    empty = np.array([], dtype=np.int64)
    assert len(allocate(empty, np.array([]), np.array([0]), np.array([1.0]), np.array([5]),
                        np.random.default_rng(0))) == 0
    out = allocate(np.array([0, 1]), np.array([5.0, 5.0]), empty, np.array([]), empty, np.random.default_rng(0))
    np.testing.assert_array_equal(out, [-1, -1])
