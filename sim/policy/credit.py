"""Household credit (seed 000 三(一)5 差别化住房信贷): who borrows from the provident fund or a bank, at what rate,
how much, with what down payment, and so the most each buyer can pay.

- A member of the provident fund takes a fund loan with probability ``provident_fund_share`` (capped at
  ``provident_fund_loan_cap``), at the year's fund rate; everyone else borrows at the year's mortgage rate.
- The loan is limited by the payment-to-income rule: all mortgage payments ≤ ``max_payment_to_income`` ×
  monthly income, over ``mortgage_term`` years.
- The down payment is the year's first-home or further-home minimum (``down_payment_first`` / ``_second``).
- A buyer can pay at most min(cash + max loan, cash / down payment), cash = savings + compensation voucher.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..state.calendar import MONTHS_PER_YEAR
from ..state.city import CityState


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


@dataclass
class LoanTerms:
    """Per buyer: the loan it would take and the most it can pay."""

    provident: np.ndarray     # bool: a provident-fund loan
    rate: np.ndarray          # 1/year
    loan_limit: np.ndarray    # 元
    down_payment: np.ndarray  # share of the price
    budget: np.ndarray        # 元


def takes_provident_loan(state: CityState, rng: np.random.Generator) -> np.ndarray:
    """Per household: would borrow from the provident fund this month (a member, with probability
    ``provident_fund_share``). Every household draws, so each keeps its own draw whoever else is buying."""
    h = state.households
    return h.pf_member & (rng.random(h.n) < state.params.credit.provident_fund_share)


def rate(state: CityState, provident: np.ndarray) -> np.ndarray:
    """1/year: the year's provident-fund rate for fund borrowers, the commercial mortgage rate otherwise."""
    c, y = state.params.credit, state.year_index
    return np.where(provident, c.provident_fund_rate[y], c.mortgage_rate[y])


def loan_terms(state: CityState, rows: np.ndarray, provident: np.ndarray) -> LoanTerms:
    """The credit terms this year of the households in ``rows``, ``provident`` saying which borrow from the
    provident fund."""
    h, c, y = state.households, state.params.credit, state.year_index
    rates = rate(state, provident)
    limit = max_loan(h.income[rows] / MONTHS_PER_YEAR, h.mortgage_payment[rows], c.max_payment_to_income, rates,
                     c.mortgage_term)
    limit = np.where(provident, np.minimum(limit, c.provident_fund_loan_cap), limit)
    down = np.where(h.n_owned[rows] > 0, c.down_payment_second[y], c.down_payment_first[y])
    cash = np.maximum(h.savings[rows], 0.0) + h.voucher[rows]
    return LoanTerms(provident, rates, limit, down, max_purchase(cash, limit, down))
