"""The city's state: households, dwellings, projects, developers, prices and rents, the calendar, and this
month's records. Every process (demography, demand, the markets, developers, the government's rules) reads and
changes this object; none of them knows the model that schedules it.

The model is a 1/scale replica of the city: every extensive quantity is divided by ``scale`` (one household row
stands for ``scale`` households) and every extensive output multiplied back.
"""
from __future__ import annotations

import numpy as np

from ..config.loader import Scenario, Section
from . import dwellings as dw
from .calendar import Calendar
from .developers import FAILED, DeveloperView
from .dwellings import DwellingStock
from .households import HouseholdTable
from .projects import Project
from .records import CityFlows, DistrictFlows
from .tables import count_by_district


def rental_vacancy(vacant_lettable: np.ndarray, rented: np.ndarray) -> np.ndarray:
    """Share of lettable dwellings standing empty, per district."""
    total = vacant_lettable + rented
    return np.where(total > 0, vacant_lettable / np.maximum(total, 1), 0.0)


class CityState:
    """Everything that describes the city in the current month (see the module docstring)."""

    def __init__(self, scenario: Scenario, scale: int, households: HouseholdTable, dwellings: DwellingStock
                 ) -> None:
        self.scenario = scenario
        self.scale = scale
        self.calendar = Calendar()
        self._params_month = -1
        self.districts = scenario.districts
        self.profile = scenario.profile
        self.unit_size = self.params.simulation.unit_size_new        # m² of a new home
        self.district_shares = np.array([d.population_share for d in self.districts])
        odds = np.array([d.non_resident_share / max(1 - d.non_resident_share, 1e-9) for d in self.districts])
        self.non_resident_weights = self.district_shares * odds / (self.district_shares * odds).sum()
        self.households = households
        self.dwellings = dwellings
        self.projects: list[Project] = []             # every project the rules still act on, oldest first
        self.finished_projects: list[Project] = []    # set aside by ``set_aside_finished_projects``
        self.developers: list[DeveloperView] = []
        self._developer_by_id: dict[int, DeveloperView] = {}
        self._project_ids = 0
        n = len(self.districts)
        self.new_price = np.full(n, self.profile.housing.avg_price)                      # 元/㎡
        self.price_history = np.tile(self.new_price, (self.params.demand.price_memory_months + 1, 1))  # oldest first
        self.rent = np.full(n, self.profile.housing.avg_rent)                            # 元/㎡/month
        monthly_sales = self.profile.housing.monthly_sales / scale * self.district_shares   # m²/month
        self.sales_history = np.tile(monthly_sales, (self.params.simulation.trailing_sales_months, 1))
        self.unmet_buyers = np.zeros(n)
        # homes sold and homes on offer at month start, per district, over the pricing window (oldest first)
        window = self.params.developers.sell_through_months
        self.units_sold_history = np.zeros((window, n))
        self.units_offered_history = np.zeros((window, n))
        self.reference_rental_vacancy = self.rental_vacancy()
        self.rental_max_wait = 0           # months, longest wait among rental-support applicants this month
        self._last_mean_income = 0.0       # 元/year, kept for a city everyone has left
        self.new_month()

    # --- parameters and calendar -----------------------------------------------------------------------
    @property
    def params(self) -> Section:
        """The scenario's parameters acting this month (a variant's own from its ``from_year``)."""
        month = self.calendar.month
        if month != self._params_month:     # read thousands of times a month: looked up once
            self._params, self._params_month = self.scenario.params_at(self.calendar.year), month
        return self._params

    @property
    def month(self) -> int:
        return self.calendar.month

    @property
    def year(self) -> int:
        return self.calendar.year

    @property
    def year_index(self) -> int:
        return self.calendar.year_index

    @property
    def month_of_year(self) -> int:
        return self.calendar.month_of_year

    @property
    def n_districts(self) -> int:
        return len(self.districts)

    def new_month(self) -> None:
        """Fresh flow records for the month about to be simulated."""
        self.flows = DistrictFlows.zeros(self.n_districts)
        self.city_flows = CityFlows.zeros()
        self.rental_max_wait = 0

    # --- developers and projects -----------------------------------------------------------------------
    def add_developer(self, developer: DeveloperView) -> None:
        self.developers.append(developer)
        self._developer_by_id[developer.unique_id] = developer

    def developer(self, unique_id: int) -> DeveloperView:
        return self._developer_by_id[unique_id]

    def next_project_id(self) -> int:
        self._project_ids += 1
        return self._project_ids

    def add_project(self, developer: DeveloperView, project: Project) -> None:
        developer.projects.append(project)
        self.projects.append(project)

    def set_aside_finished_projects(self) -> None:
        """Month end: finished projects (``Project.finished``) leave ``projects`` and their developers' lists for
        ``finished_projects``, so that the monthly loops over projects do not grow with the years. Nothing
        changes in any rule: a finished project adds exactly 0 to every sum and passes no filter."""
        finished = {pr.pid for pr in self.projects if pr.finished}
        if not finished:
            return
        self.finished_projects += [pr for pr in self.projects if pr.pid in finished]
        self.projects = [pr for pr in self.projects if pr.pid not in finished]
        for dev in self.developers:
            dev.projects = [pr for pr in dev.projects if pr.pid not in finished]

    def may_sell(self, pr: Project) -> bool:
        """A project sells while it has saleable units and its developer stands (or it has been rescued)."""
        return pr.saleable_units > 0 and (self.developer(pr.developer_id).status != FAILED or pr.rescued)

    # --- measures --------------------------------------------------------------------------------------
    def mean_income(self) -> float:
        """元/year, mean over resident households (in a city everyone has left, the last residents' mean, so
        newcomers and eligibility lines keep their meaning)."""
        h = self.households
        incomes = h.income[h.resident]
        if incomes.size:
            self._last_mean_income = float(incomes.mean())
        return self._last_mean_income

    def inventory_area_by_district(self) -> np.ndarray:
        """m² of unsold homes that may be sold now, per district."""
        on_sale = [pr for pr in self.projects if self.may_sell(pr)]
        return np.bincount([pr.district for pr in on_sale], weights=[pr.saleable_units * pr.unit_area
                                                                     for pr in on_sale],
                           minlength=self.n_districts).astype(float)

    @property
    def sales_history(self) -> np.ndarray:
        """New-home sales (m², model scale) per month (rows, oldest first) and district."""
        return self._sales_history

    @sales_history.setter
    def sales_history(self, history: np.ndarray) -> None:
        self._sales_history = history
        self._trailing_sales: tuple[int, np.ndarray] | None = None     # (window, mean), made when first read

    def trailing_sales_area(self) -> np.ndarray:
        """Mean monthly new-home sales (m², model scale) per district over the trailing window (read-only)."""
        window = self.params.simulation.trailing_sales_months
        if self._trailing_sales is None or self._trailing_sales[0] != window:
            mean = self._sales_history[-window:].mean(axis=0)
            mean.flags.writeable = False
            self._trailing_sales = (window, mean)
        return self._trailing_sales[1]

    def rental_vacancy(self) -> np.ndarray:
        """Share of lettable dwellings standing empty, per district."""
        stock, n = self.dwellings, self.n_districts
        lettable = stock.lettable()
        vacant = count_by_district(stock.district, lettable & (stock.status == dw.VACANT), n)
        rented = count_by_district(stock.district, lettable & (stock.status == dw.RENTED), n)
        return rental_vacancy(vacant, rented)

    def record_sale(self, district: int, area: float, value: float) -> None:
        """New-home sales: m² and 元."""
        self.flows.sales_area[district] += area
        self.flows.sales_value[district] += value
