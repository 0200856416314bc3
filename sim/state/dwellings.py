"""The housing stock, column-wise: one row per dwelling, never removed (demolition is a status), so a row
index is a stable dwelling id that households can point to."""
from __future__ import annotations

import numpy as np

from .tables import ColumnTable

# status: every dwelling is in exactly one of these
OWNER_OCCUPIED, RENTED, VACANT, FOR_SALE, UNSOLD_NEW, DEMOLISHED = range(6)
STATUS_NAMES = ("owner_occupied", "rented", "vacant", "for_sale", "unsold_new", "demolished")
# kind
COMMERCIAL, PUBLIC_RENTAL, GUARANTEED_RENTAL = range(3)
# owner ids below zero are not households
OWNER_DEVELOPER, OWNER_GOVERNMENT, OWNER_ABSENT = -1, -2, -3

DWELLING_COLUMNS = {
    "district": np.int8,
    "area": np.float32,        # m²
    "kind": np.int8,
    "status": np.int8,
    "owner": np.int64,         # household id (hid), or one of the OWNER_* codes
    "non_resident": np.bool_,  # a non-resident buyer's seasonal home, not let (off once its owner lets it)
    "build_year": np.int16,
    "project": np.int32,       # project id, -1 for the pre-2016 stock
    "listed_month": np.int16,  # month index a resale listing started
}


class DwellingStock(ColumnTable, columns=DWELLING_COLUMNS):
    def __init__(self, capacity: int = 1024) -> None:
        super().__init__(DWELLING_COLUMNS, capacity)

    def lettable(self) -> np.ndarray:
        """Dwellings of the private rental market: not public rental, not non-residents' seasonal homes,
        not developers' unsold stock."""
        return (self.kind != PUBLIC_RENTAL) & ~self.non_resident & (self.owner != OWNER_DEVELOPER)

    def lettable_vacant(self) -> np.ndarray:
        return self.lettable() & (self.status == VACANT)
