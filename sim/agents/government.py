"""The local government (mesa.Agent): applies the plans' policy rules every month, in the plans' order
(DESIGN §3.3 step 2). Each rule lives in its own module of ``sim.policy``; the government only schedules them.

Order: shantytown resettlement → destocking cycle per district → land-supply rule → land offered and sold →
presale permits → escrow releases by construction node → problem-project rescue → rental support →
guaranteed rental housing. Credit policy (down payments, mortgage and provident-fund rates by year) is read by
households from the scenario's ``credit`` section.
"""
from __future__ import annotations

import mesa

from ..markets import land, pricing
from ..policy import destocking_cycle, escrow, presale, problem_projects, rental_support, shantytown
from ..policy.land_supply import LandSupply
from ..state.city import CityState
from ..state.random_streams import RandomStreams


class Government(mesa.Agent):
    def __init__(self, model: mesa.Model, state: CityState, streams: RandomStreams) -> None:
        """streams: the model's random streams; the government draws from those of its own decisions."""
        super().__init__(model)
        self.state = state
        self.streams = streams
        self.land_supply = LandSupply(state, destocking_cycle.cycles(state))
        self.rental_support = rental_support.RentalSupport()

    def step(self) -> None:
        s, streams = self.state, self.streams
        shantytown.step(s, streams.shantytown)
        cycles = destocking_cycle.cycles(s)
        parcels, parcel_ha = self.land_supply.parcels(s, cycles)
        land.auction(s, parcels, parcel_ha, streams.land_auction)
        pricing.launch(s, presale.issue_permits(s, cycles))
        escrow.release_by_progress(s)
        problem_projects.rescue(s, streams.project_rescue)
        self.rental_support.step(s, streams.rental_applications)
        rental_support.add_guaranteed_rental(s, streams.guaranteed_rental_siting)
