"""What the markets and the government see of a developer: its status, balance-sheet lines and cash.

The developer agent itself (``sim.agents.developer``) keeps the books; the rules below it only need this view.
"""
from __future__ import annotations

from typing import Protocol

from .projects import Project

ACTIVE, DISTRESSED, FAILED = "active", "distressed", "failed"


class DeveloperView(Protocol):
    unique_id: int
    cash: float                 # 元, model scale
    status: str                 # ACTIVE, DISTRESSED or FAILED
    lines: int                  # red lines crossed (0–3)
    projects: list[Project]

    def borrowing_headroom(self, *, capped: bool = True) -> float: ...

    def funds_to_spare(self) -> float: ...

    def cost_to_presale(self, area: float) -> float: ...

    def pay(self, item: str, amount: float, *, may_borrow: bool = True, capped: bool = True) -> bool: ...

    def receive(self, item: str, amount: float) -> None: ...

    def collect_presale(self, amount: float) -> None: ...
