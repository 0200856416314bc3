"""Settling purchases: payments, mortgages, escrow deposits, ownership and moving in.

One purchase = one dwelling of ``unit_area`` (new) or one listed dwelling (resale). The buyer pays with the
compensation voucher first, then borrows up to min(loan limit, (1 − down payment) × value), and pays the rest
from savings. Presale buyers move in when the project is delivered; buyers of completed homes move in now.
"""
from __future__ import annotations

import numpy as np

from ..policy import credit, escrow
from ..state import dwellings as dw
from ..state import households as hh
from ..state.city import CityState
from ..state.housing import move_in
from ..state.projects import Project
from .buyers import Buyers


def pay_for_homes(state: CityState, buyers: Buyers, value: np.ndarray) -> np.ndarray:
    """Charge resident buyers (rows ≥ 0) for homes of the given values; returns the rows (new rows for
    non-resident buyers, who join the table as non-resident owners)."""
    h = state.households
    rows = buyers.row.copy()
    outsiders = rows < 0
    state.flows.non_resident_purchases += np.bincount(buyers.district[outsiders], minlength=state.n_districts)
    if outsiders.any():
        rows[outsiders] = h.add(int(outsiders.sum()), district=buyers.district[outsiders], resident=False,
                                tenure=hh.NO_DWELLING)
    res = ~outsiders
    r, v = rows[res], value[res]
    voucher_used = np.minimum(h.voucher[r], v)
    loan = np.minimum.reduce([buyers.loan_limit[res], v * (1 - buyers.down_payment[res]), v - voucher_used])
    loan = np.maximum(loan, 0.0)
    h.column("savings")[r] -= v - voucher_used - loan
    h.column("savings")[r] += h.voucher[r] - voucher_used   # leftover compensation becomes savings
    h.column("voucher")[r] = 0.0
    h.column("must_buy")[r] = hh.MUST_BUY_NONE
    h.column("mortgage_balance")[r] += loan
    h.column("mortgage_payment")[r] += loan * credit.annuity_factor(buyers.rate[res], state.params.credit.mortgage_term)
    h.column("mortgage_rate")[r] = np.where(loan > 0, buyers.rate[res], h.mortgage_rate[r])
    pf = buyers.provident[res] & (loan > 0)
    state.city_flows.pf_lending += float(loan[pf].sum())
    state.city_flows.pf_loans += int(pf.sum())
    h.column("n_owned")[rows] += 1
    return rows


def settle_new(state: CityState, buyers: Buyers, project_idx: np.ndarray, projects: list[Project]) -> None:
    """Buyers[i] buys one home in projects[project_idx[i]]; presale payments go through the escrow rule."""
    if not len(buyers):
        return
    unit_value = np.array([pr.price * pr.unit_area for pr in projects])
    value = unit_value[project_idx]
    rows = pay_for_homes(state, buyers, value)
    h = state.households
    for j in np.unique(project_idx):
        pr = projects[j]
        sel = project_idx == j
        k = int(sel.sum())
        dev = state.developer(pr.developer_id)
        total = float(value[sel].sum())
        free = escrow.deposit_sale(state, pr, dev, total, k * pr.unit_area)
        if pr.completed:
            dev.receive("receipts_free", free)
        else:
            dev.collect_presale(free)
        pr.sold_units += k
        pr.sold_this_month += k
        state.record_sale(pr.district, k * pr.unit_area, total)
        if pr.completed:
            pr.cost_recognised += k * pr.cost_spent / pr.units
            homes = pr.dwellings[state.dwellings.status[pr.dwellings] == dw.UNSOLD_NEW][:k]
            move_in(h, state.dwellings, rows[sel], homes, buyers.motive[sel], state.month)
        else:
            pr.receipts_undelivered += total
            h.column("pending_project")[rows[sel]] = pr.pid
            h.column("pending_motive")[rows[sel]] = buyers.motive[sel]


def settle_resale(state: CityState, buyers: Buyers, listings: np.ndarray, value: np.ndarray) -> None:
    """Buyers[i] buys the listed dwelling listings[i] for value[i] 元; sellers still in the city are paid."""
    if not len(buyers):
        return
    h, stock = state.households, state.dwellings
    seller_rows = h.rows_of(stock.owner[listings])
    rows = pay_for_homes(state, buyers, value)
    # rows may have grown (non-resident buyers); seller rows stay valid because new rows are appended
    paid = seller_rows >= 0
    np.add.at(h.column("savings"), seller_rows[paid], value[paid])
    np.add.at(h.column("n_owned"), seller_rows[paid], -1)
    move_in(h, stock, rows, listings, buyers.motive, state.month)
    for d in np.unique(stock.district[listings]):
        sel = stock.district[listings] == d
        state.flows.resale_area[d] += float(stock.area[listings[sel]].sum())
        state.flows.resale_value[d] += float(value[sel].sum())


def deliver(state: CityState, pr: Project) -> None:
    """A project completes: its dwellings join the stock; presale buyers move in; the sales are recognised."""
    h, stock = state.households, state.dwellings
    pr.dwellings = stock.append(pr.units, district=pr.district, area=pr.unit_area, kind=dw.COMMERCIAL,
                                status=dw.UNSOLD_NEW, owner=dw.OWNER_DEVELOPER, build_year=state.year,
                                project=pr.pid)
    buyers = np.flatnonzero(h.pending_project == pr.pid)
    homes = pr.dwellings[: pr.sold_units]
    move_in(h, stock, buyers, homes[: len(buyers)], h.pending_motive[buyers], state.month)
    gone = homes[len(buyers):]            # buyers who left the city before delivery
    stock.status[gone] = dw.VACANT
    stock.owner[gone] = dw.OWNER_ABSENT
    h.column("pending_project")[buyers] = -1
    pr.receipts_undelivered = 0.0
    pr.cost_recognised += pr.sold_units * pr.cost_spent / pr.units


def deliver_completed(state: CityState) -> None:
    """Every project completed and not yet delivered is delivered."""
    for pr in state.projects:
        if pr.completed and not pr.delivered:
            deliver(state, pr)
