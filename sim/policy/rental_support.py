"""Public rental housing (公租房) and rental subsidies (租赁补贴), seed 000 三(二)1 + 附件 7, seed 002 六, 七, 八(二).

- Eligible: households renting privately, owning no home, with income below a line (a ratio of the mean).
- Eligible households apply; applicants are served oldest first: a vacant public-rental dwelling in their
  district if there is one, otherwise a rental subsidy while the year's quota and budget last.
- 应保尽保: every approved applicant is served within ``service_months`` (6 in seed 000 附件 7). With
  ``guarantee_service`` on, an applicant reaching that wait gets a subsidy even past the quota and budget.
- The subsidy follows the market rent: share × market rent (元/㎡/month) × subsidised area (m²).
- Guaranteed rental housing (保障性租赁住房, 000 三(二)2): the plan's units are added to the stock each year.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..state import dwellings as dw
from ..state import households as hh
from ..state.calendar import MONTHS_PER_YEAR
from ..state.city import CityState
from ..state.housing import let_public_rental


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


class RentalSupport:
    """The housing bureau's rental support in one city: applications, the waiting list, public-rental lettings
    and subsidies within the year's quota and budget (its counters restart every January)."""

    def __init__(self) -> None:
        self.granted_this_year = 0        # households (model scale)
        self.spent_this_year = 0.0        # 元 (model scale)

    def step(self, state: CityState, rng: np.random.Generator) -> None:
        if state.month_of_year == 0:
            self.granted_this_year = 0
            self.spent_this_year = 0.0
        rs, h, n = state.params.rental_support, state.households, state.n_districts
        y = state.year_index
        mean_income = state.mean_income()
        served = (h.tenure == hh.PUBLIC_TENANT) | h.subsidy
        # support ends when income rises above the exit line or the household owns a home
        exit_ = h.subsidy & ((h.income > rs.exit_income_ratio * mean_income) | (h.n_owned > 0))
        h.column("subsidy")[exit_] = False
        can_apply = eligible(h.income, (h.tenure == hh.RENTER) & h.resident & ~h.subsidy, h.n_owned > 0,
                             mean_income, rs.eligibility_income_ratio)
        applied = h.applied_month >= 0
        h.column("applied_month")[applied & ~can_apply & ~served] = -1   # no longer eligible
        new_app = can_apply & ~applied & (rng.random(h.n) < rs.application_rate)
        h.column("applied_month")[new_app] = state.month
        queue = np.flatnonzero((h.applied_month >= 0) & can_apply)
        wait = state.month - h.applied_month[queue]
        stock = state.dwellings
        vacant_public = np.bincount(stock.district[(stock.status == dw.VACANT) & (stock.kind == dw.PUBLIC_RENTAL)],
                                    minlength=n)
        cost = monthly_subsidy(state.rent[h.district[queue]], rs.subsidy_rent_share, rs.subsidised_area)
        months_left = MONTHS_PER_YEAR - state.month_of_year
        decision = serve_queue(
            wait, h.district[queue].astype(np.int64), vacant_public, cost,
            quota_left=rs.annual_quota[y] / state.scale - self.granted_this_year,
            budget_left=rs.annual_budget[y] / state.scale - self.spent_this_year
            - self.monthly_bill(state) * months_left,
            months_left_in_year=months_left, service_months=rs.service_months, guarantee=rs.guarantee_service)
        let_public_rental(h, stock, queue[decision.public])
        granted = queue[decision.subsidy]
        h.column("subsidy")[granted] = True
        h.column("applied_month")[granted] = -1
        self.granted_this_year += len(granted)
        state.flows.subsidies_granted += np.bincount(h.district[granted], minlength=n)
        # pay this month's subsidies
        pay = monthly_subsidy(state.rent[h.district[h.subsidy]], rs.subsidy_rent_share, rs.subsidised_area)
        h.column("savings")[h.subsidy] += pay
        self.spent_this_year += float(pay.sum())
        state.flows.subsidy_spending += np.bincount(h.district[h.subsidy], weights=pay, minlength=n)
        waited = state.month - h.applied_month[(h.applied_month >= 0)]
        state.rental_max_wait = int(waited.max()) if len(waited) else 0

    @staticmethod
    def monthly_bill(state: CityState) -> float:
        """元 a month of the subsidies being paid."""
        rs, h = state.params.rental_support, state.households
        return float(monthly_subsidy(state.rent[h.district[h.subsidy]], rs.subsidy_rent_share,
                                     rs.subsidised_area).sum())


def add_guaranteed_rental(state: CityState, rng: np.random.Generator) -> None:
    """Guaranteed rental housing (保障性租赁住房) raised by the plan joins the stock, spread over districts by
    population share, fractions carried so that each year's units are exact."""
    rs = state.params.rental_support
    k = int(state.calendar.scheduled("guaranteed_rental",
                                     rs.guaranteed_rental_units[state.year_index] / MONTHS_PER_YEAR / state.scale))
    if k:
        district = rng.choice(state.n_districts, size=k, p=state.district_shares)
        state.dwellings.append(k, district=district, area=rs.guaranteed_rental_size, kind=dw.GUARANTEED_RENTAL,
                               status=dw.VACANT, owner=dw.OWNER_GOVERNMENT, build_year=state.year, project=-1)
        state.flows.guaranteed_rental_units += np.bincount(district, minlength=state.n_districts)
