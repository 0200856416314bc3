"""Births, deaths, household formation and dissolution, in- and out-migration (DESIGN §3.3 step 1).

All decisions are drawn for every household row at once. A new household (split-off or in-migrant) needs a
vacant dwelling to rent in its district; where there is none it does not form or arrive this month, and the
count of such blocked households is recorded. Every person who appears or disappears is counted, so
population and households balance exactly.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

import numpy as np

from . import dwellings as dw
from . import households as hh
from .population import household_sizes, lognormal_with_mean

if TYPE_CHECKING:
    from ..model import HousingMarketModel


@dataclass
class DemographyCounts:
    births: int = 0
    deaths: int = 0
    formed: int = 0
    dissolved: int = 0
    in_households: int = 0
    in_persons: int = 0
    out_households: int = 0
    out_persons: int = 0
    blocked: int = 0

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def take_vacant_dwellings(model: HousingMarketModel, district: np.ndarray) -> np.ndarray:
    """Give each requester a lettable vacant dwelling in its district (-1 where none is left)."""
    stock = model.dwellings
    vacant = np.flatnonzero(stock.lettable_vacant())
    vacant = vacant[model.streams["demography"].permutation(len(vacant))]
    vac_district = stock.district[vacant]
    out = np.full(len(district), -1, dtype=np.int64)
    for d in np.unique(district):
        want = np.flatnonzero(district == d)
        have = vacant[vac_district == d][: len(want)]
        out[want[: len(have)]] = have
    return out


def move_into_rentals(model: HousingMarketModel, rows: np.ndarray, dwellings: np.ndarray) -> None:
    h, stock = model.households, model.dwellings
    h.column("dwelling")[rows] = dwellings
    h.column("tenure")[rows] = hh.RENTER
    stock.status[dwellings] = dw.RENTED


def vacate(model: HousingMarketModel, rows: np.ndarray) -> None:
    """Households leave their dwellings (moving out of the city or dissolving): owned homes go on sale,
    rented and public ones fall vacant."""
    h, stock = model.households, model.dwellings
    d = h.dwelling[rows]
    has = d >= 0
    d, ten = d[has], h.tenure[rows][has]
    owned = ten == hh.OWNER
    stock.status[d[owned]] = dw.FOR_SALE
    stock.owner[d[owned]] = dw.OWNER_ABSENT
    stock.listed_month[d[owned]] = model.month
    stock.status[d[~owned]] = dw.VACANT
    h.column("dwelling")[rows] = -1


def step(model: HousingMarketModel) -> DemographyCounts:
    h, rng, p = model.households, model.streams["demography"], model.params.demography
    c = DemographyCounts()
    res = np.flatnonzero(h.resident)
    size = h.column("size")

    births = rng.random(len(res)) < np.minimum(p.birth_rate / 12 * size[res], 1.0)
    size[res[births]] += 1
    c.births = int(births.sum())
    deaths = rng.binomial(size[res].astype(np.int64), p.death_rate / 12)
    size[res] -= deaths.astype(np.int16)
    c.deaths = int(deaths.sum())

    # split-offs: one person leaves a household of 3+ to form a renting household
    splitters = res[(size[res] >= 3) & (rng.random(len(res)) < p.household_formation_rate / 12)]
    homes = take_vacant_dwellings(model, h.district[splitters])
    ok = homes >= 0
    splitters, homes = splitters[ok], homes[ok]
    c.blocked += int((~ok).sum())
    if len(splitters):
        size[splitters] -= 1
        share = h.savings[splitters] / (size[splitters] + 1)
        h.savings[splitters] -= share
        new = h.add(len(splitters), district=h.district[splitters], size=1,
                    income=lognormal_with_mean(rng, p.new_household_income_ratio * model.mean_income(),
                                               model.profile.population.income_sigma, len(splitters)),
                    savings=share, pf_member=h.pf_member[splitters])
        move_into_rentals(model, new, homes)
        c.formed = len(new)

    # in-migration
    year_i = model.year_index
    n_in = rng.poisson(p.in_migration[year_i] / 12 / model.scale / p.migrant_household_size)
    if n_in:
        district = rng.choice(len(model.districts), size=n_in, p=model.district_shares).astype(np.int8)
        homes = take_vacant_dwellings(model, district)
        ok = homes >= 0
        c.blocked += int((~ok).sum())
        k = int(ok.sum())
        if k:
            sizes = household_sizes(rng, p.migrant_household_size, k)
            inc = lognormal_with_mean(rng, p.migrant_income_ratio * model.mean_income(),
                                      model.profile.population.income_sigma, k)
            new = h.add(k, district=district[ok], size=sizes, income=inc,
                        savings=model.profile.population.savings_months * inc / 12
                        * lognormal_with_mean(rng, 1.0, model.profile.population.savings_sigma, k),
                        pf_member=rng.random(k) < model.profile.population.provident_fund_member_share)
            move_into_rentals(model, new, homes[ok])
            c.in_households, c.in_persons = k, int(sizes.sum())

    # out-migration and dissolution: whole resident households leave, as many as carry the year's persons
    res = np.flatnonzero(h.resident)
    mean_size = float(h.size[res].mean()) if len(res) else 1.0
    n_out = min(rng.poisson(p.out_migration[year_i] / 12 / model.scale / mean_size), len(res))
    leaving = np.zeros(h.n, dtype=bool)
    leaving[rng.choice(res, size=n_out, replace=False)] = True
    dissolved = h.resident & (h.size <= 0) & ~leaving
    c.out_households = int(leaving.sum())
    c.out_persons = int(h.size[leaving].sum())
    c.dissolved = int(dissolved.sum())
    gone = np.flatnonzero(leaving | dissolved)
    if len(gone):
        vacate(model, gone)
        model.households.keep(~(leaving | dissolved))
    return c
