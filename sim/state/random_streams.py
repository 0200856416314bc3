"""One random stream per decision, so that common random numbers hold across scenarios.

Every generator is spawned from the model's seed (``numpy.random.Generator.spawn``, a SeedSequence split). A
policy that changes how many draws one decision makes — more land parcels offered, more buyers, more subsidy
applications — then leaves every other decision's draws untouched, so two scenarios run on one seed differ
through the policy alone (``compare``'s paired differences). Streams are per decision, not per phase: the land
auction does not share a stream with home matching, nor project rescue with rental-support applications.
"""
from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np


@dataclass(frozen=True)
class RandomStreams:
    setup: np.random.Generator                  # the initial city: households, dwellings, developers
    income_shocks: np.random.Generator          # households' monthly income shocks
    births: np.random.Generator
    deaths: np.random.Generator
    household_formation: np.random.Generator    # who splits off, and the new household's income
    in_migration: np.random.Generator           # arrivals, their district, size, income, savings
    out_migration: np.random.Generator          # how many leave and who
    rental_search: np.random.Generator          # which vacant rental a new household takes
    shantytown: np.random.Generator             # which households are resettled, and how
    land_auction: np.random.Generator           # which bidder wins a parcel
    project_rescue: np.random.Generator         # which problem projects the government resolves
    rental_applications: np.random.Generator    # which eligible renters apply for support
    guaranteed_rental_siting: np.random.Generator  # the district of new guaranteed rental housing
    purchase_decisions: np.random.Generator     # who decides to buy this month
    loan_choice: np.random.Generator            # provident-fund or commercial loan
    segment_choice: np.random.Generator         # new home or resale first
    non_resident_buyers: np.random.Generator    # arrivals of buyers from outside the city
    new_home_matching: np.random.Generator      # which project a buyer buys in
    resale_matching: np.random.Generator        # which listing a buyer buys
    presale_confidence: np.random.Generator     # whether a new-home buyer accepts a presold home
    project_stalls: np.random.Generator         # which projects of a developer in arrears stall
    seasonal_letting: np.random.Generator       # which empty seasonal homes their owners let
    resettlement_search: np.random.Generator    # which compensated shantytown households buy this month

    @classmethod
    def spawn(cls, rng: np.random.Generator) -> RandomStreams:
        """One independent child generator of ``rng`` per decision, in field order."""
        names = [f.name for f in fields(cls)]
        return cls(**dict(zip(names, rng.spawn(len(names)), strict=True)))
