"""The housing-market model (mesa.Model): the monthly schedule, 2016-01 … 2025-12, in the plans' order
(DESIGN §3.3).

1. households' incomes, savings and mortgages; demography (births, deaths, formation, migration)
2. the government's rules (``Government.step``): shantytown resettlement, destocking cycle, land supply,
   presale permits, escrow releases, problem-project rescue, rental support, guaranteed rental housing
3. developers: debt service, construction, stalling and failure; completed projects are delivered
4. households decide to buy; new-home and resale markets clear
5. prices and rents adjust
6. the month is recorded (``state.records``)

The city's state (``sim.state.CityState``) holds everything that changes; each process lives in its own module
and receives the state. The model is a 1/scale replica of the city: every extensive input is divided by
``scale`` and every extensive output multiplied back. All randomness comes from the model's ``rng``
(``mesa.Model(rng=seed)``), split into one independent stream per decision (``sim.state.random_streams``): a
policy that changes how many draws one decision makes leaves every other decision's draws untouched, so
scenarios run on the same seed differ only through the policy (common random numbers for ``compare``).
"""
from __future__ import annotations

import mesa
import pandas as pd

from . import indicators
from .agents import demand, demography, household_finances
from .agents.developer import Developer
from .agents.government import Government
from .config.loader import Scenario
from .markets import clearing, pricing, rental, settlement
from .setup import build_city
from .state.calendar import N_MONTHS, START_YEAR
from .state.city import CityState
from .state.random_streams import RandomStreams
from .state.records import MonthlyRecords

__all__ = ["N_MONTHS", "HousingMarketModel"]


class HousingMarketModel(mesa.Model):
    """Households (column arrays), developers and the government of one city under one scenario.

    ``model.state`` is the city (households, dwellings, projects, prices …); ``model.results()`` gives the
    annual and monthly indicator tables, ``model.annual_table()`` the annual one alone. The scenario is
    ``model.state.scenario`` (``mesa.Model.scenario`` is Mesa's own experiment record and is left to Mesa).
    """

    def __init__(self, scenario: Scenario, seed: int = 0, scale: int = 1) -> None:
        super().__init__(rng=seed)
        self.streams = RandomStreams.spawn(self.rng)
        self.state: CityState = build_city(self, scenario, scale, self.streams.setup)
        self.government = Government(self, self.state, self.streams)
        self.state.new_month()
        self.records = MonthlyRecords([d.name for d in self.state.districts], N_MONTHS, START_YEAR)

    # --- the monthly step ------------------------------------------------------------------------------
    def step(self) -> None:
        s = self.state
        if s.calendar.finished:
            self.running = False
            return
        s.new_month()
        developers = self.agents_by_type[Developer]
        developers.do("start_month")
        household_finances.step(s, self.streams.income_shocks)
        rental.let_seasonal_homes(s, self.streams.seasonal_letting)
        demography.step(s, self.streams)
        self.government.step()
        developers.do("step")
        settlement.deliver_completed(s)
        buyers = demand.draw_buyers(s, self.streams)
        clearing.clear(s, buyers, self.streams)
        pricing.adjust_prices(s)
        rental.adjust_rents(s)
        self._record()
        s.set_aside_finished_projects()
        s.calendar.advance()
        if s.calendar.finished:
            self.running = False

    def _record(self) -> None:
        """Measure the end-of-month stocks and store the month's record."""
        s = self.state
        measured = indicators.measure(s, self.government.land_supply.acting_band)
        self.records.record(s.month, s.flows, s.city_flows, *measured)

    # --- results ---------------------------------------------------------------------------------------
    def run(self, until_year: int | None = None) -> None:
        """Step to the end of 2025, or to the end of ``until_year`` (a calibration needs only the years its
        figures cover; the tables then end with that year)."""
        while self.running and not self.state.calendar.finished:
            if until_year is not None and self.state.year > until_year:
                return
            self.step()

    def raw_table(self) -> pd.DataFrame:
        """Every month's raw records (model scale), one row per district and one for the city."""
        return self.records.table()

    def results(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(annual long table, monthly long table) of the indicators."""
        s = self.state
        return indicators.tables(self.raw_table(), s.scale, s.params.simulation, s.scenario.city)

    def annual_table(self) -> pd.DataFrame:
        """The annual long table of the indicators alone (``results()[0]``), without the monthly table that
        batches and calibrations do not keep."""
        s = self.state
        return indicators.annual_table(self.raw_table(), s.scale, s.params.simulation, s.scenario.city)
