"""The 2016-01 population of households and the housing stock they live in, built from a city profile.

The model is a 1/scale replica of the city: every extensive quantity is divided by ``scale``.
"""
from __future__ import annotations

import numpy as np

from ..config.loader import Section
from ..state import dwellings as dw
from ..state import households as hh
from ..state.calendar import MONTHS_PER_YEAR
from ..state.households import household_sizes, lognormal_with_mean


def build_population(profile: Section, districts: list[Section], scale: int, rng: np.random.Generator
                     ) -> tuple[hh.HouseholdTable, dw.DwellingStock]:
    pop, housing = profile.population, profile.housing
    n = int(round(pop.urban_population / pop.household_size / scale))
    shares = np.array([d.population_share for d in districts])
    households = hh.HouseholdTable(capacity=int(n * 1.3) + 1024)
    district = rng.choice(len(districts), size=n, p=shares).astype(np.int8)
    size = household_sizes(rng, pop.household_size, n)
    income = lognormal_with_mean(rng, pop.income_mean, pop.income_sigma, n)
    savings = pop.savings_months * income / MONTHS_PER_YEAR * lognormal_with_mean(rng, 1.0, pop.savings_sigma, n)

    # tenure: public-rental tenants are the lowest incomes; owners are drawn with odds rising with income
    n_public = int(round(housing.public_rental_occupied / scale))
    income_rank = np.argsort(np.argsort(income)) / max(n - 1, 1)
    tenure = np.full(n, hh.RENTER, dtype=np.int8)
    order = np.argsort(income)
    tenure[order[:n_public]] = hh.PUBLIC_TENANT
    not_public = tenure != hh.PUBLIC_TENANT
    owner_score = income_rank + rng.normal(0, pop.owner_income_noise, n)
    n_owner = int(round(pop.owner_share * n))
    candidates = np.flatnonzero(not_public)
    owners = candidates[np.argsort(-owner_score[candidates])[:n_owner]]
    tenure[owners] = hh.OWNER
    rows = households.add(n, district=district, size=size, income=income, savings=savings, tenure=tenure,
                          n_owned=(tenure == hh.OWNER).astype(np.int16),
                          pf_member=rng.random(n) < pop.provident_fund_member_share)

    # dwellings: one per household, public units, then vacant ones (vacancy share of the whole stock)
    stock = dw.DwellingStock(capacity=int(n * 1.6) + 1024)
    n_public_units = int(round(housing.public_rental_units / scale))
    n_occupied = n
    n_total = int(round((n_occupied + (n_public_units - n_public)) / (1 - housing.vacancy_rate)))
    n_vacant = max(n_total - n_occupied - (n_public_units - n_public), 0)
    target_area = housing.per_capita_floor_area * size.sum()

    # relative floor area: grows with household size and income; scaled so the stock matches per-capita area
    rel = (size ** housing.area_size_elasticity * (income / income.mean()) ** housing.area_income_elasticity
           * rng.lognormal(0, housing.area_sigma, n))
    rel_vacant = rng.lognormal(0, housing.vacant_area_sigma, n_vacant) * np.median(rel)
    old_years, newer_years = [tuple(int(y) for y in housing[k]) for k in ("old_stock_build_years",
                                                                          "newer_stock_build_years")]
    public_area = housing.public_rental_size
    commercial_area = target_area - public_area * n_public_units
    unit = commercial_area / (rel[tenure != hh.PUBLIC_TENANT].sum() + rel_vacant.sum())
    area = np.where(tenure == hh.PUBLIC_TENANT, public_area, rel * unit)

    old = rng.random(n) < housing.old_stock_share
    build_year = np.where(old, rng.integers(*old_years, n), rng.integers(*newer_years, n))
    kind = np.where(tenure == hh.PUBLIC_TENANT, dw.PUBLIC_RENTAL, dw.COMMERCIAL)
    status = np.where(tenure == hh.OWNER, dw.OWNER_OCCUPIED, dw.RENTED)
    # landlords of private rentals are resident owners who own a second dwelling
    owner = np.where(tenure == hh.OWNER, households.hid, dw.OWNER_GOVERNMENT)
    renters = np.flatnonzero(tenure == hh.RENTER)
    owner_rows = np.flatnonzero(tenure == hh.OWNER)
    rich_owner_p = income[owner_rows] / income[owner_rows].sum()
    landlords = rng.choice(owner_rows, size=len(renters), p=rich_owner_p)
    owner[renters] = households.hid[landlords]
    np.add.at(households.column("n_owned"), landlords, 1)
    occupied = stock.append(n, district=district, area=area, kind=kind, status=status, owner=owner,
                            build_year=build_year, project=-1)
    households.column("dwelling")[rows] = occupied

    # public rental units not let, and the vacant commercial stock (seasonal homes of non-residents, second homes)
    n_public_vacant = n_public_units - n_public
    stock.append(n_public_vacant, district=rng.choice(len(districts), n_public_vacant, p=shares),
                 area=public_area, kind=dw.PUBLIC_RENTAL, status=dw.VACANT, owner=dw.OWNER_GOVERNMENT,
                 build_year=rng.integers(*newer_years, n_public_vacant), project=-1)
    non_res = rng.random(n_vacant) < housing.non_resident_vacant_share
    vacant_owner = np.full(n_vacant, dw.OWNER_ABSENT, dtype=np.int64)
    second = np.flatnonzero(~non_res)
    second_owners = rng.choice(owner_rows, size=len(second), p=rich_owner_p)
    vacant_owner[second] = households.hid[second_owners]
    np.add.at(households.column("n_owned"), second_owners, 1)
    vacant_old = rng.random(n_vacant) < housing.old_stock_share
    stock.append(n_vacant, district=rng.choice(len(districts), n_vacant, p=shares), area=rel_vacant * unit,
                 kind=dw.COMMERCIAL, status=dw.VACANT, owner=vacant_owner, non_resident=non_res,
                 build_year=np.where(vacant_old, rng.integers(*old_years, n_vacant),
                                     rng.integers(*newer_years, n_vacant)), project=-1)
    return households, stock
