"""Households' money each month (DESIGN §3.3 step 1): incomes grow and take a shock, savings grow by the saving
rate less mortgage payments, and mortgages amortise."""
from __future__ import annotations

import numpy as np

from ..state.calendar import MONTHS_PER_YEAR
from ..state.city import CityState


def step(state: CityState, rng: np.random.Generator) -> None:
    """Income × exp(annual growth / 12 + shock − sd²/2) (mean-preserving log-normal shock, sd per month);
    savings += saving rate × income / 12 − mortgage payment; the payment less interest repays principal."""
    h, p = state.households, state.params.income
    g = p.growth[state.year_index] / MONTHS_PER_YEAR
    shock = rng.normal(0.0, p.shock_sd, h.n)
    h.column("income")[:] *= np.exp(g + shock - p.shock_sd ** 2 / 2)
    mb, pay, rate = h.column("mortgage_balance"), h.column("mortgage_payment"), h.mortgage_rate
    h.column("savings")[:] += p.savings_rate * h.income / MONTHS_PER_YEAR - pay
    principal = np.minimum(np.maximum(pay - mb * rate / MONTHS_PER_YEAR, 0.0), mb)
    mb -= principal
    pay[mb <= 1.0] = 0.0
