"""Land market: the government offers residential parcels each month; developers bid (招拍挂).

Each parcel has a reserve price (起拍价): ``land_cost_share`` × the district's new-home price per m² of floor
area. A developer values the land at its residual value (``residual_land_value``): the price it expects to sell
the homes at, less its required margin, the build cost and the interest carried over the project's life —
what it can pay for land and still earn ``required_margin``. Valuations differ between developers (a log-normal
spread ``bid_dispersion``: their costs, plans and expectations differ), and a bid is capped by what the
developer can pay (its liquidity, below). The parcel goes to the highest bid at or above the reserve, at the
second-highest bid or the reserve, whichever is higher (an English auction ends where the last rival drops
out; a lone bidder pays the reserve). Scarce land — fewer parcels for the same developers, as when the
destocking cycle throttles supply — thus draws more rivals per parcel and dearer land, which then prices the
homes built on it (``markets.pricing.launch_price``).

Who bids: a developer whose unsold and pipeline floor area is below ``max_pipeline_months`` of its share of
the city's sales, and only up to what it can pay: its own share (1 − land_debt_share) in cash — all of it when
the red lines' land-fund check applies to it (``policy.red_lines.land_from_own_funds``) — and the land plus the
project's construction to presale within what its cash and credit leave after its started projects
(``Developer.funds_to_spare``, ``cost_to_presale``), so land is not bought to lie idle and a developer short of
cash bids low or not at all. Parcels nobody bids for are withdrawn (planned land > transacted land, as in seed
002 四(五)).
"""
from __future__ import annotations

import numpy as np

from ..config.schema import M2_PER_HA
from ..policy.red_lines import land_from_own_funds
from ..state.calendar import MONTHS_PER_YEAR
from ..state.city import CityState
from ..state.developers import FAILED, DeveloperView
from ..state.projects import Project


def pipeline_area(dev: DeveloperView) -> float:
    """m² the developer has not yet sold: land bank, construction and unsold stock."""
    return sum([(pr.units - pr.sold_units) * pr.unit_area for pr in dev.projects])


def monthly_sales_per_developer(state: CityState) -> float:
    """m²/month: the city's trailing monthly sales shared evenly among the developers still standing."""
    active = sum(d.status != FAILED for d in state.developers)
    return max(state.trailing_sales_area().sum() / max(active, 1), 1e-9)


def land_wanted(state: CityState, dev: DeveloperView, sales_per_developer: float) -> float:
    """m² of floor area a developer would add to its land bank: what brings its unsold and pipeline area up to
    ``max_pipeline_months`` of its share of the city's sales (0 at or above it)."""
    return max(state.params.developers.max_pipeline_months * sales_per_developer - pipeline_area(dev), 0.0)


def carry_share(debt_rate: float, project_months: float) -> float:
    """Interest carried on a project's outlay as a share of it: half the outlay on average, at the developers'
    debt rate, over the months from land purchase to completion."""
    return debt_rate * project_months / MONTHS_PER_YEAR / 2


def residual_land_value(price: np.ndarray | float, build_cost: float, margin: float, carry: float) -> np.ndarray:
    """元 per m² of floor area a developer can pay for land and still earn ``margin`` of its sales revenue:
    V = (price × (1 − margin) − build cost × (1 + carry)) / (1 + carry), never below 0 (price, build cost:
    元/㎡; margin, carry: shares)."""
    value = (np.asarray(price, dtype=float) * (1 - margin) - build_cost * (1 + carry)) / (1 + carry)
    return np.maximum(value, 0.0)


def auction_outcome(bids: np.ndarray, reserve: float) -> tuple[int, float]:
    """(index of the winning bid, price paid) of an English auction with a reserve; (-1, 0) when no bid
    reaches the reserve. The highest bid wins and pays the second-highest bid or the reserve, whichever is
    higher."""
    if not len(bids) or bids.max() < reserve:
        return -1, 0.0
    order = np.argsort(bids)[::-1]
    runner_up = bids[order[1]] if len(bids) > 1 else 0.0
    return int(order[0]), float(max(reserve, runner_up))


def auction(state: CityState, parcels: np.ndarray, parcel_ha: float, rng: np.random.Generator) -> float:
    """Sell ``parcels[d]`` parcels of ``parcel_ha`` ha (model scale) in each district; returns ha sold."""
    p = state.params.developers
    sold_ha = 0.0
    active = [d for d in state.developers if d.status != FAILED]
    if not active:
        return 0.0
    sales_per_developer = monthly_sales_per_developer(state)
    floor_area = parcel_ha * M2_PER_HA * p.plot_ratio
    units = max(int(round(floor_area / state.unit_size)), 1)
    area = units * state.unit_size
    flows = state.flows
    own_funds = np.array([land_from_own_funds(state, d.lines) for d in active])
    cash_share = np.where(own_funds, 1.0, 1.0 - p.land_debt_share)
    carry = carry_share(p.debt_rate, p.start_lag_months + p.construction_months)

    def standing(i: int) -> tuple[bool, float, float]:
        """Developer i's (wants land, cash, funds to spare after this parcel's construction to presale); only
        the winner of a parcel changes them for the next."""
        d = active[i]
        return (land_wanted(state, d, sales_per_developer) > 0, max(d.cash, 0.0),
                d.funds_to_spare() - d.cost_to_presale(area))

    if parcels.sum():
        wants, cash, spare = (np.array(column) for column in zip(*map(standing, range(len(active))), strict=True))
    for district in np.repeat(np.arange(len(parcels)), parcels):
        flows.land_offered[district] += parcel_ha
        # one draw per active developer and parcel, bidding or not, so that every parcel's draws stay put
        spread = np.exp(p.bid_dispersion * rng.standard_normal(len(active)))
        reserve = p.land_cost_share * state.new_price[district] * area
        value = residual_land_value(state.new_price[district], p.build_cost, p.required_margin, carry) * area
        if not wants.any():
            continue
        bids = np.where(wants, np.minimum.reduce([value * spread, cash / cash_share, spare]), 0.0)
        win, price = auction_outcome(bids, reserve)
        if win < 0:
            continue
        winner = active[win]
        paid = winner.pay("land", price, may_borrow=not own_funds[win])   # may borrow even when it falls short
        if not paid:
            wants[win], cash[win], spare[win] = standing(win)
            continue
        pr = Project(pid=state.next_project_id(), developer_id=winner.unique_id, district=int(district),
                     units=units, unit_area=state.unit_size, land_ha=parcel_ha, land_cost=price,
                     price=float(state.new_price[district]), start_month=state.month + p.start_lag_months,
                     cost_spent=price)
        state.add_project(winner, pr)
        wants[win], cash[win], spare[win] = standing(win)
        sold_ha += parcel_ha
        flows.land_supplied[district] += parcel_ha
        flows.land_revenue[district] += price
        flows.investment[district] += price
    return sold_ha
