"""Households' money each month (DESIGN §3.3 step 1): incomes grow and take a shock, tenants pay rent, savings
grow by the saving rate of what the rent leaves less mortgage payments, and mortgages amortise."""
from __future__ import annotations

import numpy as np

from ..markets.rental import rent_due
from ..state.calendar import MONTHS_PER_YEAR
from ..state.city import CityState


def step(state: CityState, rng: np.random.Generator) -> None:
    """Income × exp(annual growth / 12 + shock − sd²/2) (mean-preserving log-normal shock, sd per month);
    savings += saving rate × max(income / 12 − rent, 0) − mortgage payment: rent is consumption, and a tenant
    saves the same share of what it leaves (a subsidy towards the rent is saved at that rate too,
    ``policy.rental_support``); the mortgage payment less interest repays principal."""
    h, p = state.households, state.params.income
    g = p.growth[state.year_index] / MONTHS_PER_YEAR
    shock = rng.normal(0.0, p.shock_sd, h.n)
    h.column("income")[:] *= np.exp(g + shock - p.shock_sd ** 2 / 2)
    mb, pay, rate = h.column("mortgage_balance"), h.column("mortgage_payment"), h.mortgage_rate
    h.column("savings")[:] += p.savings_rate * np.maximum(h.income / MONTHS_PER_YEAR - rent_due(state), 0.0) - pay
    principal = np.minimum(np.maximum(pay - mb * rate / MONTHS_PER_YEAR, 0.0), mb)
    mb -= principal
    pay[mb <= 1.0] = 0.0
