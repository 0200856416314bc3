"""The housing-market model (mesa.Model): one step = one month, 2016-01 … 2025-12 (DESIGN §3.3).

1. demography and income; shantytown resettlement
2. government: destocking cycle, land supply, presale permits, escrow releases, rescues, rental support
3. developers: debt service, construction, failure; completed projects are delivered
4. households decide to buy; new-home and resale markets clear
5. prices and rents adjust
6. indicators are recorded (``DataCollector`` table ``raw``)

The model is a 1/scale replica of the city: every extensive input is divided by ``scale`` and every extensive
output multiplied back. All randomness comes from the model's ``rng`` (``mesa.Model(rng=seed)``), split into one
independent stream per process (``RANDOM_STREAMS``): a policy that changes how many buyers draw lots leaves the
income shocks, migration and the other processes' draws untouched, so scenarios run on the same seed differ
only through the policy (common random numbers for ``compare``).
"""
from __future__ import annotations

from collections import defaultdict

import mesa
import numpy as np
import pandas as pd

from . import indicators
from .agents import demand, demography
from .agents import dwellings as dw
from .agents import households as hh
from .agents.developer import FAILED, Developer
from .agents.government import Government
from .agents.population import START_YEAR, build_population
from .agents.project import Project
from .config.loader import Scenario, Section
from .config.schema import YEARS
from .markets import new_homes, pricing, rental, resale, settlement
from .policy import presale, shantytown

N_MONTHS = 12 * len(YEARS)
RANDOM_STREAMS = ("setup", "income", "demography", "shantytown", "government", "demand", "markets")
DISTRICT_FLOWS = ("sales_area", "sales_value", "supply_area", "land_supplied", "land_offered", "land_revenue",
                  "investment", "rescue_spending", "resale_area", "resale_value", "subsidy_spending",
                  "subsidies_granted", "guaranteed_rental_units", "non_resident_purchases", "problem_new",
                  "problem_resolved")


class HousingMarketModel(mesa.Model):
    """Households (column arrays), developers and the government of one city under one scenario."""

    def __init__(self, scenario: Scenario, seed: int = 0, scale: int = 1) -> None:
        super().__init__(rng=seed)
        if scale < 1:
            raise ValueError(f"scale must be a positive integer, got {scale}")
        self.scenario = scenario
        self.streams = dict(zip(RANDOM_STREAMS, self.rng.spawn(len(RANDOM_STREAMS)), strict=True))
        self.month = 0
        self.profile = scenario.profile
        self.districts = scenario.districts
        self.scale = scale
        self.unit_size = self.params.simulation.unit_size_new
        self.district_shares = np.array([d.population_share for d in self.districts])
        odds = np.array([d.non_resident_share / max(1 - d.non_resident_share, 1e-9) for d in self.districts])
        self.non_resident_weights = self.district_shares * odds / (self.district_shares * odds).sum()
        self._carry: dict[str, np.ndarray | float] = {}
        self._project_ids = 0

        self.households, self.dwellings = build_population(self.profile, self.districts, scale,
                                                            self.streams["setup"])
        self.new_price = np.full(len(self.districts), self.profile.housing.avg_price)
        self.price_history = np.tile(self.new_price, (self.params.demand.price_memory_months + 1, 1))   # oldest first
        self.rent = np.full(len(self.districts), self.profile.housing.avg_rent)
        window = self.params.simulation.trailing_sales_months
        monthly_sales = self.profile.housing.monthly_sales * 1e4 / scale * self.district_shares
        self.sales_history = np.tile(monthly_sales, (window, 1))
        self.projects: list[Project] = []
        self.developers = self._build_developers()
        self._developer_by_id = {d.unique_id: d for d in self.developers}
        self._build_initial_projects()
        self.government = Government(self)
        self.unmet_buyers = np.zeros(len(self.districts))
        self.reference_rental_vacancy = self.rental_vacancy()
        self._new_month()
        self.datacollector = mesa.DataCollector(tables={"raw": ["district", "year", "month", *indicators.RAW]})

    @property
    def params(self) -> Section:
        """The scenario's parameters acting this month (a variant's own from its ``from_year``)."""
        return self.scenario.params_at(self.year)

    # --- calendar --------------------------------------------------------------------------------------
    @property
    def year(self) -> int:
        return START_YEAR + self.month // 12

    @property
    def year_index(self) -> int:
        return self.month // 12

    @property
    def month_of_year(self) -> int:
        return self.month % 12

    def scheduled(self, key: str, amount: np.ndarray | float) -> np.ndarray | int:
        """Whole units due this month for a planned quantity, carrying fractions so yearly totals are exact."""
        total = self._carry.get(key, 0.0) + np.asarray(amount, dtype=float)
        whole = np.floor(total + 1e-9)
        self._carry[key] = total - whole
        return whole.astype(int) if np.ndim(whole) else int(whole)

    # --- set-up ----------------------------------------------------------------------------------------
    def _build_developers(self) -> list[Developer]:
        p = self.params.developers
        weights = self.streams["setup"].dirichlet(np.full(p.count, self.profile.developers.size_concentration))
        return [Developer(self, cash=p.initial_cash * 1e8 / self.scale * w, debt=0.0) for w in weights]

    def next_project_id(self) -> int:
        self._project_ids += 1
        return self._project_ids

    def _build_initial_projects(self) -> None:
        """Developers' 2016-01 inventory (completed, or under construction with a permit), pipeline (under
        construction, no permit yet) and legacy problem projects (stalled, unsold), in projects of one land
        parcel each, held by developers in proportion to their cash. The initial debt is then spread over
        developers in proportion to the inventory it financed."""
        p, dp, prof = self.params, self.params.developers, self.profile.developers
        parcel_units = max(int(round(p.land_supply.parcel_size / self.scale * 1e4 * dp.plot_ratio
                                     / self.unit_size)), 1)
        threshold = p.presale.progress_threshold
        weights = np.array([d.cash for d in self.developers])
        weights = weights / weights.sum()
        price = self.profile.housing.avg_price

        def parcels(area_wan: float) -> list[int]:
            units = int(round(area_wan * 1e4 / self.scale / self.unit_size))
            return [parcel_units] * (units // parcel_units) + ([units % parcel_units] if units % parcel_units else [])

        rng = self.streams["setup"]
        uniform = rng.uniform
        lowest, highest = prof.initial_progress_range
        blocks = [  # (project sizes, progress drawn for n projects, stalled)
            (parcels(prof.inventory_area * prof.completed_share), lambda n: np.ones(n), False),
            (parcels(prof.inventory_area * (1 - prof.completed_share)), lambda n: uniform(threshold, highest, n),
             False),
            (parcels(prof.construction_area), lambda n: uniform(lowest, threshold * highest, n), False),
            ([parcel_units] * int(round(prof.problem_projects)),
             lambda n: uniform(prof.problem_progress_min, threshold, n), True),
        ]
        for sizes, progress_of, stalled in blocks:
            progress = progress_of(len(sizes))
            owners = rng.choice(len(self.developers), size=len(sizes), p=weights)
            districts = rng.choice(len(self.districts), size=len(sizes), p=self.district_shares)
            for n_units, prog, owner, district in zip(sizes, progress, owners, districts, strict=True):
                dev = self.developers[owner]
                area = n_units * self.unit_size
                land_cost = dp.land_cost_share * price * area
                pr = Project(pid=self.next_project_id(), developer_id=dev.unique_id, district=int(district),
                             units=n_units, unit_area=self.unit_size, land_ha=area / 1e4 / dp.plot_ratio,
                             land_cost=land_cost, price=price, start_month=0, progress=float(prog),
                             permitted=bool(prog >= threshold) and not stalled, problem=stalled,
                             cost_spent=land_cost + dp.build_cost * area * float(prog))
                dev.projects.append(pr)
                self.projects.append(pr)
                if pr.completed:
                    settlement.deliver(self, pr)
        held = np.array([sum(pr.inventory_cost for pr in d.projects) for d in self.developers])
        debt = dp.initial_debt * 1e8 / self.scale * held / held.sum()
        for dev, amount in zip(self.developers, debt, strict=True):
            dev.set_debt(amount)

    # --- lookups ---------------------------------------------------------------------------------------
    def developer(self, unique_id: int) -> Developer:
        return self._developer_by_id[unique_id]

    def is_red_line(self, dev: Developer) -> bool:
        """Red-line rules apply from the red-line start year to developers crossing enough lines."""
        return self.year >= self.params.red_lines.start_year and bool(
            presale.is_red_line_developer(dev.lines, self.params.presale.red_line_min_lines))

    def mean_income(self) -> float:
        h = self.households
        return float(h.income[h.resident].mean())

    def inventory_area_by_district(self) -> np.ndarray:
        inv = np.zeros(len(self.districts))
        for pr in self.projects:
            if self._may_sell(pr):
                inv[pr.district] += pr.saleable_units * pr.unit_area
        return inv

    def trailing_sales_area(self) -> np.ndarray:
        """Mean monthly new-home sales (m², model scale) per district over the trailing window."""
        return self.sales_history[-self.params.simulation.trailing_sales_months:].mean(axis=0)

    # --- bookkeeping -----------------------------------------------------------------------------------
    def _new_month(self) -> None:
        self.month_flows: dict[str, float] = defaultdict(float)
        self.month_flows_by_district = {k: np.zeros(len(self.districts)) for k in DISTRICT_FLOWS}
        self.month_stats: dict[str, float] = {}

    def record_sale(self, district: int, area: float, value: float) -> None:
        self.month_flows_by_district["sales_area"][district] += area
        self.month_flows_by_district["sales_value"][district] += value

    # --- the monthly step ------------------------------------------------------------------------------
    def step(self) -> None:
        if self.month >= N_MONTHS:
            self.running = False
            return
        self._new_month()
        for dev in self.developers:
            dev.start_month()
        self._households_phase()
        self.government.step()
        self._developers_phase()
        self._market_phase()
        self._adjust_prices_and_rents()
        self._record()
        self.month += 1
        if self.month >= N_MONTHS:
            self.running = False

    def _households_phase(self) -> None:
        h, rng, p = self.households, self.streams["income"], self.params.income
        g = p.growth[self.year_index] / 12
        shock = rng.normal(0.0, p.shock_sd, h.n)
        h.column("income")[:] *= np.exp(g + shock - p.shock_sd ** 2 / 2)
        mb, pay, rate = h.column("mortgage_balance"), h.column("mortgage_payment"), h.mortgage_rate
        h.column("savings")[:] += p.savings_rate * h.income / 12 - pay
        principal = np.minimum(np.maximum(pay - mb * rate / 12, 0.0), mb)
        mb -= principal
        pay[mb <= 1.0] = 0.0
        counts = demography.step(self)
        self.month_flows.update(counts.as_dict())
        self.month_flows.update(shantytown.step(self))

    def _developers_phase(self) -> None:
        before = {pr.pid for pr in self.projects if pr.problem}
        self.agents_by_type[Developer].do("step")
        for pr in self.projects:
            if pr.problem and pr.pid not in before:
                self.month_flows_by_district["problem_new"][pr.district] += 1
        for pr in self.projects:
            if pr.completed and not pr.delivered:
                settlement.deliver(self, pr)

    def _market_phase(self) -> None:
        """Buyers try the segment they prefer (new or resale), then the other one; records unmet demand."""
        for pr in self.projects:
            pr.sold_this_month = 0
            pr.available_at_month_start = pr.saleable_units if self._may_sell(pr) else 0
        buyers = demand.draw_buyers(self)
        done = np.zeros(len(buyers), dtype=bool)
        for preferred in (True, False):
            for new in (True, False):
                want = (buyers.wants_new == new) if preferred else (buyers.wants_new != new)
                idx = np.flatnonzero(~done & want & (new | ~buyers.new_only))
                if len(idx):
                    sub = buyers.subset(idx)
                    done[idx[self._clear_new(sub) if new else self._clear_resale(sub)]] = True
        self.unmet_buyers = np.bincount(buyers.district[~done], minlength=len(self.districts))
        self._expire_listings()

    def _may_sell(self, pr: Project) -> bool:
        dev = self.developer(pr.developer_id)
        return pr.saleable_units > 0 and (dev.status != FAILED or pr.rescued)

    def _clear_new(self, buyers: demand.Buyers) -> np.ndarray:
        open_projects = [pr for pr in self.projects if self._may_sell(pr) and pr.saleable_units > 0]
        if not open_projects:
            return np.zeros(len(buyers), dtype=bool)
        choice = new_homes.allocate(
            buyers.district, buyers.budget, np.array([pr.district for pr in open_projects]),
            np.array([pr.price * pr.unit_area for pr in open_projects]),
            np.array([pr.saleable_units for pr in open_projects]), self.streams["markets"])
        bought = choice >= 0
        sub = buyers.subset(np.flatnonzero(bought))
        settlement.settle_new(self, sub, choice[bought], open_projects)
        return bought

    def _clear_resale(self, buyers: demand.Buyers) -> np.ndarray:
        stock = self.dwellings
        listings = np.flatnonzero(stock.status == dw.FOR_SALE)
        if not len(listings):
            return np.zeros(len(buyers), dtype=bool)
        district = stock.district[listings].astype(np.int64)
        value = stock.area[listings] * self.new_price[district] * self.params.demand.resale_discount
        choice = resale.match(buyers.district, buyers.budget, district, value, self.streams["markets"])
        bought = choice >= 0
        sub = buyers.subset(np.flatnonzero(bought))
        settlement.settle_resale(self, sub, listings[choice[bought]], value[choice[bought]])
        return bought

    def _expire_listings(self) -> None:
        """Resale listings unsold for ``listing_months`` are withdrawn and offered for rent."""
        stock = self.dwellings
        stale = (stock.status == dw.FOR_SALE) & (self.month - stock.listed_month >= self.params.demand.listing_months)
        stock.status[stale] = dw.VACANT

    def _adjust_prices_and_rents(self) -> None:
        dp = self.params.developers
        sold = self.month_flows_by_district["sales_area"]
        self.sales_history = np.vstack([self.sales_history[1:], sold])
        n = len(self.districts)
        available = np.zeros(n)
        sold_units = np.zeros(n)
        for pr in self.projects:
            if pr.available_at_month_start <= 0:
                continue
            available[pr.district] += pr.available_at_month_start
            sold_units[pr.district] += pr.sold_this_month
            change = pricing.price_change(pr.sold_this_month / pr.available_at_month_start, dp.target_sell_through,
                                          dp.price_adjust_speed, dp.max_price_change)
            pr.price = max(pr.price * (1 + float(change)), pr.cost_per_unit(dp.build_cost) / pr.unit_area)
        st = pricing.district_sell_through(sold_units, available, self.unmet_buyers, dp.target_sell_through)
        self.new_price = self.new_price * (1 + pricing.price_change(st, dp.target_sell_through,
                                                                    dp.price_adjust_speed, dp.max_price_change))
        self.price_history = np.vstack([self.price_history[1:], self.new_price])
        rm = self.params.rental_market
        self.rent = rental.adjust_rent(self.rent, self.rental_vacancy(), self.reference_rental_vacancy,
                                       rm.rent_adjust_speed, rm.max_rent_change)

    def rental_vacancy(self) -> np.ndarray:
        stock, n = self.dwellings, len(self.districts)
        lettable = stock.lettable()
        vacant = np.bincount(stock.district[lettable & (stock.status == dw.VACANT)], minlength=n)
        rented = np.bincount(stock.district[lettable & (stock.status == dw.RENTED)], minlength=n)
        return rental.rental_vacancy(vacant, rented)

    def _record(self) -> None:
        h, stock, n = self.households, self.dwellings, len(self.districts)
        res = h.resident
        hd = h.district[res]
        status = stock.status
        standing = status != dw.DEMOLISHED
        lived_in = standing & (status != dw.UNSOLD_NEW)
        empty = np.isin(status, (dw.VACANT, dw.FOR_SALE, dw.UNSOLD_NEW))
        served_sub = h.subsidy & res
        waiting = (h.applied_month >= 0) & res
        households = np.bincount(hd, minlength=n)
        escrow_bal, problems = np.zeros(n), np.zeros(n)
        for pr in self.projects:
            escrow_bal[pr.district] += pr.escrow_balance
            problems[pr.district] += pr.problem and not pr.rescued and not pr.completed
        stocks = {
            "inventory_area": self.inventory_area_by_district(),
            "trailing_sales": self.trailing_sales_area(),
            "escrow_balance": escrow_bal,
            "problem_projects": problems,
            "households": households,
            "population": np.bincount(hd, weights=h.size[res], minlength=n),
            "income_sum": np.bincount(hd, weights=h.income[res], minlength=n),
            "floor_area": np.bincount(stock.district[lived_in], weights=stock.area[lived_in], minlength=n),
            "dwellings_total": np.bincount(stock.district[standing], minlength=n),
            "dwellings_empty": np.bincount(stock.district[standing & empty], minlength=n),
            "non_resident_empty": np.bincount(stock.district[standing & empty & stock.non_resident], minlength=n),
            "subsidy_households": np.bincount(h.district[served_sub], minlength=n),
            "public_tenants": np.bincount(h.district[res & (h.tenure == hh.PUBLIC_TENANT)], minlength=n),
            "rental_waiting": np.bincount(h.district[waiting], minlength=n),
            "rent_x_households": self.rent * households,
        }
        city_only = {
            **{k: float(v) for k, v in self.month_flows.items()},
            "developers_failed": sum(d.status == FAILED for d in self.developers),
            "red_line_developers": sum(self.is_red_line(d) for d in self.developers),
            "rental_max_wait": self.month_stats.get("rental_max_wait", 0),
        }
        per_district = {**self.month_flows_by_district, **stocks}
        base = {"year": self.year, "month": self.month}
        for i, d in enumerate(self.districts):
            self.datacollector.add_table_row(
                "raw", {**base, "district": d.name, **{k: float(v[i]) for k, v in per_district.items()}},
                ignore_missing=True)
        city = {k: float(np.sum(v)) for k, v in per_district.items()}
        self.datacollector.add_table_row("raw", {**base, "district": indicators.CITY, **city, **city_only},
                                         ignore_missing=True)

    # --- results ---------------------------------------------------------------------------------------
    def run(self) -> None:
        while self.running and self.month < N_MONTHS:
            self.step()

    def raw_table(self) -> pd.DataFrame:
        return self.datacollector.get_table_dataframe("raw")

    def results(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(annual long table, monthly long table) of the indicators."""
        return indicators.tables(self.raw_table(), self.scale, self.params.simulation, self.scenario.city)
