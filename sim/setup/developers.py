"""Developers in 2016-01: their cash, and the inventory, pipeline and legacy problem projects they hold."""
from __future__ import annotations

import mesa
import numpy as np

from ..agents.developer import Developer
from ..config.schema import M2_PER_HA
from ..markets.settlement import deliver
from ..state.city import CityState
from ..state.projects import Project


def build_developers(model: mesa.Model, state: CityState, rng: np.random.Generator) -> None:
    """Developers with cash split by a Dirichlet draw (concentration from the profile), then their projects."""
    p = state.params.developers
    weights = rng.dirichlet(np.full(p.count, state.profile.developers.size_concentration))
    for w in weights:
        state.add_developer(Developer(model, state, cash=p.initial_cash / state.scale * w, debt=0.0))
    build_initial_projects(state, rng)


def build_initial_projects(state: CityState, rng: np.random.Generator) -> None:
    """Developers' 2016-01 inventory (completed, or under construction with a permit), pipeline (under
    construction, no permit yet) and legacy problem projects (stalled, unsold), in projects of one land
    parcel each, held by developers in proportion to their cash. The initial debt is then spread over
    developers in proportion to the inventory it financed."""
    p, dp, prof = state.params, state.params.developers, state.profile.developers
    developers, scale, unit_size = state.developers, state.scale, state.unit_size
    parcel_units = max(int(round(p.land_supply.parcel_size / scale * M2_PER_HA * dp.plot_ratio / unit_size)), 1)
    threshold = p.presale.progress_threshold
    cash = np.array([d.cash for d in developers])
    # held in proportion to cash; a sector that starts with no cash holds them evenly
    weights = cash / cash.sum() if cash.sum() > 0 else np.full(len(developers), 1 / len(developers))
    price = state.profile.housing.avg_price

    def parcels(area: float) -> list[int]:
        """Whole dwellings of ``area`` m² (city scale), in parcels."""
        units = int(round(area / scale / unit_size))
        return [parcel_units] * (units // parcel_units) + ([units % parcel_units] if units % parcel_units else [])

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
        owners = rng.choice(len(developers), size=len(sizes), p=weights)
        districts = rng.choice(state.n_districts, size=len(sizes), p=state.district_shares)
        for n_units, prog, owner, district in zip(sizes, progress, owners, districts, strict=True):
            dev = developers[owner]
            area = n_units * unit_size
            land_cost = dp.land_cost_share * price * area
            pr = Project(pid=state.next_project_id(), developer_id=dev.unique_id, district=int(district),
                         units=n_units, unit_area=unit_size, land_ha=area / M2_PER_HA / dp.plot_ratio,
                         land_cost=land_cost, price=price, start_month=0, progress=float(prog),
                         permitted=bool(prog >= threshold) and not stalled, problem=stalled,
                         presale_threshold=threshold,
                         cost_spent=land_cost + dp.build_cost * area * float(prog))
            state.add_project(dev, pr)
            if pr.completed:
                deliver(state, pr)
    held = np.array([sum(pr.inventory_cost for pr in d.projects) for d in developers])
    debt = dp.initial_debt / scale * held / held.sum()
    for dev, amount in zip(developers, debt, strict=True):
        dev.set_debt(amount)
