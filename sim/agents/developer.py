"""Property developers (mesa.Agent): balance sheet, projects, debt, the three red lines, distress and failure.

All money is in 元 at model scale (a 1/scale replica of the city); indicators multiply back.
"""
from __future__ import annotations

from collections import defaultdict

import mesa
import numpy as np

from ..markets import land
from ..policy import escrow, presale, red_lines
from ..state.calendar import MONTHS_PER_YEAR
from ..state.city import CityState
from ..state.developers import ACTIVE, DISTRESSED, FAILED
from ..state.projects import Project

__all__ = ["ACTIVE", "DISTRESSED", "FAILED", "Developer"]
LEDGER_INFLOWS = ("receipts_free", "escrow_released", "borrowed")
LEDGER_OUTFLOWS = ("repaid", "interest", "land", "construction", "upstreamed")


class Developer(mesa.Agent):
    """A developer's cash flows add up every month: Δcash = Σ inflows − Σ outflows (see ``ledger``)."""

    def __init__(self, model: mesa.Model, state: CityState, cash: float, debt: float) -> None:
        super().__init__(model)
        self.state = state
        self.cash = cash
        self.set_debt(debt)
        self.projects: list[Project] = []
        self.status = ACTIVE
        self.lines = 0
        self.arrears_months = 0
        self.ledger: dict[str, float] = defaultdict(float)
        self.cash_at_month_start = cash

    def set_debt(self, debt: float) -> None:
        """Initial interest-bearing debt (元), split into short- and long-term."""
        share = self.state.params.developers.short_debt_share
        self.short_debt, self.long_debt = debt * share, debt * (1 - share)
        self.debt_at_year_start = debt

    # --- balance sheet -------------------------------------------------------------------------------
    @property
    def debt(self) -> float:
        return self.short_debt + self.long_debt

    def escrow_balance(self) -> float:
        return sum([pr.escrow_deposits - pr.escrow_released for pr in self.projects])

    def advance_receipts(self) -> float:
        return sum([pr.receipts_undelivered for pr in self.projects])

    def assets(self) -> float:
        """Cash, escrow balances and the cost of homes not yet delivered to buyers (元)."""
        inventory = sum([pr.cost_spent - pr.cost_recognised for pr in self.projects])
        return max(self.cash, 0.0) + self.escrow_balance() + inventory

    def liabilities(self) -> float:
        return self.debt + self.advance_receipts() + max(-self.cash, 0.0)

    def equity(self) -> float:
        return self.assets() - self.liabilities()

    def red_line_ratios(self) -> red_lines.RedLineRatios:
        return red_lines.ratios(self.assets(), self.liabilities(), self.advance_receipts(), max(self.cash, 0.0),
                                self.debt, self.short_debt)

    def update_red_lines(self) -> None:
        rl = self.state.params.red_lines
        self.lines = red_lines.lines_crossed(self.red_line_ratios(), rl.liability_ratio_max, rl.net_gearing_max,
                                             rl.cash_short_debt_min)

    # --- credit --------------------------------------------------------------------------------------
    def borrowing_headroom(self, *, capped: bool = True) -> float:
        """元 the developer may still borrow: the lenders' debt/asset limit, from the red-line start year the
        tier's cap on annual debt growth (15/10/5/0 %), less the share of new credit frozen that year.

        capped=False is credit for what the developer already owes: the bills of projects under construction and
        the interest on its debt (capitalised into project loans, rolled over). The red lines cap the debt that
        finances expansion — land and new starts — not the completion of homes already presold or under way
        (``policy.red_lines``)."""
        if self.status == FAILED:
            return 0.0
        p = self.state.params
        assets_net = self.assets() - self.advance_receipts()
        room = p.developers.max_debt_to_assets * max(assets_net, 0.0) - self.debt
        if capped and self.state.year >= p.red_lines.start_year:
            cap = red_lines.debt_growth_cap(self.lines, p.red_lines.debt_growth_caps)
            room = min(room, self.debt_at_year_start * (1 + cap) - self.debt)
        return max(room, 0.0) * (1.0 - p.red_lines.developer_credit_freeze[self.state.year_index])

    def target_debt(self) -> float:
        """元 of interest-bearing debt the developer keeps (rolls over) rather than repays from spare cash: a
        share of its assets net of advance receipts, as real balance sheets carry debt through the cycle."""
        assets_net = self.assets() - self.advance_receipts()
        return self.state.params.developers.target_debt_to_assets * max(assets_net, 0.0)

    def borrow(self, amount: float, *, capped: bool = True) -> float:
        amount = min(amount, self.borrowing_headroom(capped=capped))
        if amount <= 0:
            return 0.0
        share = self.state.params.developers.short_debt_share
        self.short_debt += amount * share
        self.long_debt += amount * (1 - share)
        self.cash += amount
        self.ledger["borrowed"] += amount
        return amount

    def roll_over_short_debt(self) -> None:
        """Short-term debt falls due evenly over ``short_debt_maturity_months``; lenders roll the month's maturity
        over within their debt/asset limit, less the year's credit freeze, and what they do not roll over is paid
        from cash — into arrears (negative cash) when the cash is not there. A frozen credit market thus drains
        developers' cash even when they borrow nothing new (the 2021–2022 funding stop)."""
        due = self.short_debt / self.state.params.developers.short_debt_maturity_months
        if due <= 0:
            return
        self.short_debt -= due
        self.cash -= due
        self.ledger["repaid"] += due
        rolled = min(due, self.borrowing_headroom(capped=False))   # no new debt: outside the red lines' growth cap
        self.short_debt += rolled
        self.cash += rolled
        self.ledger["borrowed"] += rolled

    def land_funds_needed(self) -> float:
        """元 of its own money the developer needs for the land it wants (``markets.land.land_wanted``) at the
        reserve price: the cash share of it (all of it under the red lines' land-fund check)."""
        p = self.state.params.developers
        wanted = land.land_wanted(self.state, self, land.monthly_sales_per_developer(self.state))
        if wanted <= 0:
            return 0.0
        price = float(self.state.new_price @ self.state.district_shares)
        own_share = 1.0 if red_lines.land_from_own_funds(self.state, self.lines) else 1.0 - p.land_debt_share
        return own_share * wanted * p.land_cost_share * price

    def upstream(self, amount: float) -> None:
        """``amount`` 元 of free cash leaves the city to the developer's group (资金归集: land and projects
        elsewhere, dividends). Money in a supervised account cannot be swept: supervision keeps buyers' money for
        their project (000 三(一)4 '确保预售资金应归尽归…确保购房款优先用于项目建设')."""
        self.cash -= amount
        self.ledger["upstreamed"] += amount

    def repay(self, amount: float) -> None:
        amount = min(amount, self.debt, max(self.cash, 0.0))
        if amount <= 0:
            return
        short_part = amount * self.short_debt / self.debt
        self.short_debt -= short_part
        self.long_debt -= amount - short_part
        self.cash -= amount
        self.ledger["repaid"] += amount

    def pay(self, item: str, amount: float, *, may_borrow: bool = True, capped: bool = True) -> bool:
        """Pay ``amount`` for a ledger item from cash, borrowing the shortfall if allowed (outside the red lines'
        growth cap when ``capped`` is False). False if unfunded. A loan raised for the bill pays the bill: it does
        not go to arrears (negative cash) first."""
        available = max(self.cash, 0.0)
        borrowed = self.borrow(amount - available, capped=capped) if amount > available and may_borrow else 0.0
        if available + borrowed + 1e-6 < amount:
            return False
        self.cash -= amount
        self.ledger[item] += amount
        return True

    def receive(self, item: str, amount: float) -> None:
        self.cash += amount
        self.ledger[item] += amount

    def collect_presale(self, amount: float) -> None:
        """``amount`` 元 of a presold home's price paid to the developer outside escrow arrive, and its group
        takes ``presale_sweep_share`` of them at once, before construction needs them (资金归集 of buyers' money:
        the diversion behind the stalled presold projects of 2021–2022). Supervision decides how much of a sale
        is free to take (000 三(一)4 '确保预售资金应归尽归'); the group never sweeps a company into arrears."""
        self.receive("receipts_free", amount)
        share = self.state.params.developers.presale_sweep_share[self.state.year_index]
        self.upstream(min(share * amount, max(self.cash, 0.0)))

    # --- monthly step --------------------------------------------------------------------------------
    def start_month(self) -> None:
        self.ledger.clear()
        self.cash_at_month_start = self.cash
        if self.state.month_of_year == 0:
            self.debt_at_year_start = self.debt
        self.update_red_lines()

    def step(self) -> None:
        """Service debt, fund construction, repay debt above its target from spare cash, and fail when
        insolvent."""
        if self.status == FAILED:
            return
        p = self.state.params.developers
        self.roll_over_short_debt()
        interest = self.debt * p.debt_rate / MONTHS_PER_YEAR
        if not self.pay("interest", interest, capped=False):
            # unpaid interest accrues as arrears (negative cash)
            self.cash -= interest
            self.ledger["interest"] += interest
        construction_need = 0.0
        for pr in self.projects:
            if pr.completed or pr.problem or self.state.month < pr.start_month:
                continue
            if not pr.started:
                if not self.can_start(pr):
                    continue    # the land waits (land bank), the project has not started: nothing stalls
                pr.presale_threshold = presale.developer_threshold(self.state, self.lines)
            cost = p.build_cost * pr.area / p.construction_months
            construction_need += cost
            from_escrow = escrow.construction_from_escrow(pr, cost)    # buyers' supervised money first
            if cost - from_escrow <= 0 or self.pay("construction", cost - from_escrow, capped=False):
                escrow.pay_out(self.state, pr, from_escrow)
                pr.cost_spent += cost
                self.state.flows.investment[pr.district] += cost
                pr.progress = min(1.0, pr.progress + 1.0 / p.construction_months)
                pr.unfunded_months = 0
            else:
                pr.unfunded_months += 1
                if pr.unfunded_months >= p.stall_months:
                    self.stall(pr)
        if self.cash < 0:
            self.builders_walk_off()
        buffer = p.cash_buffer_months * (interest + construction_need) + self.land_funds_needed()
        if self.cash > buffer:
            self.repay(min(self.cash - buffer, self.debt - self.target_debt()))
        if self.cash > buffer:
            self.upstream(p.group_sweep_share * (self.cash - buffer))
        self.arrears_months = self.arrears_months + 1 if self.cash < 0 else 0
        if self.arrears_months >= p.failure_months:
            self.fail()
        elif self.cash < 0 or any(pr.problem for pr in self.projects if not pr.completed):
            self.status = DISTRESSED
        else:
            self.status = ACTIVE

    def funds_to_spare(self) -> float:
        """元 of cash and credit left after what the developer's started projects still need to be completed, less
        what their supervised accounts hold and ``presale_reliance`` × the presale receipts it expects from their
        unsold homes: what it commits to land and new starts. Counting on buyers' money to finish (高周转) frees
        cash for expansion, and leaves a project short when sales fall and credit stops; money held in escrow
        cannot be committed elsewhere (000 三(一)4 '确保购房款优先用于项目建设，降低项目风险')."""
        p = self.state.params.developers
        committed = sum([max(p.build_cost * pr.area * (1.0 - pr.progress) - pr.escrow_balance
                             - p.presale_reliance * pr.unsold_units * pr.unit_area * pr.price, 0.0)
                         for pr in self.projects if pr.started and not (pr.problem or pr.completed)])
        return max(self.cash, 0.0) + self.borrowing_headroom() - committed

    def cost_to_presale(self, area: float) -> float:
        """元 of construction a new project of ``area`` m² needs before it may presell: up to the developer's
        presale threshold, plus the step a long destocking cycle may add (``policy.presale``)."""
        p = self.state.params
        threshold = presale.developer_threshold(self.state, self.lines) + p.presale.cycle_threshold_step
        return p.developers.build_cost * area * min(threshold, 1.0)

    def can_start(self, pr: Project) -> bool:
        """A project starts only when the developer can fund its construction up to presale on top of what its
        started projects still need (项目资本金 in place before construction): a developer short of funds, or
        held by the red lines' debt cap, leaves the land waiting rather than start a project it would stall."""
        return self.funds_to_spare() >= self.cost_to_presale(pr.area)

    def builders_walk_off(self) -> None:
        """A developer in arrears: each of its unfinished projects stalls this month with probability
        ``arrears_stall_rate`` × the share of its remaining construction cost its supervised account does not
        cover — builders keep working where buyers' escrowed money guarantees their bills (000 三(一)4 '确保购房款
        优先用于项目建设，降低项目风险'), so loose supervision leaves more projects to stall when a developer's cash
        runs out."""
        p = self.state.params.developers
        building = [pr for pr in self.projects if pr.started and not (pr.completed or pr.problem)]
        if not building:
            return
        remaining = np.array([p.build_cost * pr.area * (1.0 - pr.progress) for pr in building])
        covered = np.minimum(np.array([max(pr.escrow_balance, 0.0) for pr in building]) / remaining, 1.0)
        stalls = self.model.streams.project_stalls.random(len(building)) < p.arrears_stall_rate * (1.0 - covered)
        for pr in np.array(building, dtype=object)[stalls]:
            self.stall(pr)

    def stall(self, pr: Project) -> None:
        """A project stops: it becomes a problem project (问题楼盘), counted once in its district."""
        if not pr.problem:
            pr.problem = True
            self.state.flows.problem_new[pr.district] += 1

    def fail(self) -> None:
        """Insolvent. A started, unfinished project whose supervised account covers its remaining construction is
        finished from it (the supervising bank pays the builder, 000 三(一)4 '确保购房款优先用于项目建设，降低项目风险')
        and stays on sale; every other started, unfinished project stalls and becomes a problem project. Unsold
        homes that leave the saleable inventory are recorded, so inventory = supply − sales − withdrawn holds
        exactly."""
        build_cost = self.state.params.developers.build_cost
        on_sale = [self.state.may_sell(pr) for pr in self.projects]
        self.status = FAILED
        for pr in self.projects:
            if pr.started and not pr.completed and not pr.problem:
                if pr.escrow_balance >= build_cost * pr.area * (1.0 - pr.progress) - 1e-6:
                    pr.rescued = True       # finished from escrow: taken over, never a problem project
                else:
                    self.stall(pr)
        withdrawn = self.state.flows.inventory_withdrawn
        for pr, was_on_sale in zip(self.projects, on_sale, strict=True):
            if was_on_sale and not self.state.may_sell(pr):     # a project taken over stays on sale
                withdrawn[pr.district] += pr.saleable_units * pr.unit_area

    def cash_flow_residual(self) -> float:
        """Δcash − (inflows − outflows) this month; zero when the books add up."""
        flows = sum(self.ledger[k] for k in LEDGER_INFLOWS) - sum(self.ledger[k] for k in LEDGER_OUTFLOWS)
        return (self.cash - self.cash_at_month_start) - flows
