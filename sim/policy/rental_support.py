"""Public rental housing (公租房) and rental subsidies (租赁补贴), seed 000 三(二)1 + 附件 7, seed 002 六, 七, 八(二).

- Eligible: households renting privately, owning no home, with income below a line (a ratio of the mean).
- Eligible households apply; applicants are served oldest first: a vacant public-rental dwelling in their
  district if there is one, otherwise a rental subsidy while the year's quota and budget last.
- 应保尽保: every approved applicant is served within ``service_months`` (6 in seed 000 附件 7). With
  ``guarantee_service`` on, an applicant reaching that wait gets a subsidy even past the quota and budget.
- The subsidy follows the market rent: share × market rent (元/㎡/month) × subsidised area (m²).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def eligible(income: np.ndarray, tenure_private_renter: np.ndarray, owns_home: np.ndarray,
             mean_income: float, income_ratio: float) -> np.ndarray:
    """Households that may apply: private renters owning nothing, income < ratio × mean income."""
    return tenure_private_renter & ~owns_home & (income < income_ratio * mean_income)


def monthly_subsidy(market_rent: np.ndarray | float, rent_share: float, area: float) -> np.ndarray:
    """Subsidy per household per month (元) tied to the market rent."""
    return np.asarray(market_rent, dtype=float) * rent_share * area


@dataclass
class QueueDecision:
    public: np.ndarray    # applicants (positions in the queue arrays) given a public-rental dwelling
    subsidy: np.ndarray   # applicants given a rental subsidy
    forced: int           # subsidies granted past the quota/budget to keep the service deadline


def serve_queue(wait_months: np.ndarray, district: np.ndarray, public_vacancies: np.ndarray,
                cost_per_month: np.ndarray, quota_left: float, budget_left: float, months_left_in_year: int,
                service_months: int, guarantee: bool) -> QueueDecision:
    """Decide who on the waiting list is served this month.

    wait_months: months each applicant has waited (0 = applied this month); district: their district index.
    public_vacancies: vacant public-rental dwellings per district. cost_per_month: subsidy each would cost.
    quota_left: subsidies still grantable this year (households). budget_left: 元 still unspent this year,
    against which a new subsidy is charged for the rest of the year (months_left_in_year).
    """
    order = np.lexsort((np.arange(len(wait_months)), -np.asarray(wait_months)))  # longest wait first
    public = np.zeros(len(wait_months), dtype=bool)
    vacancies = np.asarray(public_vacancies, dtype=int).copy()
    for d in np.unique(district):
        in_d = order[district[order] == d]
        take = in_d[: max(vacancies[d], 0)]
        public[take] = True
        vacancies[d] -= len(take)
    rest = order[~public[order]]
    cost_year = np.asarray(cost_per_month, dtype=float)[rest] * months_left_in_year
    fits = (np.arange(1, len(rest) + 1) <= quota_left) & (np.cumsum(cost_year) <= budget_left)
    # the queue is served in order: the first applicant that does not fit stops ordinary grants
    stop = np.argmin(fits) if not fits.all() else len(rest)
    subsidy = np.zeros(len(wait_months), dtype=bool)
    subsidy[rest[:stop]] = True
    forced = 0
    if guarantee:
        due = rest[stop:][np.asarray(wait_months)[rest[stop:]] >= service_months - 1]
        subsidy[due] = True
        forced = len(due)
    return QueueDecision(public=np.flatnonzero(public), subsidy=np.flatnonzero(subsidy), forced=forced)
