"""What a scenario file and a city profile may contain: every key with its type, unit and allowed range.

A parameter is written in TOML as an inline table ``{ value = ..., unit = "...", source = "..." }``.
The unit must equal the one declared here; the source names the seed file and section, or says
``guess, range lo–hi``. Per-year series (``by_year``) hold one value for each year 2016–2025.
Plain keys (names, paths) are written as bare values.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

YEARS = tuple(range(2016, 2026))


@dataclass(frozen=True)
class Spec:
    """One allowed key, declared once: kind (float, int, bool, str, by_year = 10 floats, list of floats), the
    unit it is written in, its allowed range, a one-line description, and — where the file's unit is the plans'
    (亿元, 万元, 万㎡) — the factor that converts it to the model's base unit at load time (元, m²), so no
    conversion is scattered through the monthly step."""

    kind: str
    unit: str | None = None
    lo: float | None = None
    hi: float | None = None
    description: str = ""
    choices: tuple[str, ...] | None = None
    plain: bool = False     # bare value without unit/source (names and paths)
    optional: bool = False  # may be left out (only plain keys of [scenario])
    setup: bool = False     # read only when the model is set up in 2016-01; see ``from_year``
    base_unit: str | None = None   # the unit the model works in, when it differs from ``unit``
    to_base: float = 1.0           # base value = file value × to_base
    name_like: bool = False        # a name used in file and folder names (letters, digits, _ - . only)

    def allowed(self) -> str:
        parts = [self.kind]
        if self.unit is not None:
            parts.append(f'unit "{self.unit}"')
        if self.lo is not None or self.hi is not None:
            parts.append(f"range [{self.lo}, {self.hi}]")
        if self.choices:
            parts.append("one of " + ", ".join(self.choices))
        if self.kind == "by_year":
            parts.append(f"{len(YEARS)} values for {YEARS[0]}–{YEARS[-1]}")
        return "; ".join(parts)

    def base(self, value: Any) -> Any:
        """The value in the model's base unit."""
        if self.to_base == 1.0:
            return value
        return [v * self.to_base for v in value] if isinstance(value, list) else value * self.to_base


YUAN_PER_YI, YUAN_PER_WAN, M2_PER_WAN_M2 = 1e8, 1e4, 1e4   # 亿元, 万元, 万㎡ in 元 and m²
M2_PER_HA = 1e4                                             # land: ha (the plans' unit) in m²
_BASE = {"亿元": ("元", YUAN_PER_YI), "万元/year": ("元/year", YUAN_PER_WAN), "万㎡": ("m²", M2_PER_WAN_M2),
         "万㎡/month": ("m²/month", M2_PER_WAN_M2)}


def _spec(kind: str, unit: str, lo: float, hi: float, description: str, **kw: Any) -> Spec:
    base_unit, factor = _BASE.get(unit, (None, 1.0))
    return Spec(kind, unit, lo, hi, description, base_unit=base_unit, to_base=factor, **kw)


def F(unit: str, lo: float, hi: float, description: str, **kw: Any) -> Spec:
    return _spec("float", unit, lo, hi, description, **kw)


def I(unit: str, lo: int, hi: int, description: str, **kw: Any) -> Spec:  # noqa: E743 - a short name, as F, Y, L
    return _spec("int", unit, lo, hi, description, **kw)


def Y(unit: str, lo: float, hi: float, description: str) -> Spec:
    return _spec("by_year", unit, lo, hi, description)


def L(unit: str, lo: float, hi: float, description: str) -> Spec:
    return _spec("list", unit, lo, hi, description)


def B(description: str) -> Spec:
    return Spec("bool", "flag", description=description)


def P(description: str, **kw: Any) -> Spec:
    """A plain key: a bare string (a name or a path)."""
    return Spec("str", plain=True, description=description, **kw)


SCENARIO: dict[str, dict[str, Spec]] = {
    "scenario": {
        "name": P("the scenario's name (unique within a comparison; names its output folders)", name_like=True),
        "city": P("the city modelled", choices=("panzhihua", "anshan"), setup=True),
        "profile": P("the city profile (2016-01 state), relative to this file", setup=True),
        "description": P("one line on what the scenario is"),
        "extends": P("a variant: the scenario file it extends, relative to this file", optional=True),
        "from_year": Spec("int", "year", YEARS[1], YEARS[-1], "a variant's changes act from January of this year",
                          plain=True, optional=True),
    },
    "simulation": {
        "trailing_sales_months": I("months", 1, 36, "window of the mean monthly sales in the destocking cycle",
                                   setup=True),
        "unit_size_new": F("m²", 30, 200, "floor area of a new home", setup=True),
        "residential_investment_share": F("share", 0.1, 1, "homes' share of all real-estate development investment"),
        "seasonal_occupied_share": F("share", 0, 1, "share of non-residents' empty homes the vacancy survey counts "
                                     "as lived in"),
    },
    "demography": {
        "birth_rate": F("1/year", 0, 0.03, "births per person a year"),
        "death_rate": F("1/year", 0, 0.03, "deaths per person a year"),
        "household_formation_rate": F("1/year", 0, 0.1, "split-offs per household of 3+ a year"),
        "in_migration": Y("persons/year", 0, 1e6, "persons moving into the city each year"),
        "out_migration": Y("persons/year", 0, 1e6, "persons leaving the city each year"),
        "new_household_income_ratio": F("ratio", 0.1, 3, "income of a newly formed household / city mean"),
        "migrant_household_size": F("persons/household", 1, 5, "mean size of an in-migrant household"),
        "migrant_income_ratio": F("ratio", 0.2, 3, "income of an in-migrant household / city mean"),
    },
    "income": {
        "growth": Y("1/year", -0.2, 0.3, "growth of household incomes each year"),
        "shock_sd": F("1/month", 0, 0.2, "s.d. of monthly log income shocks"),
        "savings_rate": F("share", 0, 0.8, "share of income saved"),
    },
    "demand": {
        "first_home_hazard": F("1/month", 0, 0.2, "monthly chance a renter owning nothing decides to buy"),
        "upgrade_hazard": F("1/month", 0, 0.2, "monthly chance a cramped owner decides to buy a larger home"),
        "second_home_hazard": F("1/month", 0, 0.2, "monthly chance a well-off owner buys a second home"),
        "upgrade_below_area_per_person": F("m²/person", 5, 80, "owners below this floor area per person upgrade"),
        "second_home_income_quantile": F("share", 0, 1, "owners above this income quantile buy second homes"),
        "rental_yield_elasticity": F("dimensionless", 0, 10, "second-home purchases scale with (rental yield / its "
                                     "2016 level)^this: investors buy to let where yields allow"),
        "reference_price_to_income": F("ratio", 1, 30, "price-to-income ratio at which demand is neither damped "
                                       "nor boosted"),
        "reference_year": I("year", 2016, 2025, "year of the reference price-to-income (its mortgage rate sets the "
                            "reference payment-to-income)"),
        "price_elasticity": F("dimensionless", 0, 10, "hazards scale with (reference / payment-to-income)^this"),
        "rent_elasticity": F("dimensionless", 0, 10, "renters' hazards scale with (rent / cost of buying, relative "
                             "to 2016)^this"),
        "presale_aversion": F("dimensionless", 0, 50, "a new-home buyer accepts a presold (unfinished) home with "
                              "probability exp(−aversion × the share of its district's unfinished projects "
                              "that are stalled)"),
        "price_expectation_weight": F("dimensionless", 0, 10, "hazards × (1 + this × the price change over the "
                                      "memory window)"),
        "price_memory_months": I("months", 1, 36, "window over which buyers extrapolate the price change",
                                 setup=True),
        "new_home_share": F("share", 0, 1, "share of buyers who look at new homes first"),
        "resale_discount": F("ratio", 0.3, 1.5, "resale price / new-home price"),
        "listing_months": I("months", 1, 60, "an unsold resale listing is withdrawn and let after this"),
        "non_resident_buyers": Y("households/year", 0, 1e6, "non-resident (市外) buyers arriving each year"),
    },
    "shantytown": {
        "households": Y("households/year", 0, 1e6, "households resettled by shantytown redevelopment each year"),
        "cash_share": Y("share", 0, 1, "share resettled with cash compensation (货币化安置)"),
        "purchase_share": Y("share", 0, 1, "share resettled by government purchase of a new home"),
        "compensation_ratio": F("ratio", 0, 5, "compensation / market value of a new home of the same area"),
        "purchase_hazard": F("1/month", 0.001, 1, "monthly chance a compensated household ends its search and buys "
                             "(it is paid at demolition and searches from transitional housing, 过渡安置)"),
    },
    "credit": {
        "down_payment_first": Y("share", 0, 1, "minimum down payment on a first home"),
        "down_payment_second": Y("share", 0, 1, "minimum down payment on a further home"),
        "mortgage_rate": Y("1/year", 0, 0.2, "commercial mortgage rate"),
        "provident_fund_rate": Y("1/year", 0, 0.2, "provident-fund (公积金) mortgage rate"),
        "provident_fund_share": F("share", 0, 1, "share of member buyers who take a provident-fund loan"),
        "provident_fund_loan_cap": F("元", 0, 5e6, "largest provident-fund loan"),
        "max_payment_to_income": F("share", 0.05, 1, "banks' limit on all mortgage payments / monthly income"),
        "mortgage_term": I("years", 1, 40, "mortgage term"),
    },
    "developers": {
        "count": I("developers", 1, 500, "developers active in the city", setup=True),
        "initial_cash": F("亿元", 0, 1e4, "developers' cash at 2016-01, all together", setup=True),
        "initial_debt": F("亿元", 0, 1e4, "developers' interest-bearing debt at 2016-01, all together", setup=True),
        "short_debt_share": F("share", 0, 1, "share of debt due within a year"),
        "debt_rate": F("1/year", 0, 0.3, "interest rate on developers' debt"),
        "build_cost": F("元/㎡", 500, 10000, "construction and installation cost (建安成本)"),
        "construction_months": I("months", 3, 72, "months from construction start to completion"),
        "start_lag_months": I("months", 0, 36, "months from land purchase to construction start"),
        "plot_ratio": F("m²/m²", 0.3, 8, "residential floor area per land area"),
        "land_cost_share": F("share", 0, 0.9, "reserve price of land (起拍价) per m² of floor area / new-home price"),
        "required_margin": F("share", 0, 0.6, "profit share of sales revenue a developer requires: it bids for land "
                             "up to the residual value and launches homes at no less than cost-plus"),
        "bid_dispersion": F("dimensionless", 0, 1, "log s.d. of developers' valuations of a parcel"),
        "target_sell_through": F("1/month", 0.001, 0.5, "monthly share of the offer sold at which prices hold"),
        "price_adjust_speed": F("dimensionless", 0, 5, "price change per unit of sell-through above target"),
        "max_price_change": F("1/month", 0, 0.2, "largest price change in a month"),
        "regional_price_growth": Y("1/year", -0.5, 0.5, "growth of the region's new-home price index (NBS 70-city "
                                   "index of the city's neighbours), December to December"),
        "regional_price_weight": F("dimensionless", 0, 1, "share of the regional price growth developers add to "
                                   "their asking prices every month, whatever their own sell-through"),
        "sell_through_months": I("months", 1, 12, "window of the sell-through prices respond to: homes sold over the "
                                 "window / homes on offer at its month starts"),
        "max_pipeline_months": F("months", 1, 240, "a developer bids for land only below this many months of its "
                                 "sales in unsold and pipeline area"),
        "land_debt_share": F("share", 0, 1, "share of land cost borrowed"),
        "max_debt_to_assets": F("share", 0, 1, "lenders' limit on debt / assets net of advance receipts"),
        "cash_buffer_months": F("months", 0, 60, "months of interest and construction kept in cash, with the own "
                                "funds for the land wanted; more repays debt, then the group sweeps it"),
        "target_debt_to_assets": F("share", 0, 1, "debt / assets net of advance receipts that developers keep "
                                   "(roll over); spare cash repays only debt above it"),
        "failure_months": I("months", 1, 60, "months in arrears before a developer fails"),
        "stall_months": I("months", 1, 60, "months unfunded before a project counts as a problem project"),
        "short_debt_maturity_months": I("months", 1, 60, "short-term debt falls due evenly over this many months; "
                                        "lenders roll it over within their limit, less any credit freeze"),
        "arrears_stall_rate": F("1/month", 0, 1, "monthly chance an unfinished project of a developer in arrears "
                                "stalls, × the share of its remaining cost its escrow does not cover"),
        "group_sweep_share": F("1/month", 0, 1, "share of cash above the buffer a developer's group takes out of "
                               "the city each month (资金归集)"),
        "presale_sweep_share": Y("share", 0, 1, "share of a presold home's price paid to its developer outside "
                                 "escrow that the developer's group takes at once (资金归集), by year"),
        "presale_reliance": F("share", 0, 1, "share of a started project's expected presale receipts (its unsold "
                              "homes at their asking price) its developer counts on to finish it"),
    },
    "problem_projects": {
        "resolution_rate": Y("1/month", 0, 1, "monthly chance a problem project is taken over and finished, by year"),
    },
    "land_supply": {
        "annual_plan": Y("ha/year", 0, 5000, "residential land the year's plan offers"),
        "band_edges": L("months", 0, 240, "destocking-cycle band edges"),
        "band_multipliers": L("ratio", 0, 10, "land offered / plan in each band (one more than the edges)"),
        "persistence_months": I("months", 1, 24, "consecutive months a band must hold before it acts"),
        "parcel_size": F("ha", 0.1, 100, "size of one residential land parcel"),
        "population_review_months": I("months", 1, 24, "how often the land split over districts is reviewed "
                                      "against population flows (人-地-房挂钩)"),
        "population_flow_tilt": F("dimensionless", 0, 100, "land share gained per unit by which a district's "
                                  "population growth since the last review exceeds the city's; 0 = split by "
                                  "population share only"),
    },
    "presale": {
        "progress_threshold": F("share", 0, 1, "construction progress needed for a presale permit"),
        "red_line_progress_threshold": F("share", 0, 1, "the same for red-line developers"),
        "red_line_completed_only": B("red-line developers may sell completed homes only (现房销售)"),
        "relax_below_cycle": F("months", 0, 240, "below this destocking cycle the threshold is lowered a step"),
        "tighten_above_cycle": F("months", 0, 240, "above this destocking cycle the threshold is raised a step"),
        "cycle_threshold_step": F("share", 0, 1, "the step by which the cycle moves the threshold"),
    },
    "escrow": {
        "supervised_multiple": F("ratio", 0, 5, "supervised presale amount per m² / build cost"),
        "red_line_supervised_multiple": F("ratio", 0, 5, "the same for red-line developers"),
        "release_progress": L("share", 0, 1, "construction-progress nodes at which escrow is released"),
        "release_share": L("share", 0, 1, "cumulative share of deposits released at each node"),
        "early_release_shift": F("share", 0, 1, "progress by which nodes come forward for cash-short developers "
                                 "in good credit"),
    },
    "red_lines": {
        "min_lines": I("lines", 1, 3, "lines a developer must cross to count as a red-line developer (踩线)"),
        "liability_ratio_max": F("share", 0, 1, "line 1: liabilities / assets, both net of advance receipts"),
        "net_gearing_max": F("ratio", 0, 10, "line 2: net debt / equity"),
        "cash_short_debt_min": F("ratio", 0, 10, "line 3: cash / short-term debt"),
        "debt_growth_caps": L("1/year", 0, 1, "debt growth allowed a year with 0, 1, 2, 3 lines crossed"),
        "start_year": I("year", 2016, 2035, "year the red-line rules take effect"),
        "developer_credit_freeze": Y("share", 0, 1, "share of developers' new borrowing lenders withhold that year"),
    },
    "rental_support": {
        "eligibility_income_ratio": F("ratio", 0, 2, "low-income line (低保、低收入, served within service_months) "
                                      "/ mean household income"),
        "lower_middle_income_quantile": F("share", 0, 1, "lower-middle-income group (中等偏下): income below this "
                                          "quantile of resident incomes; 0 = not eligible"),
        "newcomer_months": I("months", 0, 240, "newcomers (新就业、外来务工、新市民): households formed or arrived "
                             "within this many months; 0 = not a group"),
        "newcomer_income_ratio": F("ratio", 0, 3, "newcomers' income line / mean household income"),
        "exit_margin": F("ratio", 1, 5, "support ends when income exceeds this multiple of the household's line"),
        "application_rate": F("1/month", 0, 1, "monthly chance an eligible renter applies"),
        "subsidy_rent_share": F("share", 0, 1, "subsidy per m² / market rent"),
        "subsidised_area": F("m²/household", 0, 200, "floor area the subsidy covers"),
        "annual_quota": Y("households/year", 0, 1e6, "households the year's plan subsidises (holding a subsidy)"),
        "annual_budget": Y("万元/year", 0, 1e7, "the year's rental-subsidy budget"),
        "service_months": I("months", 1, 60, "longest wait allowed before an applicant is served (应保尽保)"),
        "guarantee_service": B("applicants reaching service_months are served past the quota and budget"),
        "guaranteed_rental_units": Y("units/year", 0, 1e5, "guaranteed rental units (保障性租赁住房) raised each year"),
        "guaranteed_rental_size": F("m²", 10, 120, "floor area of a guaranteed rental unit"),
        "guaranteed_rental_min_occupancy": F("share", 0, 1, "units are raised in a month only while this share of "
                                             "those raised so far is let"),
        "guaranteed_rent_share": F("share", 0, 1, "rent of guaranteed rental housing / market rent"),
    },
    "rental_market": {
        "rent_adjust_speed": F("dimensionless", 0, 5, "rent change per unit of rental vacancy below its 2016 level"),
        "max_rent_change": F("1/month", 0, 0.2, "largest rent change in a month"),
        "letting_rate": F("1/month", 0, 1, "monthly chance an empty seasonal home is let where rental vacancy is 0 "
                          "(× the shortfall of rental vacancy below its 2016 level)"),
    },
}

# the sections whose keys are the government's policy levers (each must move an indicator: tests/test_levers.py)
POLICY_SECTIONS = ("land_supply", "presale", "escrow", "red_lines", "problem_projects", "rental_support", "credit",
                   "shantytown")

PROFILE: dict[str, dict[str, Spec]] = {
    "city": {
        "name": P("the city's name in the scenario files"),
        "name_zh": P("the city's Chinese name"),
        "district_note": P("where the district shares come from"),
    },
    "population": {
        "urban_population": F("persons", 1e4, 1e8, "urban resident population at 2016-01"),
        "household_size": F("persons/household", 1, 6, "mean household size"),
        "income_mean": F("元/household/year", 1e3, 1e7, "mean disposable household income"),
        "income_sigma": F("log 元", 0.05, 2, "log s.d. of household income"),
        "savings_months": F("months", 0, 240, "financial savings in months of income"),
        "owner_share": F("share", 0, 1, "share of households owning their home"),
        "provident_fund_member_share": F("share", 0, 1, "share of households contributing to the provident fund"),
        "savings_sigma": F("log 元", 0, 2, "log s.d. of savings around savings_months of income"),
        "owner_income_noise": F("rank", 0, 2, "noise on the income rank when owners are drawn"),
    },
    "housing": {
        "per_capita_floor_area": F("m²/person", 5, 100, "housing floor area per resident"),
        "vacancy_rate": F("share", 0, 0.5, "share of the stock standing empty"),
        "non_resident_vacant_share": F("share", 0, 1, "share of empty homes owned by non-residents"),
        "old_stock_share": F("share", 0, 1, "share of dwellings built before 2000"),
        "public_rental_units": F("units", 0, 1e6, "public rental (公租房) dwellings"),
        "public_rental_occupied": F("units", 0, 1e6, "public rental dwellings let"),
        "public_rental_size": F("m²", 10, 120, "floor area of a public rental dwelling"),
        "avg_price": F("元/㎡", 500, 1e5, "new-home price"),
        "avg_rent": F("元/㎡/month", 1, 200, "market rent"),
        "monthly_sales": F("万㎡/month", 0, 1e3, "new-home sales a month before 2016 (the first trailing window)"),
        "area_size_elasticity": F("dimensionless", 0, 2, "floor area ∝ household size^this"),
        "area_income_elasticity": F("dimensionless", 0, 2, "floor area ∝ relative income^this"),
        "area_sigma": F("log m²", 0, 1, "log s.d. of occupied dwellings' area"),
        "vacant_area_sigma": F("log m²", 0, 1, "log s.d. of vacant dwellings' area"),
        "old_stock_build_years": L("year", 1900, 2016, "[first, last) build year of the pre-2000 stock"),
        "newer_stock_build_years": L("year", 1900, 2016, "[first, last) build year of the rest of the stock"),
    },
    "developers": {
        "inventory_area": F("万㎡", 0, 1e4, "unsold saleable new homes at 2016-01"),
        "completed_share": F("share", 0, 1, "share of that inventory already completed"),
        "construction_area": F("万㎡", 0, 1e4, "area under construction, not yet permitted for presale"),
        "problem_projects": F("count", 0, 1000, "stalled legacy projects at 2016-01"),
        "size_concentration": F("dimensionless", 0.05, 100, "Dirichlet concentration of developers' cash shares"),
        "initial_progress_range": L("share", 0, 1, "bounds of the opening projects' construction progress"),
        "problem_progress_min": F("share", 0, 1, "lowest progress of a legacy problem project"),
    },
}

# Districts are an array of tables: name, name_zh, population_share, non_resident_share (each with source).
DISTRICT: dict[str, Spec] = {
    "name": P("the district's name (县（区）)"),
    "population_share": F("share", 0, 1, "the district's share of urban households"),
    "non_resident_share": F("share", 0, 1, "share of the district's new-home buyers who are non-residents"),
}
