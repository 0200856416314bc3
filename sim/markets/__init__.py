"""Where homes, land and rentals change hands: market clearing, settlement, pricing, the land auction."""
