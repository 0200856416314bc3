"""Settling purchases: payments, mortgages, escrow deposits, ownership and moving in.

One purchase = one dwelling of ``unit_area`` (new) or one listed dwelling (resale). The buyer pays with the
compensation voucher first, then borrows up to min(loan limit, (1 − down payment) × value), and pays the rest
from savings. Presale buyers move in when the project is delivered; buyers of completed homes move in now.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..agents import dwellings as dw
from ..agents import households as hh
from ..agents.demand import Buyers
from ..policy import credit, escrow

if TYPE_CHECKING:
    from ..agents.project import Project
    from ..model import HousingMarketModel

MOVERS = (hh.FIRST_HOME, hh.UPGRADE, hh.RESETTLED)


def pay_for_homes(model: HousingMarketModel, buyers: Buyers, value: np.ndarray) -> np.ndarray:
    """Charge resident buyers (rows ≥ 0) for homes of the given values; returns the rows (new rows for
    non-resident buyers, who join the table as non-resident owners)."""
    h = model.households
    rows = buyers.row.copy()
    outsiders = rows < 0
    model.month_flows_by_district["non_resident_purchases"] += np.bincount(
        buyers.district[outsiders], minlength=len(model.districts))
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
    h.column("mortgage_payment")[r] += loan * credit.annuity_factor(buyers.rate[res], model.params.credit.mortgage_term)
    h.column("mortgage_rate")[r] = np.where(loan > 0, buyers.rate[res], h.mortgage_rate[r])
    pf = buyers.provident[res] & (loan > 0)
    model.month_flows["pf_lending"] += float(loan[pf].sum())
    model.month_flows["pf_loans"] += int(pf.sum())
    h.column("n_owned")[rows] += 1
    return rows


def move_in(model: HousingMarketModel, rows: np.ndarray, homes: np.ndarray, motive: np.ndarray) -> None:
    """Hand over dwellings to their buyers. Movers leave their old home (an owned one is listed for sale,
    a rented or public one falls vacant); second homes and non-residents' homes stand vacant."""
    h, stock = model.households, model.dwellings
    stock.owner[homes] = h.hid[rows]
    mover = np.isin(motive, MOVERS)
    r, new = rows[mover], homes[mover]
    old = h.dwelling[r]
    had = old >= 0
    old_owned = had & (h.tenure[r] == hh.OWNER)
    stock.status[old[old_owned]] = dw.FOR_SALE
    stock.listed_month[old[old_owned]] = model.month
    stock.status[old[had & ~old_owned]] = dw.VACANT
    h.column("dwelling")[r] = new
    h.column("tenure")[r] = hh.OWNER
    h.column("subsidy")[r] = False
    h.column("applied_month")[r] = -1
    stock.status[new] = dw.OWNER_OCCUPIED
    stock.status[homes[~mover]] = dw.VACANT
    stock.non_resident[homes[motive == hh.NON_RESIDENT]] = True


def settle_new(model: HousingMarketModel, buyers: Buyers, project_idx: np.ndarray, projects: list[Project]) -> None:
    """Buyers[i] buys one home in projects[project_idx[i]]."""
    if not len(buyers):
        return
    unit_value = np.array([pr.price * pr.unit_area for pr in projects])
    value = unit_value[project_idx]
    rows = pay_for_homes(model, buyers, value)
    p = model.params
    for j in np.unique(project_idx):
        pr = projects[j]
        sel = project_idx == j
        k = int(sel.sum())
        dev = model.developer(pr.developer_id)
        multiple = (p.escrow.red_line_supervised_multiple if model.is_red_line(dev)
                    else p.escrow.supervised_multiple)
        per_m2 = escrow.supervised_amount(p.developers.build_cost, multiple)
        total = float(value[sel].sum())
        deposit, free = escrow.split_payment(total, k * pr.unit_area, per_m2)
        pr.escrow_deposits += float(deposit)
        model.month_flows["escrow_deposits"] += float(deposit)
        dev.receive("receipts_free", float(free))
        pr.sold_units += k
        pr.sold_this_month += k
        model.record_sale(pr.district, k * pr.unit_area, total)
        if pr.completed:
            pr.cost_recognised += k * pr.cost_spent / pr.units
            homes = pr.dwellings[model.dwellings.status[pr.dwellings] == dw.UNSOLD_NEW][:k]
            move_in(model, rows[sel], homes, buyers.motive[sel])
        else:
            pr.receipts_undelivered += total
            model.households.column("pending_project")[rows[sel]] = pr.pid
            model.households.column("pending_motive")[rows[sel]] = buyers.motive[sel]


def settle_resale(model: HousingMarketModel, buyers: Buyers, listings: np.ndarray, value: np.ndarray) -> None:
    """Buyers[i] buys the listed dwelling listings[i] for value[i] 元; sellers still in the city are paid."""
    if not len(buyers):
        return
    h, stock = model.households, model.dwellings
    seller_rows = h.rows_of(stock.owner[listings])
    rows = pay_for_homes(model, buyers, value)
    # rows may have grown (non-resident buyers); seller rows stay valid because new rows are appended
    paid = seller_rows >= 0
    np.add.at(h.column("savings"), seller_rows[paid], value[paid])
    np.add.at(h.column("n_owned"), seller_rows[paid], -1)
    move_in(model, rows, listings, buyers.motive)
    for d in np.unique(stock.district[listings]):
        sel = stock.district[listings] == d
        model.month_flows_by_district["resale_area"][d] += float(stock.area[listings[sel]].sum())
        model.month_flows_by_district["resale_value"][d] += float(value[sel].sum())


def deliver(model: HousingMarketModel, pr: Project) -> None:
    """A project completes: its dwellings join the stock; presale buyers move in; the sales are recognised."""
    h, stock = model.households, model.dwellings
    pr.dwellings = stock.append(pr.units, district=pr.district, area=pr.unit_area, kind=dw.COMMERCIAL,
                                status=dw.UNSOLD_NEW, owner=dw.OWNER_DEVELOPER, build_year=model.year,
                                project=pr.pid)
    buyers = np.flatnonzero(h.pending_project == pr.pid)
    homes = pr.dwellings[: pr.sold_units]
    move_in(model, buyers, homes[: len(buyers)], h.pending_motive[buyers])
    gone = homes[len(buyers):]            # buyers who left the city before delivery
    stock.status[gone] = dw.VACANT
    stock.owner[gone] = dw.OWNER_ABSENT
    h.column("pending_project")[buyers] = -1
    pr.receipts_undelivered = 0.0
    pr.cost_recognised += pr.sold_units * pr.cost_spent / pr.units
