"""The plans' indicators (DESIGN §3.5), monthly and annual, for the city and each district.

Every month the model records *raw* quantities that add up across districts (areas, money, counts) at model
scale. Indicators are derived from them by one set of formulas, whatever the aggregation: a district month,
the city month, a district year or the city year. Over a year flows add up, stocks are taken at December, and
a few (the longest wait for rental support) take the year's maximum. Ratios (average price, destocking cycle,
per-capita floor area …) are then formed from the aggregated parts, so the annual average price is annual
sales value / annual sales area, as the statistics define it.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .markets.rental import rent_due
from .policy.destocking_cycle import destocking_cycle
from .policy.red_lines import is_red_line_developer
from .policy.rental_support import approved_private_renters, subsidies
from .state import dwellings as dw
from .state import households as hh
from .state.calendar import MONTHS_PER_YEAR
from .state.city import CityState
from .state.developers import FAILED
from .state.records import CITY, RAW, CityStocks, DistrictStocks
from .state.tables import count_by_district

__all__ = ["CITY", "CITY_ONLY", "RAW", "INDICATORS", "CHINESE_NAMES", "FLOW_INDICATORS", "Indicator", "measure",
           "derive", "annual_table", "tables"]

WAN, YI = 1e4, 1e8   # 万 and 亿: the plans' units of area (万㎡) and money (亿元, 万元)

Formula = Callable[[pd.DataFrame, Mapping[str, float]], Any]


@dataclass(frozen=True)
class Indicator:
    """One of the plans' indicators, declared once: its unit, Chinese and English names, how it aggregates
    over a period, and its formula from the (scaled, aggregated) raw records.

    kind: "flow" adds up over months and years (the plans' five-year totals); "stock" is the level at the end of
    the period; "ratio" is formed from aggregated parts (annual price = annual value / annual area); "max" is the
    period's largest value. A district's and the city's figure use the same formula; the city's raw parts are
    the sum of the districts' (``state.records``)."""

    unit: str
    zh: str
    description: str
    kind: str
    formula: Formula
    infinite: bool = False   # an infinite value means something (the cycle of stock that does not sell) and is kept


def _served(r: pd.DataFrame) -> pd.Series:
    return r.public_tenants + r.subsidy_households


def _avg_price(r: pd.DataFrame) -> pd.Series:
    return r.sales_value / r.sales_area


def _i(unit: str, zh: str, description: str, kind: str, formula: Formula, infinite: bool = False) -> Indicator:
    return Indicator(unit, zh, description, kind, formula, infinite)


INDICATORS: dict[str, Indicator] = {
    "sales_area": _i("万㎡", "商品住房销售面积", "new commercial housing sold", "flow",
                     lambda r, m: r.sales_area / WAN),
    "sales_value": _i("亿元", "商品住房销售额", "value of new commercial housing sold", "flow",
                      lambda r, m: r.sales_value / YI),
    "avg_price": _i("元/㎡", "商品住房均价", "sales value / sales area", "ratio", lambda r, m: _avg_price(r)),
    "inventory_area": _i("万㎡", "商品住房库存面积", "unsold saleable new housing (permitted or completed)", "stock",
                         lambda r, m: r.inventory_area / WAN),
    "destocking_cycle": _i("months", "去化周期", "inventory / mean monthly sales over the trailing window (去化周期)",
                           "ratio", lambda r, m: destocking_cycle(r.inventory_area, r.trailing_sales), infinite=True),
    "supply_area": _i("万㎡", "商品住房供应面积", "new housing reaching sale conditions (达到销售条件)", "flow",
                      lambda r, m: r.supply_area / WAN),
    "inventory_withdrawn": _i("万㎡", "破产企业退出可售面积",
                              "unsold homes taken off sale as their developer failed, less those a rescue put back "
                              "(inventory = last year's + supply − sales − this)", "flow",
                              lambda r, m: r.inventory_withdrawn / WAN),
    "land_supplied": _i("ha", "住宅用地成交面积", "residential land transacted", "flow", lambda r, m: r.land_supplied),
    "investment": _i("亿元", "房地产开发投资",
                     "real-estate development investment: residential / its share (all property types)", "flow",
                     lambda r, m: r.investment / m["residential_investment_share"] / YI),
    "residential_investment": _i("亿元", "住宅开发投资", "residential land purchases + construction spending", "flow",
                                 lambda r, m: r.investment / YI),
    "per_capita_floor_area": _i("m²/person", "人均住房建筑面积", "housing stock / urban resident population", "ratio",
                                lambda r, m: r.floor_area / r.population),
    "price_to_income": _i("ratio", "房价收入比", "avg price × new-home size / mean household income", "ratio",
                          lambda r, m: _avg_price(r) * m["unit_size_new"] / (r.income_sum / r.households)),
    "problem_projects": _i("count", "问题楼盘", "stalled projects not yet rescued (问题楼盘)", "stock",
                           lambda r, m: r.problem_projects),
    "escrow_balance": _i("亿元", "预售资金监管余额", "presale funds held in supervised accounts", "stock",
                         lambda r, m: r.escrow_balance / YI),
    "subsidy_households": _i("count", "租赁补贴户数", "households receiving a rental subsidy", "stock",
                             lambda r, m: r.subsidy_households),
    "public_rental_coverage": _i("share", "公租房保障覆盖率",
                                 "served / (served + waiting) among approved applicants (应保尽保)", "ratio",
                                 lambda r, m: _served(r) / (_served(r) + r.rental_waiting)),
    "vacancy_rate": _i("share", "住房空置率",
                       "vacant, listed or unsold dwellings / all dwellings, less the share of non-residents' homes "
                       "the survey finds lived in (seasonal residents)", "ratio",
                       lambda r, m: (r.dwellings_empty - m["seasonal_occupied_share"] * r.non_resident_empty)
                       / r.dwellings_total),
    "rent_burden": _i("share", "租金收入比", "rent tenants pay net of rental subsidies / their incomes (private, "
                      "guaranteed and public rental tenants)", "ratio", lambda r, m: r.tenant_rent / r.tenant_income),
    "approved_rent_burden": _i("share", "保障对象租金收入比",
                               "rent net of subsidies / income of the private renters approved for rental "
                               "support: holding a subsidy or waiting for one (轮候)", "ratio",
                               lambda r, m: r.approved_rent / r.approved_income),
    "avg_rent": _i("元/㎡/month", "平均租金", "market rent, household-weighted", "ratio",
                   lambda r, m: r.rent_x_households / r.households),
    "households": _i("count", "城镇常住户数", "urban resident households", "stock", lambda r, m: r.households),
    "population": _i("persons", "城镇常住人口", "urban resident population", "stock", lambda r, m: r.population),
    "resale_area": _i("万㎡", "二手房成交面积", "resale homes sold (二手房)", "flow", lambda r, m: r.resale_area / WAN),
    "land_offered": _i("ha", "住宅用地供应面积", "residential land offered", "flow", lambda r, m: r.land_offered),
    "land_revenue": _i("亿元", "土地出让收入", "land sale revenue", "flow", lambda r, m: r.land_revenue / YI),
    "land_price": _i("万元/ha", "住宅用地成交均价", "land sale revenue / residential land transacted", "ratio",
                     lambda r, m: r.land_revenue / WAN / r.land_supplied),
    "subsidy_spending": _i("万元", "租赁补贴支出", "rental subsidies paid", "flow",
                           lambda r, m: r.subsidy_spending / WAN),
    "subsidy_household_years": _i("households × years", "租赁补贴户数（户·年）",
                                  "households subsidised, counted per year of subsidy (the plans' yearly subsidy "
                                  "counts)", "flow", lambda r, m: r.subsidised_months / MONTHS_PER_YEAR),
    "subsidies_granted": _i("count", "新增租赁补贴户数", "new rental subsidies granted", "flow",
                            lambda r, m: r.subsidies_granted),
    "public_rental_share": _i("share", "公租房保障比例",
                              "public rental incl. subsidies / urban households (000 附件 7 definition)", "ratio",
                              lambda r, m: _served(r) / r.households),
    "rental_waiting": _i("count", "轮候家庭数", "approved applicants not yet served", "stock",
                         lambda r, m: r.rental_waiting),
    "rental_max_wait": _i("months", "最长轮候时间", "longest wait among low-income applicants (低保、低收入, the "
                          "应保尽保 group; annual: the year's maximum)", "max", lambda r, m: r.rental_max_wait),
    "guaranteed_rental_units": _i("units", "保障性租赁住房筹集", "guaranteed rental units raised (保障性租赁住房)",
                                  "flow", lambda r, m: r.guaranteed_rental_units),
    "escrow_deposits": _i("亿元", "预售资金入账", "presale receipts deposited in escrow", "flow",
                          lambda r, m: r.escrow_deposits / YI),
    "escrow_releases": _i("亿元", "预售资金拨付",
                          "escrow released by construction node (or used to finish rescued projects)", "flow",
                          lambda r, m: r.escrow_releases / YI),
    "provident_fund_lending": _i("亿元", "公积金贷款发放额", "provident-fund mortgage lending", "flow",
                                 lambda r, m: r.pf_lending / YI),
    "provident_fund_loans": _i("count", "公积金贷款笔数", "provident-fund mortgages granted", "flow",
                               lambda r, m: r.pf_loans),
    "problem_projects_new": _i("count", "新增问题楼盘", "projects that stalled", "flow", lambda r, m: r.problem_new),
    "problem_projects_resolved": _i("count", "问题楼盘化解", "problem projects taken over (化解)", "flow",
                                    lambda r, m: r.problem_resolved),
    "developers_failed": _i("count", "出险房企", "developers that have failed", "stock",
                            lambda r, m: r.developers_failed),
    "red_line_developers": _i("count", "踩线房企", "developers crossing the red-line threshold", "stock",
                              lambda r, m: r.red_line_developers),
    "non_resident_purchases": _i("count", "市外人群购房套数", "homes bought by non-resident buyers", "flow",
                                 lambda r, m: r.non_resident_purchases),
    "land_band": _i("band", "土地供应调控档位",
                    "band of the land-supply rule acting in the district (0 = shortest destocking cycle; the "
                    "city: the highest band acting in any district)", "stock", lambda r, m: r.land_band),
    "shantytown_households": _i("count", "棚户区改造安置户数", "households resettled by shantytown redevelopment",
                                "flow", lambda r, m: r.shantytown_cash + r.shantytown_purchase
                                + r.shantytown_resettled),
    "households_turned_away": _i("count", "因无房可租未能落户户数",
                                 "new and in-migrant households that found no vacant rental (they do not form or "
                                 "do not arrive)", "flow", lambda r, m: r.blocked),
    "seasonal_homes_let": _i("count", "季节性住房转出租套数",
                             "non-residents' seasonal homes their owners put on the rental market", "flow",
                             lambda r, m: r.seasonal_homes_let),
    "developer_cash": _i("亿元", "房企自有资金", "cash held by developers still trading, outside escrow (negative: "
                         "arrears)", "stock", lambda r, m: r.developer_cash / YI),
}

# views of the registry: the plans' Chinese names (shown beside the English ones in reports), and the
# indicators that are flows over a period (they add up over years; the others are stocks or ratios)
CHINESE_NAMES: dict[str, str] = {k: v.zh for k, v in INDICATORS.items()}
FLOW_INDICATORS = frozenset(k for k, v in INDICATORS.items() if v.kind == "flow")


def derive(raw: pd.DataFrame, measurement: Mapping[str, float]) -> pd.DataFrame:
    """Indicators from (already scaled) raw quantities; one row in, one row out.

    ``measurement`` is the scenario's ``simulation`` section: ``investment`` is the plans' real-estate
    development investment, all property types — the model's residential investment (land + construction)
    divided by ``residential_investment_share``; the vacancy survey counts ``seasonal_occupied_share`` of the
    non-residents' empty homes as lived in; the price-to-income ratio is for a home of ``unit_size_new``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out = pd.DataFrame({name: ind.formula(raw, measurement) for name, ind in INDICATORS.items()},
                           index=raw.index)
    accidental = [name for name, ind in INDICATORS.items() if not ind.infinite]   # x / 0 of an empty city
    out[accidental] = out[accidental].replace([np.inf, -np.inf], np.nan)
    return out


def _city_only() -> frozenset[str]:
    """Indicators built from quantities the model records for the city only (developers, migration, escrow and
    provident-fund totals): they have no district rows."""
    probe = pd.DataFrame([{k: (1.0 if r.per_district else np.nan) for k, r in RAW.items()}])
    probe_m = {"residential_investment_share": 1.0, "seasonal_occupied_share": 0.5, "unit_size_new": 100.0}
    values = derive(probe, probe_m).iloc[0]
    return frozenset(values.index[values.isna()])


CITY_ONLY = _city_only()
EMPTY_STATUS = np.isin(np.arange(dw.DEMOLISHED + 1), (dw.VACANT, dw.FOR_SALE, dw.UNSOLD_NEW))  # by status code


def _total(district: np.ndarray, rows: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Sum of ``values`` over the rows where ``rows`` holds, per district (in row order, as a gather would)."""
    return np.bincount(district, weights=np.where(rows, values, 0.0), minlength=n)


def measure(state: CityState, land_band: np.ndarray) -> tuple[DistrictStocks, CityStocks]:
    """The stocks recorded at the end of a month (model scale), per district and for the city; ``land_band``
    is the band of the land-supply rule acting in each district."""
    s = state
    h, stock, n = s.households, s.dwellings, s.n_districts
    hd, sd = h.district.astype(np.intp), stock.district.astype(np.intp)     # bincount casts int8 on every call
    res = h.resident
    status = stock.status
    standing = status != dw.DEMOLISHED
    lived_in = standing & (status != dw.UNSOLD_NEW)
    empty = standing & EMPTY_STATUS[status]
    waiting = (h.applied_month >= 0) & res
    tenants = res & ((h.tenure == hh.RENTER) | (h.tenure == hh.PUBLIC_TENANT))
    net_rent = np.maximum(rent_due(s) - subsidies(s), 0.0)
    supported = res & approved_private_renters(s)
    monthly_income = h.income / MONTHS_PER_YEAR
    households = count_by_district(hd, res, n)
    escrow_bal, problems = np.zeros(n), np.zeros(n)
    for pr in s.projects:
        escrow_bal[pr.district] += pr.escrow_balance
        problems[pr.district] += pr.problem and not pr.rescued and not pr.completed
    district = DistrictStocks(
        inventory_area=s.inventory_area_by_district(),
        trailing_sales=s.trailing_sales_area(),
        escrow_balance=escrow_bal,
        problem_projects=problems,
        households=households,
        population=_total(hd, res, h.size, n),
        income_sum=_total(hd, res, h.income, n),
        floor_area=_total(sd, lived_in, stock.area, n),
        dwellings_total=count_by_district(sd, standing, n),
        dwellings_empty=count_by_district(sd, empty, n),
        non_resident_empty=count_by_district(sd, empty & stock.non_resident, n),
        subsidy_households=count_by_district(hd, h.subsidy & res, n),
        public_tenants=count_by_district(hd, res & (h.tenure == hh.PUBLIC_TENANT), n),
        rental_waiting=count_by_district(hd, waiting, n),
        rent_x_households=s.rent * households,
        tenant_rent=_total(hd, tenants, net_rent, n),
        tenant_income=_total(hd, tenants, monthly_income, n),
        approved_rent=_total(hd, supported, net_rent, n),
        approved_income=_total(hd, supported, monthly_income, n),
        land_band=np.asarray(land_band, dtype=float),
    )
    city = CityStocks(
        developers_failed=sum(d.status == FAILED for d in s.developers),
        red_line_developers=sum(is_red_line_developer(s, d.lines) for d in s.developers),
        rental_max_wait=s.rental_max_wait,
        developer_cash=sum(d.cash for d in s.developers if d.status != FAILED),
    )
    return district, city


def scale_raw(raw: pd.DataFrame, scale: int) -> pd.DataFrame:
    out = raw.copy()
    cols = [k for k, v in RAW.items() if v.scaled]
    out[cols] = out[cols].astype(float) * scale
    return out


def annual_raw(monthly_raw: pd.DataFrame) -> pd.DataFrame:
    """Flows summed over each year, stocks at the year's last month, maxima over the year; indexed by
    (district, year)."""
    flows = [k for k, v in RAW.items() if v.kind == "flow"]
    stocks = [k for k, v in RAW.items() if v.kind == "stock"]
    maxima = [k for k, v in RAW.items() if v.kind == "max"]
    g = monthly_raw.sort_values("month").groupby(["district", "year"], sort=False)
    return g[flows].sum(min_count=1).join(g[stocks].last()).join(g[maxima].max())


def to_long(wide: pd.DataFrame, id_cols: list[str]) -> pd.DataFrame:
    """Wide indicator frame → long (…, indicator, value, unit)."""
    long = wide.reset_index().melt(id_vars=id_cols, value_vars=list(INDICATORS), var_name="indicator",
                                   value_name="value")
    long["unit"] = long["indicator"].map(lambda k: INDICATORS[k].unit)
    return long


def _without_city_only_district_rows(long: pd.DataFrame) -> pd.DataFrame:
    """Drops district rows of city-only indicators, and every district row of a city modelled as one district
    (they repeat the city's row, and summing a table's districts would count the city twice)."""
    one_district = long.district[long.district != CITY].nunique() <= 1
    return long[(long.district == CITY) | (~long.indicator.isin(CITY_ONLY) & (not one_district))]


def annual_table(monthly_raw: pd.DataFrame, scale: int, measurement: Mapping[str, float], city: str) -> pd.DataFrame:
    """The annual long table (city first, then by indicator and year) from the model's raw monthly records."""
    annual = derive(annual_raw(scale_raw(monthly_raw, scale)), measurement)
    annual_long = _without_city_only_district_rows(to_long(annual, ["district", "year"]))
    annual_long.insert(0, "city", city)
    annual_long = annual_long.sort_values(["district", "indicator", "year"],
                                          key=lambda col: col.ne(CITY) if col.name == "district" else col,
                                          kind="stable")
    return annual_long.reset_index(drop=True)


def tables(monthly_raw: pd.DataFrame, scale: int, measurement: Mapping[str, float],
           city: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(annual long table, monthly long table) from the model's raw monthly records."""
    scaled = scale_raw(monthly_raw, scale)
    monthly = derive(scaled.set_index(["district", "year", "month"]), measurement)
    monthly_long = _without_city_only_district_rows(to_long(monthly, ["district", "year", "month"]))
    monthly_long.insert(0, "city", city)
    return annual_table(monthly_raw, scale, measurement, city), monthly_long.reset_index(drop=True)
