"""Housing operations that keep the household–dwelling links consistent: let, move in, move out, list for
sale, withdraw listings, demolish.

Every operation changes both tables together: a household's ``dwelling`` and ``tenure`` and the dwelling's
``status`` (and owner where ownership changes), so a dwelling is lived in by at most one household and every
household with a dwelling lives in one that says so.
"""
from __future__ import annotations

import numpy as np

from . import dwellings as dw
from . import households as hh
from .dwellings import DwellingStock
from .households import HouseholdTable

MOVERS = (hh.FIRST_HOME, hh.UPGRADE, hh.RESETTLED)   # purchase motives that move into the home bought
_MOVES_IN = np.isin(np.arange(hh.NON_RESIDENT + 1), MOVERS)   # by motive code


def take_vacant_rentals(stock: DwellingStock, district: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A lettable vacant dwelling in its district for each requester, drawn at random (-1 where none is left)."""
    vacant = np.flatnonzero(stock.lettable_vacant())
    vacant = vacant[rng.permutation(len(vacant))]
    vac_district = stock.district[vacant]
    out = np.full(len(district), -1, dtype=np.int64)
    for d in np.unique(district):
        want = np.flatnonzero(district == d)
        have = vacant[vac_district == d][: len(want)]
        out[want[: len(have)]] = have
    return out


def let(households: HouseholdTable, stock: DwellingStock, rows: np.ndarray, dwellings: np.ndarray) -> None:
    """Households ``rows`` rent ``dwellings`` on the private market."""
    households.column("dwelling")[rows] = dwellings
    households.column("tenure")[rows] = hh.RENTER
    stock.status[dwellings] = dw.RENTED


def move_out(households: HouseholdTable, stock: DwellingStock, rows: np.ndarray, month: int) -> None:
    """Households leave their dwellings (leaving the city or dissolving): owned homes go on sale, rented and
    public ones fall vacant."""
    d = households.dwelling[rows]
    has = d >= 0
    d, ten = d[has], households.tenure[rows][has]
    owned = ten == hh.OWNER
    stock.status[d[owned]] = dw.FOR_SALE
    stock.owner[d[owned]] = dw.OWNER_ABSENT
    stock.listed_month[d[owned]] = month
    stock.status[d[~owned]] = dw.VACANT
    households.column("dwelling")[rows] = -1


def move_in(households: HouseholdTable, stock: DwellingStock, rows: np.ndarray, homes: np.ndarray,
            motive: np.ndarray, month: int) -> None:
    """Hand over bought dwellings. Movers leave their old home (an owned one is listed for sale, a rented or
    public one falls vacant); second homes and non-residents' homes stand vacant."""
    h = households
    stock.owner[homes] = h.hid[rows]
    mover = _MOVES_IN[motive]
    r, new = rows[mover], homes[mover]
    old = h.dwelling[r]
    had = old >= 0
    old_owned = had & (h.tenure[r] == hh.OWNER)
    stock.status[old[old_owned]] = dw.FOR_SALE
    stock.listed_month[old[old_owned]] = month
    stock.status[old[had & ~old_owned]] = dw.VACANT
    h.column("dwelling")[r] = new
    h.column("tenure")[r] = hh.OWNER
    h.column("subsidy")[r] = False
    h.column("applied_month")[r] = -1
    stock.status[new] = dw.OWNER_OCCUPIED
    stock.status[homes[~mover]] = dw.VACANT
    stock.non_resident[homes[motive == hh.NON_RESIDENT]] = True


def let_public_rental(households: HouseholdTable, stock: DwellingStock, rows: np.ndarray) -> None:
    """Applicants move into vacant public-rental dwellings of their district, as many as there are."""
    h = households
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


def withdraw_stale_listings(stock: DwellingStock, month: int, listing_months: int) -> None:
    """Resale listings unsold for ``listing_months`` are withdrawn and offered for rent."""
    stale = (stock.status == dw.FOR_SALE) & (month - stock.listed_month >= listing_months)
    stock.status[stale] = dw.VACANT


def demolish(stock: DwellingStock, dwellings: np.ndarray) -> None:
    stock.status[dwellings] = dw.DEMOLISHED
