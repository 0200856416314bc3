"""Public rental housing (公租房) and rental subsidies (租赁补贴), seed 000 三(二)1 + 附件 7, seed 002 六, 七, 八(二).

Eligible: resident households renting privately and owning no home (住房困难), in one of the plans' groups:
- 低保、低收入 (the guaranteed group): income below ``eligibility_income_ratio`` × mean income;
- 中等偏下收入 (lower-middle income): income below the ``lower_middle_income_quantile`` of resident incomes
  (0.4: the statistics bureau's lowest two of five income groups) — 000 一(一)5 '住房保障范围…扩大到城市中等偏下
  收入家庭', 002 八(二)1 '城镇中等偏下及以下收入住房困难家庭';
- 新就业无房职工、外来务工人员 / 新市民、青年人 (newcomers): households formed or arrived in the last
  ``newcomer_months`` with income below ``newcomer_income_ratio`` × mean — 002 八(二)1, 000 二 '强化新市民、青年人保障'.
Eligible households apply; applicants are served oldest first: a vacant public-rental dwelling in their
district if there is one, otherwise a rental subsidy while the year's quota and budget last. The quota counts
the households holding a subsidy in the year, not new grants: the plans' figures are household-years (Anshan 002
七 表2 repeats 0.164万套 and 9.2万㎡ every year, 56.1 ㎡ a household; Panzhihua's 5,113 households over 2016–2020
for 587.99万元, 000 一(一)5, is 1,150元 each, a year's subsidy, not five), so a household already subsidised
uses up a place and new grants fill the places others leave.
应保尽保 holds for the guaranteed group only: with ``guarantee_service`` on, such an applicant reaching
``service_months`` (6 in 000 附件 7 '对申请审核通过的城镇户籍低保、低收入家庭，在6个月内实现应保尽保'; 002 八(二)1
'对城镇户籍低保、低收入住房困难家庭…实现应保尽保') gets a subsidy past the quota and budget; the other groups wait
(轮候期, 002 八(二)1). Support ends when income rises above ``exit_margin`` × the household's line or it owns a home
(退出机制, 000 三(二)1).
The subsidy follows the market rent: share × market rent (元/㎡/month) × subsidised area (m²); it is paid towards
the household's rent (``markets.rental``), so it is saved at the household's saving rate.
Guaranteed rental housing (保障性租赁住房, 000 三(二)2): the plan's units are raised each year while the units
already raised are let (occupancy at least ``guaranteed_rental_min_occupancy``; 多主体投资 supply follows demand),
so the plan's ≥ 1,500 can be missed; they are let to newcomers at ``guaranteed_rent_share`` of market rent.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..state import dwellings as dw
from ..state import households as hh
from ..state.calendar import MONTHS_PER_YEAR
from ..state.city import CityState
from ..state.housing import let_public_rental


@dataclass
class IncomeLines:
    """Each household's eligibility line (元/year; 0 where no group admits it) and whether it is in the
    guaranteed group (低保、低收入)."""
    line: np.ndarray
    guaranteed: np.ndarray


def income_lines(income: np.ndarray, newcomer: np.ndarray, mean_income: float, *, low_income_ratio: float,
                 lower_middle_quantile_income: float, newcomer_income_ratio: float) -> IncomeLines:
    """The highest income line of the groups a household belongs to: the low-income line for everyone, the
    lower-middle-income line (an income quantile, 元/year) for everyone, the newcomer line for newcomers."""
    low = low_income_ratio * mean_income
    line = np.maximum(np.maximum(low, lower_middle_quantile_income),
                      np.where(newcomer, newcomer_income_ratio * mean_income, 0.0))
    return IncomeLines(line=line, guaranteed=np.asarray(income) < low)


def eligible(income: np.ndarray, tenure_private_renter: np.ndarray, owns_home: np.ndarray,
             line: np.ndarray) -> np.ndarray:
    """Households that may apply: private renters owning nothing, income below their group's line."""
    return tenure_private_renter & ~owns_home & (income < line)


def monthly_subsidy(market_rent: np.ndarray | float, rent_share: float, area: float) -> np.ndarray:
    """Subsidy per household per month (元) tied to the market rent."""
    return np.asarray(market_rent, dtype=float) * rent_share * area


def subsidies(state: CityState, rows: np.ndarray | None = None) -> np.ndarray:
    """The rental subsidy (元/month) each household (or each of ``rows``) receives now; 0 where it has none."""
    rs, h = state.params.rental_support, state.households
    among = slice(None) if rows is None else rows
    held = h.subsidy[among]
    out = np.zeros(len(held))
    out[held] = monthly_subsidy(state.rent[h.district[among][held]], rs.subsidy_rent_share, rs.subsidised_area)
    return out


def approved_private_renters(state: CityState) -> np.ndarray:
    """Private renters approved for rental support: holding a subsidy or on the waiting list (public tenants,
    whose rent is set by the government, are not among them)."""
    h = state.households
    return (h.tenure == hh.RENTER) & (h.subsidy | (h.applied_month >= 0))


@dataclass
class QueueDecision:
    public: np.ndarray    # applicants (positions in the queue arrays) given a public-rental dwelling
    subsidy: np.ndarray   # applicants given a rental subsidy
    forced: int           # subsidies granted past the quota/budget to keep the service deadline


def serve_queue(wait_months: np.ndarray, district: np.ndarray, public_vacancies: np.ndarray,
                cost_per_month: np.ndarray, quota_left: float, budget_left: float, months_left_in_year: int,
                service_months: int, guarantee: bool, guaranteed: np.ndarray | None = None) -> QueueDecision:
    """Decide who on the waiting list is served this month.

    wait_months: months each applicant has waited (0 = applied this month); district: their district index.
    guaranteed: applicants in the group served within ``service_months`` whatever the quota (default: all).
    public_vacancies: vacant public-rental dwellings per district. cost_per_month: subsidy each would cost.
    quota_left: places left under the year's quota of subsidised households. budget_left: 元 still unspent this year,
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
        covered = np.ones(len(wait_months), bool) if guaranteed is None else np.asarray(guaranteed, bool)
        late = rest[stop:]
        due = late[(np.asarray(wait_months)[late] >= service_months - 1) & covered[late]]
        subsidy[due] = True
        forced = len(due)
    return QueueDecision(public=np.flatnonzero(public), subsidy=np.flatnonzero(subsidy), forced=forced)


class RentalSupport:
    """The housing bureau's rental support in one city: applications, the waiting list, public-rental lettings
    and subsidies within the year's quota of subsidised households and its budget (spending restarts every
    January)."""

    def __init__(self) -> None:
        self.spent_this_year = 0.0        # 元 (model scale)

    def step(self, state: CityState, rng: np.random.Generator) -> None:
        if state.month_of_year == 0:
            self.spent_this_year = 0.0
        rs, h, n = state.params.rental_support, state.households, state.n_districts
        y = state.year_index
        lines = self.lines(state)
        served = (h.tenure == hh.PUBLIC_TENANT) | h.subsidy
        # support ends when income rises above the exit margin over the line or the household owns a home
        exit_ = h.subsidy & ((h.income > rs.exit_margin * lines.line) | (h.n_owned > 0))
        h.column("subsidy")[exit_] = False
        can_apply = eligible(h.income, (h.tenure == hh.RENTER) & h.resident & ~h.subsidy, h.n_owned > 0,
                             lines.line)
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
            quota_left=rs.annual_quota[y] / state.scale - int((h.subsidy & h.resident).sum()),
            budget_left=rs.annual_budget[y] / state.scale - self.spent_this_year
            - self.monthly_bill(state) * months_left,
            months_left_in_year=months_left, service_months=rs.service_months, guarantee=rs.guarantee_service,
            guaranteed=lines.guaranteed[queue])
        let_public_rental(h, stock, queue[decision.public])
        granted = queue[decision.subsidy]
        h.column("subsidy")[granted] = True
        h.column("applied_month")[granted] = -1
        state.flows.subsidies_granted += np.bincount(h.district[granted], minlength=n)
        # pay this month's subsidies
        pay = subsidies(state)[h.subsidy]
        h.column("savings")[h.subsidy] += state.params.income.savings_rate * pay   # the rent it saves is saved
        self.spent_this_year += float(pay.sum())
        state.flows.subsidy_spending += np.bincount(h.district[h.subsidy], weights=pay, minlength=n)
        state.flows.subsidised_months += np.bincount(h.district[h.subsidy], minlength=n)
        # the 应保尽保 target is about the guaranteed group's wait
        waited = state.month - h.applied_month[(h.applied_month >= 0) & lines.guaranteed]
        state.rental_max_wait = int(waited.max()) if len(waited) else 0

    @staticmethod
    def lines(state: CityState) -> IncomeLines:
        """Every household's eligibility line this month (see ``income_lines``)."""
        rs, h = state.params.rental_support, state.households
        incomes = h.income[h.resident]
        quantile = float(np.quantile(incomes, rs.lower_middle_income_quantile)) if incomes.size else 0.0
        newcomer = state.month - h.arrived_month < rs.newcomer_months
        return income_lines(h.income, newcomer, state.mean_income(), low_income_ratio=rs.eligibility_income_ratio,
                            lower_middle_quantile_income=quantile, newcomer_income_ratio=rs.newcomer_income_ratio)

    @staticmethod
    def monthly_bill(state: CityState) -> float:
        """元 a month of the subsidies being paid."""
        return float(subsidies(state).sum())


def guaranteed_rental_occupancy(state: CityState) -> float:
    """Share of the guaranteed rental units raised so far that are let (1 before any is raised)."""
    stock = state.dwellings
    units = stock.kind == dw.GUARANTEED_RENTAL
    total = int(units.sum())
    return float((units & (stock.status != dw.VACANT)).sum()) / total if total else 1.0


def add_guaranteed_rental(state: CityState, rng: np.random.Generator) -> None:
    """Guaranteed rental housing (保障性租赁住房) of the year's plan joins the stock, spread over districts by
    population share, fractions carried so that each year's units are exact — in a month when the units raised
    so far are let (occupancy ≥ ``guaranteed_rental_min_occupancy``); a month's units not raised are not made up."""
    rs = state.params.rental_support
    k = int(state.calendar.scheduled("guaranteed_rental",
                                     rs.guaranteed_rental_units[state.year_index] / MONTHS_PER_YEAR / state.scale))
    if k and guaranteed_rental_occupancy(state) >= rs.guaranteed_rental_min_occupancy:
        district = rng.choice(state.n_districts, size=k, p=state.district_shares)
        state.dwellings.append(k, district=district, area=rs.guaranteed_rental_size, kind=dw.GUARANTEED_RENTAL,
                               status=dw.VACANT, owner=dw.OWNER_GOVERNMENT, build_year=state.year, project=-1)
        state.flows.guaranteed_rental_units += np.bincount(district, minlength=state.n_districts)
