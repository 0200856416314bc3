"""What a scenario file and a city profile may contain: every key with its type, unit and allowed range.

A parameter is written in TOML as an inline table ``{ value = ..., unit = "...", source = "..." }``.
The unit must equal the one declared here; the source names the seed file and section, or says
``guess, range lo–hi``. Per-year series (``by_year``) hold one value for each year 2016–2025.
Plain keys (names, paths) are written as bare values.
"""
from __future__ import annotations

from dataclasses import dataclass

YEARS = tuple(range(2016, 2026))


@dataclass(frozen=True)
class Spec:
    """One allowed key: kind is float, int, bool, str, by_year (10 floats), list (floats)."""

    kind: str
    unit: str | None = None
    lo: float | None = None
    hi: float | None = None
    choices: tuple[str, ...] | None = None
    plain: bool = False     # bare value without unit/source (names and paths)
    optional: bool = False  # may be left out (only plain keys of [scenario])
    setup: bool = False     # read only when the model is set up in 2016-01; see ``from_year``

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


def F(unit: str, lo: float, hi: float) -> Spec:
    return Spec("float", unit, lo, hi)


def I(unit: str, lo: int, hi: int) -> Spec:  # noqa: E743 - short constructor names keep the table readable
    return Spec("int", unit, lo, hi)


def Y(unit: str, lo: float, hi: float) -> Spec:
    return Spec("by_year", unit, lo, hi)


def L(unit: str, lo: float, hi: float) -> Spec:
    return Spec("list", unit, lo, hi)


B = Spec("bool", "flag")

SCENARIO: dict[str, dict[str, Spec]] = {
    "scenario": {
        "name": Spec("str", plain=True),
        "city": Spec("str", choices=("panzhihua", "anshan"), plain=True, setup=True),
        "profile": Spec("str", plain=True, setup=True),
        "description": Spec("str", plain=True),
        "extends": Spec("str", plain=True, optional=True),
        "from_year": Spec("int", "year", YEARS[1], YEARS[-1], plain=True, optional=True),
    },
    "simulation": {
        "trailing_sales_months": Spec("int", "months", 1, 36, setup=True),
        "unit_size_new": Spec("float", "m²", 30, 200, setup=True),
        "residential_investment_share": F("share", 0.1, 1),
        "seasonal_occupied_share": F("share", 0, 1),
    },
    "demography": {
        "birth_rate": F("1/year", 0, 0.03),
        "death_rate": F("1/year", 0, 0.03),
        "household_formation_rate": F("1/year", 0, 0.1),
        "in_migration": Y("persons/year", 0, 1e6),
        "out_migration": Y("persons/year", 0, 1e6),
        "new_household_income_ratio": F("ratio", 0.1, 3),
        "migrant_household_size": F("persons/household", 1, 5),
        "migrant_income_ratio": F("ratio", 0.2, 3),
    },
    "income": {
        "growth": Y("1/year", -0.2, 0.3),
        "shock_sd": F("1/month", 0, 0.2),
        "savings_rate": F("share", 0, 0.8),
    },
    "demand": {
        "first_home_hazard": F("1/month", 0, 0.2),
        "upgrade_hazard": F("1/month", 0, 0.2),
        "second_home_hazard": F("1/month", 0, 0.2),
        "upgrade_below_area_per_person": F("m²/person", 5, 80),
        "second_home_income_quantile": F("share", 0, 1),
        "reference_price_to_income": F("ratio", 1, 30),
        "price_elasticity": F("dimensionless", 0, 10),
        "price_expectation_weight": F("dimensionless", 0, 10),
        "price_memory_months": Spec("int", "months", 1, 36, setup=True),
        "new_home_share": F("share", 0, 1),
        "resale_discount": F("ratio", 0.3, 1.5),
        "listing_months": I("months", 1, 60),
        "non_resident_buyers": Y("households/year", 0, 1e6),
    },
    "shantytown": {
        "households": Y("households/year", 0, 1e6),
        "cash_share": Y("share", 0, 1),
        "purchase_share": Y("share", 0, 1),
        "compensation_ratio": F("ratio", 0, 5),
    },
    "credit": {
        "down_payment_first": Y("share", 0, 1),
        "down_payment_second": Y("share", 0, 1),
        "mortgage_rate": Y("1/year", 0, 0.2),
        "provident_fund_rate": Y("1/year", 0, 0.2),
        "provident_fund_share": F("share", 0, 1),
        "provident_fund_loan_cap": F("元", 0, 5e6),
        "max_payment_to_income": F("share", 0.05, 1),
        "mortgage_term": I("years", 1, 40),
    },
    "developers": {
        "count": Spec("int", "developers", 1, 500, setup=True),
        "initial_cash": Spec("float", "亿元", 0, 1e4, setup=True),
        "initial_debt": Spec("float", "亿元", 0, 1e4, setup=True),
        "short_debt_share": F("share", 0, 1),
        "debt_rate": F("1/year", 0, 0.3),
        "build_cost": F("元/㎡", 500, 10000),
        "construction_months": I("months", 3, 72),
        "start_lag_months": I("months", 0, 36),
        "plot_ratio": F("m²/m²", 0.3, 8),
        "land_cost_share": F("share", 0, 0.9),
        "target_sell_through": F("1/month", 0.001, 0.5),
        "price_adjust_speed": F("dimensionless", 0, 5),
        "max_price_change": F("1/month", 0, 0.2),
        "max_pipeline_months": F("months", 1, 240),
        "land_debt_share": F("share", 0, 1),
        "max_debt_to_assets": F("share", 0, 1),
        "cash_buffer_months": F("months", 0, 60),
        "failure_months": I("months", 1, 60),
        "stall_months": I("months", 1, 60),
        "problem_resolution_rate": F("1/month", 0, 1),
    },
    "land_supply": {
        "annual_plan": Y("ha/year", 0, 5000),
        "band_edges": L("months", 0, 240),
        "band_multipliers": L("ratio", 0, 10),
        "persistence_months": I("months", 1, 24),
        "parcel_size": F("ha", 0.1, 100),
    },
    "presale": {
        "progress_threshold": F("share", 0, 1),
        "red_line_progress_threshold": F("share", 0, 1),
        "red_line_completed_only": B,
        "red_line_min_lines": I("lines", 1, 3),
        "relax_below_cycle": F("months", 0, 240),
        "tighten_above_cycle": F("months", 0, 240),
        "cycle_threshold_step": F("share", 0, 1),
    },
    "escrow": {
        "supervised_multiple": F("ratio", 0, 5),
        "red_line_supervised_multiple": F("ratio", 0, 5),
        "release_progress": L("share", 0, 1),
        "release_share": L("share", 0, 1),
        "early_release_shift": F("share", 0, 1),
    },
    "red_lines": {
        "liability_ratio_max": F("share", 0, 1),
        "net_gearing_max": F("ratio", 0, 10),
        "cash_short_debt_min": F("ratio", 0, 10),
        "debt_growth_caps": L("1/year", 0, 1),
        "start_year": I("year", 2016, 2035),
        "developer_credit_freeze": Y("share", 0, 1),
    },
    "rental_support": {
        "eligibility_income_ratio": F("ratio", 0, 2),
        "exit_income_ratio": F("ratio", 0, 3),
        "application_rate": F("1/month", 0, 1),
        "subsidy_rent_share": F("share", 0, 1),
        "subsidised_area": F("m²/household", 0, 200),
        "annual_quota": Y("households/year", 0, 1e6),
        "annual_budget": Y("万元/year", 0, 1e7),
        "service_months": I("months", 1, 60),
        "guarantee_service": B,
        "guaranteed_rental_units": Y("units/year", 0, 1e5),
        "guaranteed_rental_size": F("m²", 10, 120),
    },
    "rental_market": {
        "rent_adjust_speed": F("dimensionless", 0, 5),
        "max_rent_change": F("1/month", 0, 0.2),
    },
}

# the sections whose keys are the government's policy levers (each must move an indicator: tests/test_levers.py)
POLICY_SECTIONS = ("land_supply", "presale", "escrow", "red_lines", "rental_support", "credit", "shantytown")

PROFILE: dict[str, dict[str, Spec]] = {
    "city": {
        "name": Spec("str", plain=True),
        "name_zh": Spec("str", plain=True),
        "district_note": Spec("str", plain=True),
    },
    "population": {
        "urban_population": F("persons", 1e4, 1e8),
        "household_size": F("persons/household", 1, 6),
        "income_mean": F("元/household/year", 1e3, 1e7),
        "income_sigma": F("log 元", 0.05, 2),
        "savings_months": F("months", 0, 240),
        "owner_share": F("share", 0, 1),
        "provident_fund_member_share": F("share", 0, 1),
        "savings_sigma": F("log 元", 0, 2),
        "owner_income_noise": F("rank", 0, 2),
    },
    "housing": {
        "per_capita_floor_area": F("m²/person", 5, 100),
        "vacancy_rate": F("share", 0, 0.5),
        "non_resident_vacant_share": F("share", 0, 1),
        "old_stock_share": F("share", 0, 1),
        "public_rental_units": F("units", 0, 1e6),
        "public_rental_occupied": F("units", 0, 1e6),
        "public_rental_size": F("m²", 10, 120),
        "avg_price": F("元/㎡", 500, 1e5),
        "avg_rent": F("元/㎡/month", 1, 200),
        "monthly_sales": F("万㎡/month", 0, 1e3),
        "area_size_elasticity": F("dimensionless", 0, 2),
        "area_income_elasticity": F("dimensionless", 0, 2),
        "area_sigma": F("log m²", 0, 1),
        "vacant_area_sigma": F("log m²", 0, 1),
        "old_stock_build_years": L("year", 1900, 2016),
        "newer_stock_build_years": L("year", 1900, 2016),
    },
    "developers": {
        "inventory_area": F("万㎡", 0, 1e4),
        "completed_share": F("share", 0, 1),
        "construction_area": F("万㎡", 0, 1e4),
        "problem_projects": F("count", 0, 1000),
        "size_concentration": F("dimensionless", 0.05, 100),
        "initial_progress_range": L("share", 0, 1),
        "problem_progress_min": F("share", 0, 1),
    },
}

# Districts are an array of tables: name, name_zh, population_share, non_resident_share (each with source).
DISTRICT: dict[str, Spec] = {
    "name": Spec("str", plain=True),
    "population_share": F("share", 0, 1),
    "non_resident_share": F("share", 0, 1),
}
