"""Births, deaths, household formation and dissolution, in- and out-migration (DESIGN §3.3 step 1).

All decisions are drawn for every household row at once. A new household (split-off or in-migrant) needs a
vacant dwelling to rent in its district; where there is none it does not form or arrive this month, and the
count of such blocked households is recorded. Every person who appears or disappears is counted, so
population and households balance exactly.
"""
from __future__ import annotations

import numpy as np

from ..state.calendar import MONTHS_PER_YEAR
from ..state.city import CityState
from ..state.households import household_sizes, lognormal_with_mean
from ..state.housing import let, move_out, take_vacant_rentals
from ..state.random_streams import RandomStreams


def step(state: CityState, streams: RandomStreams) -> None:
    """One month of births, deaths, split-offs, in- and out-migration; the counts go to ``state.city_flows``."""
    h, p, stock, c = state.households, state.params.demography, state.dwellings, state.city_flows
    profile = state.profile.population
    res = np.flatnonzero(h.resident)
    size = h.column("size")

    births = streams.births.random(len(res)) < np.minimum(p.birth_rate / MONTHS_PER_YEAR * size[res], 1.0)
    size[res[births]] += 1
    c.births = int(births.sum())
    deaths = streams.deaths.binomial(size[res].astype(np.int64), p.death_rate / MONTHS_PER_YEAR)
    size[res] -= deaths.astype(np.int16)
    c.deaths = int(deaths.sum())

    # split-offs: one person leaves a household of 3+ to form a renting household
    formation = streams.household_formation
    splitters = res[(size[res] >= 3) & (formation.random(len(res)) < p.household_formation_rate / MONTHS_PER_YEAR)]
    homes = take_vacant_rentals(stock, h.district[splitters], streams.rental_search)
    ok = homes >= 0
    splitters, homes = splitters[ok], homes[ok]
    blocked = int((~ok).sum())
    if len(splitters):
        size[splitters] -= 1
        share = h.savings[splitters] / (size[splitters] + 1)
        h.savings[splitters] -= share
        new = h.add(len(splitters), district=h.district[splitters], size=1,
                    income=lognormal_with_mean(formation, p.new_household_income_ratio * state.mean_income(),
                                               profile.income_sigma, len(splitters)),
                    savings=share, pf_member=h.pf_member[splitters], arrived_month=state.month)
        let(h, stock, new, homes)
        c.formed = len(new)

    # in-migration
    year_i = state.year_index
    arrivals = streams.in_migration
    n_in = arrivals.poisson(p.in_migration[year_i] / MONTHS_PER_YEAR / state.scale / p.migrant_household_size)
    if n_in:
        district = arrivals.choice(state.n_districts, size=n_in, p=state.district_shares).astype(np.int8)
        homes = take_vacant_rentals(stock, district, streams.rental_search)
        ok = homes >= 0
        blocked += int((~ok).sum())
        k = int(ok.sum())
        if k:
            sizes = household_sizes(arrivals, p.migrant_household_size, k)
            inc = lognormal_with_mean(arrivals, p.migrant_income_ratio * state.mean_income(), profile.income_sigma, k)
            new = h.add(k, district=district[ok], size=sizes, income=inc,
                        savings=profile.savings_months * inc / MONTHS_PER_YEAR
                        * lognormal_with_mean(arrivals, 1.0, profile.savings_sigma, k),
                        pf_member=arrivals.random(k) < profile.provident_fund_member_share, arrived_month=state.month)
            let(h, stock, new, homes[ok])
            c.in_households, c.in_persons = k, int(sizes.sum())

    # out-migration and dissolution: whole resident households leave, as many as carry the year's persons
    res = np.flatnonzero(h.resident)
    mean_size = float(h.size[res].mean()) if len(res) else 1.0
    leave = streams.out_migration
    n_out = min(leave.poisson(p.out_migration[year_i] / MONTHS_PER_YEAR / state.scale / mean_size), len(res))
    leaving = np.zeros(h.n, dtype=bool)
    leaving[leave.choice(res, size=n_out, replace=False)] = True
    dissolved = h.resident & (h.size <= 0) & ~leaving
    c.out_households = int(leaving.sum())
    c.out_persons = int(h.size[leaving].sum())
    c.dissolved = int(dissolved.sum())
    gone = np.flatnonzero(leaving | dissolved)
    c.blocked = blocked
    if len(gone):
        move_out(h, stock, gone, state.month)
        h.keep(~(leaving | dissolved))
