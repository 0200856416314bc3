"""A residential project: land parcel → construction → presale permit → sales → delivery (DESIGN §3.2)."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Project:
    pid: int
    developer_id: int
    district: int
    units: int                   # dwellings in the project (model rows; × scale for the real city)
    unit_area: float             # m² per dwelling
    land_ha: float               # ha of land (model scale)
    land_cost: float             # 元 paid for the land
    price: float                 # asking price 元/㎡
    start_month: int             # month construction may start
    progress: float = 0.0        # construction progress, share 0–1
    permitted: bool = False      # presale permit issued (达到销售条件)
    sold_units: int = 0
    sold_this_month: int = 0
    available_at_month_start: int = 0
    receipts_undelivered: float = 0.0   # 元 of presale receipts for undelivered homes (合同负债)
    escrow_deposits: float = 0.0        # 元 deposited in the supervised account, cumulative
    escrow_released: float = 0.0        # 元 released to the developer, cumulative
    cost_spent: float = 0.0             # 元 land + construction paid so far
    cost_recognised: float = 0.0        # 元 of cost moved out of inventory with delivered sales
    presale_threshold: float | None = None   # base construction progress for presale; set when construction starts
    unfunded_months: int = 0
    problem: bool = False               # stalled: counted as a problem project (问题楼盘)
    rescued: bool = False               # taken over: after stalling, or finished from escrow when its developer fails
    dwellings: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    @property
    def area(self) -> float:
        return self.units * self.unit_area

    @property
    def completed(self) -> bool:
        return self.progress >= 1.0 - 1e-9

    @property
    def delivered(self) -> bool:
        """Its dwellings have joined the housing stock."""
        return len(self.dwellings) > 0

    @property
    def started(self) -> bool:
        return self.progress > 0.0

    @property
    def unsold_units(self) -> int:
        return self.units - self.sold_units

    @property
    def saleable_units(self) -> int:
        """Unsold units that may be sold now: permitted (presale) or completed."""
        return self.units - self.sold_units if (self.permitted or self.progress >= 1.0 - 1e-9) else 0

    @property
    def escrow_balance(self) -> float:
        return self.escrow_deposits - self.escrow_released

    @property
    def inventory_cost(self) -> float:
        return self.cost_spent - self.cost_recognised

    @property
    def finished(self) -> bool:
        """Built, permitted, sold out and delivered, its books closed to the 元 (no escrow, no advance receipts,
        no inventory cost) and not a problem project awaiting rescue: nothing any rule reads changes any more,
        and every sum over projects gets exactly 0 from it."""
        return (self.completed and self.permitted and self.unsold_units == 0 and self.delivered
                and self.escrow_balance == 0.0 and self.receipts_undelivered == 0.0 and self.inventory_cost == 0.0
                and (self.rescued or not self.problem))

    def cost_per_unit(self, build_cost: float) -> float:
        """Full cost of one dwelling (元): its land share plus its construction cost."""
        return self.land_cost / self.units + build_cost * self.unit_area
