"""Household credit: annuity payments and the most a buyer can pay (seed 000 三(一)5 差别化住房信贷).

A buyer can pay at most min(savings + max_loan, savings / down_payment): the loan is limited by the
payment-to-income rule, and the down payment by savings.
"""
from __future__ import annotations

import numpy as np

from ..state.calendar import MONTHS_PER_YEAR


def annuity_factor(annual_rate: np.ndarray | float, term_years: int) -> np.ndarray:
    """Monthly payment per 元 borrowed."""
    r = np.asarray(annual_rate, dtype=float) / MONTHS_PER_YEAR
    n = term_years * MONTHS_PER_YEAR
    with np.errstate(divide="ignore", invalid="ignore"):
        f = np.where(r > 0, r / (1.0 - (1.0 + r) ** -n), 1.0 / n)
    return f


def max_loan(monthly_income: np.ndarray, existing_payment: np.ndarray, max_pti: float,
             annual_rate: np.ndarray | float, term_years: int) -> np.ndarray:
    """Largest loan (元) whose payment keeps all mortgage payments within max_pti of monthly income."""
    room = np.maximum(max_pti * np.asarray(monthly_income) - np.asarray(existing_payment), 0.0)
    return room / annuity_factor(annual_rate, term_years)


def max_purchase(savings: np.ndarray, loan_limit: np.ndarray, down_payment: np.ndarray | float) -> np.ndarray:
    """Largest home value (元) a buyer can pay with savings and a loan under the down-payment rule."""
    savings = np.maximum(np.asarray(savings, dtype=float), 0.0)
    return np.minimum(savings + loan_limit, savings / np.maximum(down_payment, 1e-9))
