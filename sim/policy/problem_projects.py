"""Problem-project rescue (问题楼盘化解, '一盘一策', seed 000 三(一)5; 000 一(一)3 reports 26 resolved in 2016–2020).

A stalled project (问题楼盘: unfunded for ``[developers] stall_months``, or its developer failed) is taken over
with probability ``[problem_projects] resolution_rate`` a month, and then finished with public funds at the
normal construction pace; the project's escrow pays for construction first, public money the rest. Delivery
follows in the developers' phase, as for every completed project.
"""
from __future__ import annotations

import numpy as np

from ..state.city import CityState
from .escrow import pay_out


def rescue(state: CityState, rng: np.random.Generator) -> None:
    rate, dp = state.params.problem_projects.resolution_rate[state.year_index], state.params.developers
    for pr in state.projects:
        if pr.problem and not pr.rescued and rng.random() < rate:
            returns = not state.may_sell(pr)        # a failed developer's unsold homes come back on sale
            pr.rescued = True
            state.flows.problem_resolved[pr.district] += 1
            if returns and state.may_sell(pr):
                state.flows.inventory_withdrawn[pr.district] -= pr.saleable_units * pr.unit_area
        if pr.rescued and not pr.completed:
            cost = dp.build_cost * pr.area / dp.construction_months
            from_escrow = min(cost, pr.escrow_balance)
            pay_out(state, pr, from_escrow)
            pr.cost_spent += cost
            pr.progress = min(1.0, pr.progress + 1.0 / dp.construction_months)
            state.flows.investment[pr.district] += cost
            state.flows.rescue_spending[pr.district] += cost - from_escrow
