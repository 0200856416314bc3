"""Land supply throttled by the destocking cycle, one rule for both plans.

- Panzhihua (seed 000 三(一)3 加强房地联动): four bands <6, 6–12, 12–18, >18 months; a band acts only after
  the cycle has stayed in it for 3 consecutive months (连续3个月), per 县（区）.
- Anshan (seed 002 四(五), national 住宅用地五类目标调控): five bands <6, 6–12, 12–18, 18–36, ≥36 months.

Both are a ``BandRule``: band edges (months), one multiplier per band applied to the planned supply, and the
number of consecutive months a band must hold before it becomes the acting band. Bands are right-open:
a cycle of exactly 12 months is in the 12–18 band.

Each month the government offers the year's planned land (``[land_supply] annual_plan``, ha/year) / 12, split
over districts by ``land_shares`` and multiplied by each district's acting band multiplier, in parcels of
``parcel_size`` ha (fractions carried to the next month); developers bid for them in ``sim.markets.land``.

The split over districts (人-地-房挂钩, seed 000 三(一)3: '以半年为周期…研究全市各区域人口流入流出情况，按照人口流向
确定住房供应规模…新增土地供应向人口净流入…的区域倾斜') is reviewed every ``population_review_months``: each
district's share of the resident population, tilted by ``population_flow_tilt`` × (the district's population
growth since the last review − the city's).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..config.loader import Section
from ..state.calendar import MONTHS_PER_YEAR
from ..state.city import CityState


@dataclass(frozen=True)
class BandRule:
    edges: tuple[float, ...]          # months, increasing
    multipliers: tuple[float, ...]    # len(edges) + 1, ratio to the planned supply
    persistence_months: int           # consecutive months a band must hold before it acts

    def band_of(self, cycle: np.ndarray) -> np.ndarray:
        """Band index (0 = shortest cycle) of each district's destocking cycle."""
        return np.digitize(np.asarray(cycle, dtype=float), self.edges, right=False)


class LandSupplyMonitor:
    """Per-district state of the rule: the band seen last month, how long it has held, the acting band."""

    def __init__(self, rule: BandRule, initial_cycle: np.ndarray) -> None:
        self.rule = rule
        first = rule.band_of(initial_cycle)
        self.candidate = first.copy()
        self.run_length = np.full(first.shape, rule.persistence_months, dtype=int)
        self.acting = first.copy()  # the starting cycle is taken as having held

    def update(self, cycle: np.ndarray) -> np.ndarray:
        """Feed this month's cycles; returns the multiplier acting in each district."""
        band = self.rule.band_of(cycle)
        same = band == self.candidate
        self.run_length = np.where(same, self.run_length + 1, 1)
        self.candidate = band
        held = self.run_length >= self.rule.persistence_months
        self.acting = np.where(held, band, self.acting)
        return np.asarray(self.rule.multipliers, dtype=float)[self.acting]


def band_rule(land_supply: Section) -> BandRule:
    """The scenario's ``[land_supply]`` band rule."""
    return BandRule(tuple(land_supply.band_edges), tuple(land_supply.band_multipliers), land_supply.persistence_months)


class LandSupply:
    """The government's land-supply rule in one city: the band monitor of every district and this month's
    parcels. A variant's rule taking over from its ``from_year`` starts its bands from that month's cycles."""

    def __init__(self, state: CityState, cycles: np.ndarray) -> None:
        self.monitor = LandSupplyMonitor(band_rule(state.params.land_supply), cycles)
        self.multiplier = np.ones(state.n_districts)
        self.population = resident_population(state)   # persons per district at the last review
        self.shares = state.district_shares.copy()      # the land split since the last review

    @property
    def acting_band(self) -> np.ndarray:
        """Band index acting in each district (0 = shortest cycle)."""
        return self.monitor.acting

    def parcels(self, state: CityState, cycles: np.ndarray) -> tuple[np.ndarray, float]:
        """(parcels offered in each district this month, parcel size in ha at model scale)."""
        ls = state.params.land_supply
        rule = band_rule(ls)
        if rule != self.monitor.rule:
            self.monitor = LandSupplyMonitor(rule, cycles)
        self.multiplier = self.monitor.update(cycles)
        if state.month > 0 and state.month % ls.population_review_months == 0:
            population = resident_population(state)
            self.shares = land_shares(population, self.population, ls.population_flow_tilt)
            self.population = population
        planned = (ls.annual_plan[state.year_index] / MONTHS_PER_YEAR / state.scale * self.shares
                   * self.multiplier)
        parcel_ha = ls.parcel_size / state.scale
        return state.calendar.scheduled("land_parcels", planned / parcel_ha), parcel_ha


def resident_population(state: CityState) -> np.ndarray:
    """Resident persons per district."""
    h = state.households
    return np.bincount(h.district[h.resident], weights=h.size[h.resident], minlength=state.n_districts)


def land_shares(population: np.ndarray, population_before: np.ndarray, tilt: float) -> np.ndarray:
    """Each district's share of the land plan (人-地-房挂钩): its population share, raised where the population
    grew faster than the city's since the last review and lowered where it grew slower (a share never below 0).

    population, population_before: persons per district now and at the last review."""
    population = np.asarray(population, dtype=float)
    before = np.asarray(population_before, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        growth = np.where(before > 0, population / before - 1.0, 0.0)
    city_growth = population.sum() / before.sum() - 1.0 if before.sum() > 0 else 0.0
    weight = population * np.maximum(1.0 + tilt * (growth - city_growth), 0.0)
    total = weight.sum()
    return weight / total if total > 0 else np.full(len(population), 1.0 / len(population))
