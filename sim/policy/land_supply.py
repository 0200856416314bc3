"""Land supply throttled by the destocking cycle, one rule for both plans.

- Panzhihua (seed 000 三(一)3 加强房地联动): four bands <6, 6–12, 12–18, >18 months; a band acts only after
  the cycle has stayed in it for 3 consecutive months (连续3个月), per 县（区）.
- Anshan (seed 002 四(五), national 住宅用地五类目标调控): five bands <6, 6–12, 12–18, 18–36, ≥36 months.

Both are a ``BandRule``: band edges (months), one multiplier per band applied to the planned supply, and the
number of consecutive months a band must hold before it becomes the acting band. Bands are right-open:
a cycle of exactly 12 months is in the 12–18 band.

Each month the government offers the year's planned land (``[land_supply] annual_plan``, ha/year) / 12, split
over districts by population share and multiplied by each district's acting band multiplier, in parcels of
``parcel_size`` ha (fractions carried to the next month); developers bid for them in ``sim.markets.land``.
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
        planned = (ls.annual_plan[state.year_index] / MONTHS_PER_YEAR / state.scale * state.district_shares
                   * self.multiplier)
        parcel_ha = ls.parcel_size / state.scale
        return state.calendar.scheduled("land_parcels", planned / parcel_ha), parcel_ha
