"""What the model records every month: typed records, declared once, stored in preallocated arrays.

Processes add to this month's flows as they act (``state.flows.sales_area[d] += m²``,
``state.city_flows.escrow_deposits += 元``); at the end of the month the model measures the stocks, and the
``MonthlyRecords`` store keeps one row per district and one for the city. Every recorded quantity is a field of
one of four dataclasses, whose metadata says whether it is a flow (adds over months), a stock (taken at the
last month) or a maximum over the year, and whether it is multiplied by the model's scale to stand for the whole
city. ``RAW`` is that registry; ``sim.indicators`` derives the plans' indicators from it. All amounts are at
model scale, in base units: m², 元, ha, counts, months.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
import pandas as pd

from .calendar import MONTHS_PER_YEAR

CITY = "all"   # the district label of the city's own rows


def _raw(kind: str, scaled: bool = True, city: str = "sum") -> Any:
    return field(metadata={"kind": kind, "scaled": scaled, "city": city})


@dataclass(frozen=True)
class Raw:
    kind: str      # "flow" adds over months; "stock" is taken at the last month; "max" is the largest
    scaled: bool   # multiplied by the model's scale to stand for the whole city
    per_district: bool   # recorded for each district, or for the city only
    city: str      # for a per-district quantity, the city's figure: "sum" of the districts' or their "max"


@dataclass
class DistrictFlows:
    """This month's flows per district (arrays of length n_districts); the city's figure is their sum."""

    sales_area: np.ndarray = _raw("flow")               # m² of new homes sold
    sales_value: np.ndarray = _raw("flow")              # 元
    supply_area: np.ndarray = _raw("flow")              # m² newly permitted for presale (达到销售条件)
    land_supplied: np.ndarray = _raw("flow")            # ha transacted
    land_offered: np.ndarray = _raw("flow")             # ha offered
    land_revenue: np.ndarray = _raw("flow")             # 元
    investment: np.ndarray = _raw("flow")               # 元: land purchases + construction
    rescue_spending: np.ndarray = _raw("flow")          # 元 of public funds finishing problem projects
    resale_area: np.ndarray = _raw("flow")              # m²
    resale_value: np.ndarray = _raw("flow")             # 元
    subsidy_spending: np.ndarray = _raw("flow")         # 元 of rental subsidies paid
    subsidies_granted: np.ndarray = _raw("flow")        # households
    subsidised_months: np.ndarray = _raw("flow")        # households × months paid a rental subsidy
    guaranteed_rental_units: np.ndarray = _raw("flow")  # dwellings
    non_resident_purchases: np.ndarray = _raw("flow")   # homes
    problem_new: np.ndarray = _raw("flow", scaled=False)       # projects that stalled
    problem_resolved: np.ndarray = _raw("flow", scaled=False)  # problem projects taken over
    seasonal_homes_let: np.ndarray = _raw("flow")       # dwellings held for seasonal use put on the rental market
    inventory_withdrawn: np.ndarray = _raw("flow")      # m² of unsold homes off sale as their developer failed,
                                                        # less those a rescue put back on sale

    @classmethod
    def zeros(cls, n_districts: int) -> DistrictFlows:
        return cls(**{f.name: np.zeros(n_districts) for f in fields(cls)})


@dataclass
class CityFlows:
    """This month's flows recorded for the city only."""

    births: float = _raw("flow")
    deaths: float = _raw("flow")
    formed: float = _raw("flow")            # households formed by split-off
    dissolved: float = _raw("flow")
    in_households: float = _raw("flow")
    in_persons: float = _raw("flow")
    out_households: float = _raw("flow")
    out_persons: float = _raw("flow")
    blocked: float = _raw("flow")           # households not formed or not arrived for want of a rental
    shantytown_cash: float = _raw("flow")
    shantytown_purchase: float = _raw("flow")
    shantytown_resettled: float = _raw("flow")
    escrow_deposits: float = _raw("flow")   # 元
    escrow_releases: float = _raw("flow")   # 元
    pf_lending: float = _raw("flow")        # 元 of provident-fund mortgages
    pf_loans: float = _raw("flow")          # provident-fund mortgages

    @classmethod
    def zeros(cls) -> CityFlows:
        return cls(**{f.name: 0.0 for f in fields(cls)})


@dataclass
class DistrictStocks:
    """Stocks per district at the end of the month."""

    inventory_area: np.ndarray = _raw("stock")      # m² unsold and saleable
    trailing_sales: np.ndarray = _raw("stock")      # m²/month, mean over the trailing window
    escrow_balance: np.ndarray = _raw("stock")      # 元
    problem_projects: np.ndarray = _raw("stock", scaled=False)
    households: np.ndarray = _raw("stock")
    population: np.ndarray = _raw("stock")
    income_sum: np.ndarray = _raw("stock")          # 元/year
    floor_area: np.ndarray = _raw("stock")          # m² lived in
    dwellings_total: np.ndarray = _raw("stock")
    dwellings_empty: np.ndarray = _raw("stock")
    non_resident_empty: np.ndarray = _raw("stock")
    subsidy_households: np.ndarray = _raw("stock")
    public_tenants: np.ndarray = _raw("stock")
    rental_waiting: np.ndarray = _raw("stock")
    rent_x_households: np.ndarray = _raw("stock")   # 元/㎡/month × households
    tenant_rent: np.ndarray = _raw("stock")         # 元/month tenants pay, net of rental subsidies
    tenant_income: np.ndarray = _raw("stock")       # 元/month, tenants' incomes
    approved_rent: np.ndarray = _raw("stock")       # 元/month tenants approved for rental support pay, net
    approved_income: np.ndarray = _raw("stock")     # 元/month, their incomes
    land_band: np.ndarray = _raw("stock", scaled=False, city="max")   # acting land-supply band (0 = shortest cycle)


@dataclass
class CityStocks:
    """Stocks of the city only at the end of the month."""

    developers_failed: float = _raw("stock", scaled=False)
    red_line_developers: float = _raw("stock", scaled=False)
    rental_max_wait: float = _raw("max", scaled=False)   # months
    developer_cash: float = _raw("stock")                # 元 held by developers still trading (negative: arrears)


def _registry() -> dict[str, Raw]:
    out = {}
    for cls, per_district in ((DistrictFlows, True), (CityFlows, False), (DistrictStocks, True),
                              (CityStocks, False)):
        for f in fields(cls):
            out[f.name] = Raw(f.metadata["kind"], f.metadata["scaled"], per_district, f.metadata["city"])
    return out


RAW: dict[str, Raw] = _registry()
_DISTRICT_COLUMNS = [k for k, r in RAW.items() if r.per_district]
_CITY_COLUMNS = [k for k, r in RAW.items() if not r.per_district]


class MonthlyRecords:
    """Every month's raw quantities, per district and for the city, in one preallocated array."""

    def __init__(self, district_names: list[str], n_months: int, start_year: int) -> None:
        self.district_names = list(district_names)
        self.start_year = start_year
        n_rows = len(district_names) + 1          # the districts, then the city
        self.values = np.full((n_months, n_rows, len(RAW)), np.nan)
        self.months_recorded = 0
        self._district_idx = np.array([list(RAW).index(k) for k in _DISTRICT_COLUMNS])
        self._city_idx = np.array([list(RAW).index(k) for k in _CITY_COLUMNS])

    def record(self, month: int, flows: DistrictFlows, city_flows: CityFlows, stocks: DistrictStocks,
               city_stocks: CityStocks) -> None:
        """Store one month: each district's flows and stocks; the city's sums and its own quantities."""
        per_district = [getattr(flows, k) if hasattr(flows, k) else getattr(stocks, k) for k in _DISTRICT_COLUMNS]
        row = self.values[month]
        row[:-1, self._district_idx] = np.column_stack(per_district)
        row[-1, self._district_idx] = [float(np.max(v)) if RAW[k].city == "max" else float(np.sum(v))
                                       for k, v in zip(_DISTRICT_COLUMNS, per_district, strict=True)]
        row[-1, self._city_idx] = [float(getattr(city_flows, k)) if hasattr(city_flows, k)
                                   else float(getattr(city_stocks, k)) for k in _CITY_COLUMNS]
        self.months_recorded = max(self.months_recorded, month + 1)

    def table(self) -> pd.DataFrame:
        """Long raw table: one row per month and district (the city last, as ``CITY``), one column per
        quantity; city-only quantities are NaN on district rows."""
        n = self.months_recorded
        n_rows = len(self.district_names) + 1
        month = np.repeat(np.arange(n), n_rows)
        frame = pd.DataFrame(self.values[:n].reshape(n * n_rows, len(RAW)), columns=list(RAW))
        frame.insert(0, "month", month)
        frame.insert(0, "year", self.start_year + month // MONTHS_PER_YEAR)
        frame.insert(0, "district", np.tile(np.array([*self.district_names, CITY], dtype=object), n))
        return frame
