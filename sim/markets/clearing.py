"""The month's housing market (DESIGN §3.3 step 4): buyers try the segment they prefer (new or resale), then
the other one; buyers left over are recorded as unmet demand per district; stale resale listings are withdrawn.
"""
from __future__ import annotations

import numpy as np

from ..state import dwellings as dw
from ..state.city import CityState
from ..state.housing import withdraw_stale_listings
from ..state.projects import Project
from ..state.random_streams import RandomStreams
from . import new_homes, resale, settlement
from .buyers import Buyers


def clear(state: CityState, buyers: Buyers, streams: RandomStreams) -> None:
    for pr in state.projects:
        pr.sold_this_month = 0
        pr.available_at_month_start = pr.saleable_units if state.may_sell(pr) else 0
    on_sale = [pr for pr in state.projects if pr.available_at_month_start > 0]
    done = np.zeros(len(buyers), dtype=bool)
    for preferred in (True, False):
        for new in (True, False):
            want = (buyers.wants_new == new) if preferred else (buyers.wants_new != new)
            idx = np.flatnonzero(~done & want & (new | ~buyers.new_only))
            if len(idx):
                sub = buyers.subset(idx)
                bought = (clear_new(state, sub, on_sale, streams) if new
                          else clear_resale(state, sub, streams.resale_matching))
                done[idx[bought]] = True
    state.unmet_buyers = np.bincount(buyers.district[~done], minlength=state.n_districts)
    withdraw_stale_listings(state.dwellings, state.month, state.params.demand.listing_months)


def clear_new(state: CityState, buyers: Buyers, on_sale: list[Project], streams: RandomStreams) -> np.ndarray:
    """New homes of the projects ``on_sale`` this month (presold or completed) to ``buyers``; returns who bought.
    Buyers wary of presale (``new_homes.presale_acceptance``) choose first, among completed homes only; the others
    then choose among every home left."""
    bought = np.zeros(len(buyers), dtype=bool)
    accepts = (streams.presale_confidence.random(len(buyers))
               < new_homes.presale_acceptance(new_homes.stalled_share(state),
                                              state.params.demand.presale_aversion)[buyers.district])
    for group, completed_only in ((~accepts, True), (accepts, False)):
        idx = np.flatnonzero(group)
        open_projects = [pr for pr in on_sale if pr.saleable_units > 0 and (pr.completed or not completed_only)]
        if not len(idx) or not open_projects:
            continue
        sub = buyers.subset(idx)
        choice = new_homes.allocate(
            sub.district, sub.budget, np.array([pr.district for pr in open_projects]),
            np.array([pr.price * pr.unit_area for pr in open_projects]),
            np.array([pr.saleable_units for pr in open_projects]), streams.new_home_matching)
        done = choice >= 0
        settlement.settle_new(state, sub.subset(np.flatnonzero(done)), choice[done], open_projects)
        bought[idx[done]] = True
    return bought


def clear_resale(state: CityState, buyers: Buyers, rng: np.random.Generator) -> np.ndarray:
    """Listed resale homes (floor area × district price × resale discount) to ``buyers``; returns who bought."""
    stock = state.dwellings
    listings = np.flatnonzero(stock.status == dw.FOR_SALE)
    if not len(listings):
        return np.zeros(len(buyers), dtype=bool)
    district = stock.district[listings].astype(np.int64)
    value = stock.area[listings] * state.new_price[district] * state.params.demand.resale_discount
    choice = resale.match(buyers.district, buyers.budget, district, value, rng)
    bought = choice >= 0
    sub = buyers.subset(np.flatnonzero(bought))
    settlement.settle_resale(state, sub, listings[choice[bought]], value[choice[bought]])
    return bought
