"""The local government (mesa.Agent): applies the plans' policy rules every month (DESIGN §3.3 step 2).

Order: destocking cycle per district → land-supply rule → land offered and sold → presale permits →
escrow releases by construction node → problem-project rescue → rental support → guaranteed rental housing.
Credit policy (down payments, mortgage and provident-fund rates by year) is read by households from the
scenario's ``credit`` section.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from ..markets import land
from ..policy import escrow, presale, rental_support
from ..policy.destocking_cycle import destocking_cycle
from ..policy.land_supply import BandRule, LandSupplyMonitor
from . import dwellings as dw
from . import households as hh
from .developer import DISTRESSED, FAILED

if TYPE_CHECKING:
    from ..model import HousingMarketModel


class Government(mesa.Agent):
    def __init__(self, model: HousingMarketModel) -> None:
        super().__init__(model)
        self.monitor = LandSupplyMonitor(self.land_rule(), self.cycles())
        self.land_multiplier = np.ones(len(model.districts))
        self.subsidies_granted_this_year = 0
        self.subsidy_spent_this_year = 0.0

    def land_rule(self) -> BandRule:
        ls = self.model.params.land_supply
        return BandRule(tuple(ls.band_edges), tuple(ls.band_multipliers), ls.persistence_months)

    def cycles(self) -> np.ndarray:
        """Destocking cycle (months) of each district."""
        m = self.model
        window = m.params.simulation.trailing_sales_months
        return destocking_cycle(m.inventory_area_by_district(), m.sales_history[-window:])

    def step(self) -> None:
        m = self.model
        if m.month_of_year == 0:
            self.subsidies_granted_this_year = 0
            self.subsidy_spent_this_year = 0.0
        cycles = self.cycles()
        rule = self.land_rule()
        if rule != self.monitor.rule:   # a variant's rule taking over: its bands start from today's cycles
            self.monitor = LandSupplyMonitor(rule, cycles)
        self.land_multiplier = self.monitor.update(cycles)
        self.supply_land()
        self.issue_presale_permits(cycles)
        self.release_escrow()
        self.rescue_problem_projects()
        self.run_rental_support()
        self.add_guaranteed_rental()

    def supply_land(self) -> None:
        m, ls = self.model, self.model.params.land_supply
        planned = ls.annual_plan[m.year_index] / 12 / m.scale * m.district_shares * self.land_multiplier
        parcel_ha = ls.parcel_size / m.scale
        parcels = m.scheduled("land_parcels", planned / parcel_ha)
        land.auction(m, parcels, parcel_ha)

    def issue_presale_permits(self, cycles: np.ndarray) -> None:
        m, ps = self.model, self.model.params.presale
        for pr in m.projects:
            if pr.permitted or not pr.started:
                continue
            dev = m.developer(pr.developer_id)
            threshold = presale.progress_threshold(
                np.array([dev.lines]), np.array([cycles[pr.district]]), normal=ps.progress_threshold,
                red_line=ps.red_line_progress_threshold, completed_only=ps.red_line_completed_only,
                min_lines=ps.red_line_min_lines, relax_below=ps.relax_below_cycle,
                tighten_above=ps.tighten_above_cycle, step=ps.cycle_threshold_step)[0]
            if pr.progress + 1e-9 >= threshold:
                pr.permitted = True
                pr.price = float(m.new_price[pr.district])
                m.month_flows_by_district["supply_area"][pr.district] += pr.area

    def release_escrow(self) -> None:
        m, es = self.model, self.model.params.escrow
        for pr in m.projects:
            if pr.escrow_deposits <= pr.escrow_released:
                continue
            dev = m.developer(pr.developer_id)
            good_credit_short_of_cash = dev.status == DISTRESSED and not m.is_red_line(dev)
            shift = es.early_release_shift if good_credit_short_of_cash else 0.0
            amount = float(escrow.release(pr.escrow_deposits, pr.escrow_released, pr.progress,
                                          es.release_progress, es.release_share, shift))
            if amount > 0 and dev.status != FAILED:
                pr.escrow_released += amount
                m.month_flows["escrow_releases"] += amount
                dev.receive("escrow_released", amount)

    def rescue_problem_projects(self) -> None:
        """Stalled projects are taken over one by one ('一盘一策', seed 000 三(一)5) and finished with public
        funds; a rescued project's escrow pays for construction first. Delivery follows in the developers'
        phase, as for every completed project."""
        m, p = self.model, self.model.params.developers
        for pr in m.projects:
            if pr.problem and not pr.rescued and m.streams["government"].random() < p.problem_resolution_rate:
                pr.rescued = True
                m.month_flows_by_district["problem_resolved"][pr.district] += 1
            if pr.rescued and not pr.completed:
                cost = p.build_cost * pr.area / p.construction_months
                from_escrow = min(cost, pr.escrow_balance)
                pr.escrow_released += from_escrow
                m.month_flows["escrow_releases"] += from_escrow
                pr.cost_spent += cost
                pr.progress = min(1.0, pr.progress + 1.0 / p.construction_months)
                m.month_flows_by_district["investment"][pr.district] += cost
                m.month_flows_by_district["rescue_spending"][pr.district] += cost - from_escrow

    def run_rental_support(self) -> None:
        m, rs, h = self.model, self.model.params.rental_support, self.model.households
        y = m.year_index
        mean_income = m.mean_income()
        served = (h.tenure == hh.PUBLIC_TENANT) | h.subsidy
        # support ends when income rises above the exit line or the household owns a home
        exit_ = h.subsidy & ((h.income > rs.exit_income_ratio * mean_income) | (h.n_owned > 0))
        h.column("subsidy")[exit_] = False
        can_apply = rental_support.eligible(h.income, (h.tenure == hh.RENTER) & h.resident & ~h.subsidy,
                                            h.n_owned > 0, mean_income, rs.eligibility_income_ratio)
        applied = h.applied_month >= 0
        h.column("applied_month")[applied & ~can_apply & ~served] = -1   # no longer eligible
        new_app = can_apply & ~applied & (m.streams["government"].random(h.n) < rs.application_rate)
        h.column("applied_month")[new_app] = m.month
        queue = np.flatnonzero((h.applied_month >= 0) & can_apply)
        wait = m.month - h.applied_month[queue]
        vacant_public = np.bincount(m.dwellings.district[(m.dwellings.status == dw.VACANT)
                                                         & (m.dwellings.kind == dw.PUBLIC_RENTAL)],
                                    minlength=len(m.districts))
        cost = rental_support.monthly_subsidy(m.rent[h.district[queue]], rs.subsidy_rent_share, rs.subsidised_area)
        months_left = 12 - m.month_of_year
        decision = rental_support.serve_queue(
            wait, h.district[queue].astype(np.int64), vacant_public, cost,
            quota_left=rs.annual_quota[y] / m.scale - self.subsidies_granted_this_year,
            budget_left=rs.annual_budget[y] * 1e4 / m.scale - self.subsidy_spent_this_year
            - self.monthly_subsidy_bill() * months_left,
            months_left_in_year=months_left, service_months=rs.service_months, guarantee=rs.guarantee_service)
        self.house_in_public_rental(queue[decision.public])
        granted = queue[decision.subsidy]
        h.column("subsidy")[granted] = True
        h.column("applied_month")[granted] = -1
        self.subsidies_granted_this_year += len(granted)
        m.month_flows_by_district["subsidies_granted"] += np.bincount(h.district[granted], minlength=len(m.districts))
        # pay this month's subsidies
        pay = rental_support.monthly_subsidy(m.rent[h.district[h.subsidy]], rs.subsidy_rent_share, rs.subsidised_area)
        h.column("savings")[h.subsidy] += pay
        self.subsidy_spent_this_year += float(pay.sum())
        m.month_flows_by_district["subsidy_spending"] += np.bincount(h.district[h.subsidy], weights=pay,
                                                                     minlength=len(m.districts))
        waited = m.month - h.applied_month[(h.applied_month >= 0)]
        m.month_stats["rental_max_wait"] = int(waited.max()) if len(waited) else 0

    def monthly_subsidy_bill(self) -> float:
        m, rs, h = self.model, self.model.params.rental_support, self.model.households
        return float(rental_support.monthly_subsidy(m.rent[h.district[h.subsidy]], rs.subsidy_rent_share,
                                                    rs.subsidised_area).sum())

    def house_in_public_rental(self, rows: np.ndarray) -> None:
        """Move applicants into vacant public-rental dwellings of their district."""
        h, stock = self.model.households, self.model.dwellings
        vacant = np.flatnonzero((stock.status == dw.VACANT) & (stock.kind == dw.PUBLIC_RENTAL))
        for d in np.unique(h.district[rows]):
            r = rows[h.district[rows] == d]
            homes = vacant[stock.district[vacant] == d][: len(r)]
            r = r[: len(homes)]
            old = h.dwelling[r]
            stock.status[old[old >= 0]] = dw.VACANT
            stock.status[homes] = dw.RENTED
            h.column("dwelling")[r] = homes
            h.column("tenure")[r] = hh.PUBLIC_TENANT
            h.column("applied_month")[r] = -1

    def add_guaranteed_rental(self) -> None:
        """Guaranteed rental housing (保障性租赁住房) raised by the plan, let at up to 90 % of market rent."""
        m, rs = self.model, self.model.params.rental_support
        k = int(m.scheduled("guaranteed_rental", rs.guaranteed_rental_units[m.year_index] / 12 / m.scale))
        if k:
            district = m.streams["government"].choice(len(m.districts), size=k, p=m.district_shares)
            m.dwellings.append(k, district=district, area=rs.guaranteed_rental_size, kind=dw.GUARANTEED_RENTAL,
                               status=dw.VACANT, owner=dw.OWNER_GOVERNMENT, build_year=m.year, project=-1)
            m.month_flows_by_district["guaranteed_rental_units"] += np.bincount(district, minlength=len(m.districts))
