"""Calibration moments: the plans' 2016–2020 figures the model can reproduce, and the distance to them.

Each observed figure in ``calibration/data/observed.csv`` whose indicator the model produces becomes a moment:
a flow over several years is compared with the sum of the simulated years, a stock or ratio with the
simulated year. A few plan figures are read through another indicator (``ALIASES``).

Distance. Moments have different units (万㎡, 元/㎡, months …), so each is compared on a log scale:
e_i = ln(simulated_i / observed_i), a 10 % miss weighing the same for a price as for an area. Each
indicator gets the same total weight, shared among its moments (Anshan's four annual sales figures count
as much as Panzhihua's one 2020 price):

    d = sqrt( Σ_i w_i (e_i / s_i)² / Σ_i w_i ),   w_i = 1 / (number of moments of the same indicator)

With s_i = 1 (``distances``' default) d ≈ 0.1 means the moments are off by about 10 % on average: the figure
the fit reports quote. The calibration divides each error by the moment's spread over the reference table's
runs, s_i = max(sd of e_i, ``OBSERVATION_ERROR``) (``moment_scales``), as adaptive ABC distances do (Prangle 2017,
Bayesian Analysis 12:289; pyabc's ``AdaptivePNormDistance``): a figure the runs scatter over a factor of ten
(land supplied, a year's investment) would otherwise outweigh one the parameters pin within a few per cent
(a year's price), though it says less about them. A simulated value that is missing or not positive counts as a
miss of ``MISSING_LOG_ERROR``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.indicators import CITY, FLOW_INDICATORS, INDICATORS
from sim.observed import observed

# Anshan's presale permits and 2016–2019 sales cover all commercial property; their residential parts are derived
# rows of observed.csv (supply_area, and the residential sales totals), so they are not aliased here.
ALIASES = {
    "residential_sales_area": "sales_area",       # the model sells homes only
    "subsidy_households": "subsidy_household_years",   # 000 一(一)5's 5,113 households over 2016–2020 are
                                                       # household-years (1,150元 each: a year's subsidy)
}
EXCLUDED = {"shantytown_households"}  # a model input (the plans' resettlement schedule), not an outcome
LAST_YEAR = 2021          # the plans' figures run to 2020 (and Panzhihua's vacancy survey, 2021H1)
MISSING_LOG_ERROR = 3.0   # ln(20): a moment the run cannot produce
OBSERVATION_ERROR = 0.05  # log units: the plans' figures are rounded and revised by a few per cent, so no
                          # moment is weighed as if known better than 5 % (guess, range 0.02–0.1)


@dataclass(frozen=True)
class Moment:
    name: str         # e.g. "sales_area:2016-2019"
    indicator: str    # model indicator
    start_year: int
    year: int
    observed: float
    unit: str
    weight: float

    @property
    def flow(self) -> bool:
        return self.indicator in FLOW_INDICATORS


def moments(city: str) -> list[Moment]:
    obs = observed(city)
    obs = obs[(obs.district == "") & (obs.relation == "=") & (obs.start_year >= 2016) & (obs.year <= LAST_YEAR)]
    chosen: dict[str, tuple] = {}
    # aliased figures come last so that, where two figures make the same moment, the one the model measures
    # more directly wins (Anshan's 2019 residential sales 220万㎡ over all commercial building, 242.7万㎡)
    for o in sorted(obs.itertuples(), key=lambda o: o.indicator in ALIASES):
        indicator = ALIASES.get(o.indicator, o.indicator)
        if indicator not in INDICATORS or indicator in EXCLUDED or o.value <= 0:
            continue
        if o.start_year != o.year and indicator not in FLOW_INDICATORS:
            continue
        name = f"{indicator}:{o.start_year}" + (f"-{o.year}" if o.year != o.start_year else "")
        chosen[name] = (indicator, int(o.start_year), int(o.year), float(o.value), o.unit)
    counts = pd.Series([v[0] for v in chosen.values()]).value_counts()
    return [Moment(name, ind, start, year, value, unit, 1.0 / counts[ind])
            for name, (ind, start, year, value, unit) in chosen.items()]


def simulated(annual: pd.DataFrame, ms: list[Moment]) -> dict[str, float]:
    """The moments' simulated values from one run's annual table (long format)."""
    city = annual[annual.district == CITY].pivot(index="year", columns="indicator", values="value")
    out = {}
    for m in ms:
        values = city.loc[m.start_year:m.year, m.indicator]
        out[m.name] = float(values.sum()) if m.flow else float(values.iloc[-1])
    return out


def log_error_table(table: pd.DataFrame, ms: list[Moment]) -> np.ndarray:
    """ln(simulated / observed) of every run (row of ``table``, one column per moment name) and moment; a value
    that is missing or not positive counts as a miss of ``MISSING_LOG_ERROR``."""
    values = table.reindex(columns=[m.name for m in ms]).to_numpy(dtype=float)
    usable = np.isfinite(values) & (values > 0)
    observed = np.array([m.observed for m in ms])
    return np.where(usable, np.log(np.where(usable, values, 1.0) / observed), MISSING_LOG_ERROR)


def distances(errors: np.ndarray, ms: list[Moment], target: np.ndarray | float = 0.0,
              scale: np.ndarray | float = 1.0) -> np.ndarray:
    """The distance (module docstring) of each row of log errors (…, moments) to ``target``: 0 = the plans'
    figures; another run's log errors = that run's figures (the synthetic truths of ``calibration.coverage``).
    ``scale``: each moment's s_i (``moment_scales``); 1 = the plain root-mean-square log ratio."""
    w = np.array([m.weight for m in ms])
    return np.sqrt((w * ((np.asarray(errors) - target) / scale) ** 2).sum(axis=-1) / w.sum())


def moment_scales(errors: np.ndarray) -> np.ndarray:
    """Each moment's spread over a table's runs (rows of log errors): the standard deviation of its log errors,
    at least ``OBSERVATION_ERROR``."""
    return np.maximum(np.std(np.asarray(errors), axis=0), OBSERVATION_ERROR)


def log_errors(sim: dict[str, float], ms: list[Moment]) -> np.ndarray:
    return log_error_table(pd.DataFrame([sim]), ms)[0]


def distance(sim: dict[str, float], ms: list[Moment]) -> float:
    return float(distances(log_errors(sim, ms), ms))
