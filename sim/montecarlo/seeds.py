"""Per-run seeds from one root seed (``numpy.random.SeedSequence``).

Run i's seed depends only on the root seed and i, so a batch gives the same runs whatever the number of
workers, the order runs finish in, or where they run.
"""
from __future__ import annotations

import numpy as np


def run_seed(root_seed: int, run: int) -> int:
    """The integer seed of run ``run`` (0-based): SeedSequence(root_seed, spawn_key=(run,)), 63 bits."""
    state = np.random.SeedSequence(root_seed, spawn_key=(run,)).generate_state(1, dtype=np.uint64)[0]
    return int(state >> np.uint64(1))
