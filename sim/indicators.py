"""The plans' indicators (DESIGN §3.5), monthly and annual, for the city and each district.

Every month the model records *raw* quantities that add up across districts (areas, money, counts) at model
scale. Indicators are derived from them by one set of formulas, whatever the aggregation: a district month,
the city month, a district year or the city year. Over a year flows add up, stocks are taken at December, and
a few (the longest wait for rental support) take the year's maximum. Ratios (average price, destocking cycle,
per-capita floor area …) are then formed from the aggregated parts, so the annual average price is annual
sales value / annual sales area, as the statistics define it.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

CITY = "all"


@dataclass(frozen=True)
class Raw:
    kind: str      # "flow" adds over months; "stock" is taken at the last month; "max" is the largest
    scaled: bool   # multiplied by the model's scale to stand for the whole city


RAW: dict[str, Raw] = {
    # flows (model-scale m², 元, counts)
    "sales_area": Raw("flow", True),
    "sales_value": Raw("flow", True),
    "supply_area": Raw("flow", True),
    "land_supplied": Raw("flow", True),
    "land_offered": Raw("flow", True),
    "land_revenue": Raw("flow", True),
    "investment": Raw("flow", True),
    "rescue_spending": Raw("flow", True),
    "resale_area": Raw("flow", True),
    "resale_value": Raw("flow", True),
    "subsidy_spending": Raw("flow", True),
    "subsidies_granted": Raw("flow", True),
    "guaranteed_rental_units": Raw("flow", True),
    "non_resident_purchases": Raw("flow", True),
    "problem_new": Raw("flow", False),
    "problem_resolved": Raw("flow", False),
    "escrow_deposits": Raw("flow", True),
    "escrow_releases": Raw("flow", True),
    "pf_lending": Raw("flow", True),
    "pf_loans": Raw("flow", True),
    "births": Raw("flow", True),
    "deaths": Raw("flow", True),
    "formed": Raw("flow", True),
    "dissolved": Raw("flow", True),
    "in_households": Raw("flow", True),
    "in_persons": Raw("flow", True),
    "out_households": Raw("flow", True),
    "out_persons": Raw("flow", True),
    "blocked": Raw("flow", True),
    "shantytown_cash": Raw("flow", True),
    "shantytown_purchase": Raw("flow", True),
    "shantytown_resettled": Raw("flow", True),
    # stocks at the end of the month
    "inventory_area": Raw("stock", True),
    "trailing_sales": Raw("stock", True),
    "escrow_balance": Raw("stock", True),
    "problem_projects": Raw("stock", False),
    "households": Raw("stock", True),
    "population": Raw("stock", True),
    "income_sum": Raw("stock", True),
    "floor_area": Raw("stock", True),
    "dwellings_total": Raw("stock", True),
    "dwellings_empty": Raw("stock", True),
    "non_resident_empty": Raw("stock", True),
    "subsidy_households": Raw("stock", True),
    "public_tenants": Raw("stock", True),
    "rental_waiting": Raw("stock", True),
    "rent_x_households": Raw("stock", True),
    "developers_failed": Raw("stock", False),
    "red_line_developers": Raw("stock", False),
    "rental_max_wait": Raw("max", False),
}

WAN, YI = 1e4, 1e8

# indicator name → (unit, description). The first block is the required set.
INDICATORS: dict[str, tuple[str, str]] = {
    "sales_area": ("万㎡", "new commercial housing sold"),
    "sales_value": ("亿元", "value of new commercial housing sold"),
    "avg_price": ("元/㎡", "sales value / sales area"),
    "inventory_area": ("万㎡", "unsold saleable new housing (permitted or completed)"),
    "destocking_cycle": ("months", "inventory / mean monthly sales over the trailing window (去化周期)"),
    "supply_area": ("万㎡", "new housing reaching sale conditions (达到销售条件)"),
    "land_supplied": ("ha", "residential land transacted"),
    "investment": ("亿元", "real-estate development investment: residential / its share (all property types)"),
    "residential_investment": ("亿元", "residential land purchases + construction spending"),
    "per_capita_floor_area": ("m²/person", "housing stock / urban resident population"),
    "price_to_income": ("ratio", "avg price × new-home size / mean household income"),
    "problem_projects": ("count", "stalled projects not yet rescued (问题楼盘)"),
    "escrow_balance": ("亿元", "presale funds held in supervised accounts"),
    "subsidy_households": ("count", "households receiving a rental subsidy"),
    "public_rental_coverage": ("share", "served / (served + waiting) among approved applicants (应保尽保)"),
    "vacancy_rate": ("share", "vacant, listed or unsold dwellings / all dwellings, less the share of non-residents' "
                     "homes the survey finds lived in (seasonal residents)"),
    "avg_rent": ("元/㎡/month", "market rent, household-weighted"),
    "households": ("count", "urban resident households"),
    "population": ("persons", "urban resident population"),
    "resale_area": ("万㎡", "resale homes sold (二手房)"),
    "land_offered": ("ha", "residential land offered"),
    "land_revenue": ("亿元", "land sale revenue"),
    "subsidy_spending": ("万元", "rental subsidies paid"),
    "subsidies_granted": ("count", "new rental subsidies granted"),
    "public_rental_share": ("share", "public rental incl. subsidies / urban households (000 附件 7 definition)"),
    "rental_waiting": ("count", "approved applicants not yet served"),
    "rental_max_wait": ("months", "longest wait among applicants (annual: the year's maximum)"),
    "guaranteed_rental_units": ("units", "guaranteed rental units raised (保障性租赁住房)"),
    "escrow_deposits": ("亿元", "presale receipts deposited in escrow"),
    "escrow_releases": ("亿元", "escrow released by construction node (or used to finish rescued projects)"),
    "provident_fund_lending": ("亿元", "provident-fund mortgage lending"),
    "provident_fund_loans": ("count", "provident-fund mortgages granted"),
    "problem_projects_new": ("count", "projects that stalled"),
    "problem_projects_resolved": ("count", "problem projects taken over (化解)"),
    "developers_failed": ("count", "developers that have failed"),
    "red_line_developers": ("count", "developers crossing the red-line threshold"),
    "non_resident_purchases": ("count", "homes bought by non-resident buyers"),
    "shantytown_households": ("count", "households resettled by shantytown redevelopment"),
}


# the plans' Chinese name of each indicator, shown beside the English one in reports
CHINESE_NAMES: dict[str, str] = {
    "sales_area": "商品住房销售面积", "sales_value": "商品住房销售额", "avg_price": "商品住房均价",
    "inventory_area": "商品住房库存面积", "destocking_cycle": "去化周期", "supply_area": "商品住房供应面积",
    "land_supplied": "住宅用地成交面积", "investment": "房地产开发投资", "residential_investment": "住宅开发投资",
    "per_capita_floor_area": "人均住房建筑面积", "price_to_income": "房价收入比", "problem_projects": "问题楼盘",
    "escrow_balance": "预售资金监管余额", "subsidy_households": "租赁补贴户数",
    "public_rental_coverage": "公租房保障覆盖率",
    "vacancy_rate": "住房空置率", "avg_rent": "平均租金", "households": "城镇常住户数", "population": "城镇常住人口",
    "resale_area": "二手房成交面积", "land_offered": "住宅用地供应面积", "land_revenue": "土地出让收入",
    "subsidy_spending": "租赁补贴支出", "subsidies_granted": "新增租赁补贴户数",
    "public_rental_share": "公租房保障比例",
    "rental_waiting": "轮候家庭数", "rental_max_wait": "最长轮候时间", "guaranteed_rental_units": "保障性租赁住房筹集",
    "escrow_deposits": "预售资金入账", "escrow_releases": "预售资金拨付", "provident_fund_lending": "公积金贷款发放额",
    "provident_fund_loans": "公积金贷款笔数", "problem_projects_new": "新增问题楼盘",
    "problem_projects_resolved": "问题楼盘化解", "developers_failed": "出险房企", "red_line_developers": "踩线房企",
    "non_resident_purchases": "市外人群购房套数", "shantytown_households": "棚户区改造安置户数",
}

# indicators that are flows over a period (they add up over years); the others are stocks or ratios
FLOW_INDICATORS = frozenset({
    "sales_area", "sales_value", "supply_area", "land_supplied", "investment", "residential_investment",
    "resale_area", "land_offered", "land_revenue", "subsidy_spending", "subsidies_granted",
    "guaranteed_rental_units", "escrow_deposits", "escrow_releases", "provident_fund_lending",
    "provident_fund_loans", "problem_projects_new", "problem_projects_resolved", "non_resident_purchases",
    "shantytown_households"})


def derive(raw: pd.DataFrame, measurement: Mapping[str, float]) -> pd.DataFrame:
    """Indicators from (already scaled) raw quantities; one row in, one row out.

    ``measurement`` is the scenario's ``simulation`` section: ``investment`` is the plans' real-estate
    development investment, all property types — the model's residential investment (land + construction)
    divided by ``residential_investment_share``; the vacancy survey counts ``seasonal_occupied_share`` of the
    non-residents' empty homes as lived in; the price-to-income ratio is for a home of ``unit_size_new``."""
    r = raw
    unit_size = measurement["unit_size_new"]
    residential_investment_share = measurement["residential_investment_share"]
    seasonal = measurement["seasonal_occupied_share"]
    with np.errstate(divide="ignore", invalid="ignore"):
        served = r.public_tenants + r.subsidy_households
        avg_price = r.sales_value / r.sales_area
        out = pd.DataFrame({
            "sales_area": r.sales_area / WAN,
            "sales_value": r.sales_value / YI,
            "avg_price": avg_price,
            "inventory_area": r.inventory_area / WAN,
            "destocking_cycle": r.inventory_area / r.trailing_sales,
            "supply_area": r.supply_area / WAN,
            "land_supplied": r.land_supplied,
            "investment": r.investment / residential_investment_share / YI,
            "residential_investment": r.investment / YI,
            "per_capita_floor_area": r.floor_area / r.population,
            "price_to_income": avg_price * unit_size / (r.income_sum / r.households),
            "problem_projects": r.problem_projects,
            "escrow_balance": r.escrow_balance / YI,
            "subsidy_households": r.subsidy_households,
            "public_rental_coverage": served / (served + r.rental_waiting),
            "vacancy_rate": (r.dwellings_empty - seasonal * r.non_resident_empty) / r.dwellings_total,
            "avg_rent": r.rent_x_households / r.households,
            "households": r.households,
            "population": r.population,
            "resale_area": r.resale_area / WAN,
            "land_offered": r.land_offered,
            "land_revenue": r.land_revenue / YI,
            "subsidy_spending": r.subsidy_spending / WAN,
            "subsidies_granted": r.subsidies_granted,
            "public_rental_share": served / r.households,
            "rental_waiting": r.rental_waiting,
            "rental_max_wait": r.rental_max_wait,
            "guaranteed_rental_units": r.guaranteed_rental_units,
            "escrow_deposits": r.escrow_deposits / YI,
            "escrow_releases": r.escrow_releases / YI,
            "provident_fund_lending": r.pf_lending / YI,
            "provident_fund_loans": r.pf_loans,
            "problem_projects_new": r.problem_new,
            "problem_projects_resolved": r.problem_resolved,
            "developers_failed": r.developers_failed,
            "red_line_developers": r.red_line_developers,
            "non_resident_purchases": r.non_resident_purchases,
            "shantytown_households": r.shantytown_cash + r.shantytown_purchase + r.shantytown_resettled,
        }, index=raw.index)
    return out.replace([np.inf, -np.inf], np.nan)


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
    long["unit"] = long["indicator"].map(lambda k: INDICATORS[k][0])
    return long


def tables(monthly_raw: pd.DataFrame, scale: int, measurement: Mapping[str, float],
           city: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(annual long table, monthly long table) from the model's raw monthly records."""
    scaled = scale_raw(monthly_raw, scale)
    monthly = derive(scaled.set_index(["district", "year", "month"]), measurement)
    annual = derive(annual_raw(scaled), measurement)
    annual_long = to_long(annual, ["district", "year"])
    annual_long.insert(0, "city", city)
    monthly_long = to_long(monthly, ["district", "year", "month"])
    monthly_long.insert(0, "city", city)
    annual_long = annual_long.sort_values(["district", "indicator", "year"],
                                          key=lambda col: col.ne(CITY) if col.name == "district" else col,
                                          kind="stable")
    return annual_long.reset_index(drop=True), monthly_long.reset_index(drop=True)
