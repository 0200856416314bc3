"""Land market: the government offers residential parcels each month; developers bid.

A developer bids while its unsold and pipeline floor area is below ``max_pipeline_months`` of its share of
the city's sales, and only if it can pay: its own share (1 − land_debt_share) in cash — all of it when the red
lines' land-fund check applies to it (``policy.red_lines.land_from_own_funds``) — and the land plus the
project's construction to presale within what its cash and credit leave after its started projects
(``Developer.funds_to_spare``, ``cost_to_presale``), so land is not bought to lie idle. Among bidders the parcel
goes to one drawn with odds proportional to cash. The land price per m² of floor area is land_cost_share × the
district's new-home price. Parcels nobody bids for are withdrawn (planned land > transacted land, as in seed
002 四(五)).
"""
from __future__ import annotations

import numpy as np

from ..config.schema import M2_PER_HA
from ..policy.red_lines import land_from_own_funds
from ..state.city import CityState
from ..state.developers import FAILED, DeveloperView
from ..state.projects import Project


def pipeline_area(dev: DeveloperView) -> float:
    """m² the developer has not yet sold: land bank, construction and unsold stock."""
    return sum([(pr.units - pr.sold_units) * pr.unit_area for pr in dev.projects])


def auction(state: CityState, parcels: np.ndarray, parcel_ha: float, rng: np.random.Generator) -> float:
    """Sell ``parcels[d]`` parcels of ``parcel_ha`` ha (model scale) in each district; returns ha sold."""
    p = state.params.developers
    sold_ha = 0.0
    active = [d for d in state.developers if d.status != FAILED]
    if not active:
        return 0.0
    monthly_sales_per_dev = max(state.trailing_sales_area().sum() / len(active), 1e-9)
    floor_area = parcel_ha * M2_PER_HA * p.plot_ratio
    units = max(int(round(floor_area / state.unit_size)), 1)
    flows = state.flows
    own_funds = {d.unique_id: land_from_own_funds(state, d.lines) for d in active}
    for district in np.repeat(np.arange(len(parcels)), parcels):
        price = p.land_cost_share * state.new_price[district] * units * state.unit_size
        bidders = [d for d in active
                   if pipeline_area(d) / monthly_sales_per_dev < p.max_pipeline_months
                   and d.cash >= (price if own_funds[d.unique_id] else (1 - p.land_debt_share) * price)
                   and d.funds_to_spare() >= price + d.cost_to_presale(floor_area)]
        flows.land_offered[district] += parcel_ha
        if not bidders:
            continue
        cash = np.array([b.cash for b in bidders])
        winner = bidders[rng.choice(len(bidders), p=cash / cash.sum())]
        if not winner.pay("land", price, may_borrow=not own_funds[winner.unique_id]):
            continue
        pr = Project(pid=state.next_project_id(), developer_id=winner.unique_id, district=int(district),
                     units=units, unit_area=state.unit_size, land_ha=parcel_ha, land_cost=price,
                     price=float(state.new_price[district]), start_month=state.month + p.start_lag_months,
                     cost_spent=price)
        state.add_project(winner, pr)
        sold_ha += parcel_ha
        flows.land_supplied[district] += parcel_ha
        flows.land_revenue[district] += price
        flows.investment[district] += price
    return sold_ha
