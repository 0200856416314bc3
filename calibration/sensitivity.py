"""Global sensitivity analysis with SALib: Morris screening, then Sobol indices for the parameters that matter.

Inputs are the city's free parameters (``calibration/params/<city>.toml``), sampled over their prior ranges
(log-uniform ones on a log scale). Outputs are the calibration moments (2016–2020) and the 2025 values of
the key indicators. Every simulation uses the same model seed (common random numbers), so differences between
samples come from the parameters, not from the draws.

1. Morris (elementary effects): ``trajectories`` × (k + 1) simulations; μ* ranks parameters per output.
   μ* is divided by the output's own scale (its median absolute value) so outputs of different units can be
   averaged into one ranking.
2. Sobol (Saltelli sampling, first-order S1 and total ST): for the ``top`` parameters by mean normalised μ*,
   with the others at their prior medians; N × (top + 2) simulations.
"""
from __future__ import annotations

from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from SALib.analyze import morris as morris_analyze  # noqa: E402
from SALib.analyze import sobol as sobol_analyze  # noqa: E402
from SALib.sample import morris as morris_sample  # noqa: E402
from SALib.sample import sobol as sobol_sample  # noqa: E402

from sim.config.loader import Scenario  # noqa: E402
from sim.indicators import CITY  # noqa: E402
from sim.model import HousingMarketModel  # noqa: E402
from sim.output import atomic_write  # noqa: E402

from .moments import Moment, moments, simulated  # noqa: E402
from .priors import Prior  # noqa: E402

INDICATORS_2025 = ["sales_area", "avg_price", "inventory_area", "destocking_cycle", "supply_area",
                   "per_capita_floor_area", "price_to_income", "problem_projects", "vacancy_rate",
                   "subsidy_households"]
PROJECTION_YEAR = 2025


@dataclass
class OutputSimulator:
    """Parameter values (in prior order) → calibration moments and 2025 indicators. Runs in workers."""

    scenario: Scenario
    priors: list[Prior]
    ms: list[Moment]
    scale: int
    seed: int

    def __call__(self, values: np.ndarray) -> dict[str, float]:
        overrides = {p.key: float(v) for p, v in zip(self.priors, values, strict=True)}
        model = HousingMarketModel(self.scenario.with_overrides(overrides), seed=self.seed, scale=self.scale)
        model.run()
        annual = model.annual_table()
        out = simulated(annual, self.ms)
        city = annual[(annual.district == CITY) & (annual.year == PROJECTION_YEAR)].set_index("indicator").value
        out.update({f"{name}:{PROJECTION_YEAR}": float(city[name]) for name in INDICATORS_2025})
        return out


def problem(priors: list[Prior]) -> dict:
    """SALib problem on the sampling scale: log bounds for log-uniform priors."""
    bounds = [[np.log(p.lo), np.log(p.hi)] if p.log else [p.lo, p.hi] for p in priors]
    return {"num_vars": len(priors), "names": [p.key for p in priors], "bounds": bounds}


def to_values(priors: list[Prior], x: np.ndarray) -> np.ndarray:
    """Sampling scale → parameter values."""
    x = np.array(x, dtype=float)
    for j, p in enumerate(priors):
        if p.log:
            x[:, j] = np.exp(x[:, j])
    return x


def evaluate(executor: Executor, simulator: OutputSimulator, values: np.ndarray) -> pd.DataFrame:
    """One row of outputs per parameter row (NaN where a run did not produce an output)."""
    return pd.DataFrame(list(executor.map(simulator, list(values))))


def run_morris(executor: Executor, simulator: OutputSimulator, trajectories: int, seed: int) -> pd.DataFrame:
    prob = problem(simulator.priors)
    x = morris_sample.sample(prob, trajectories, num_levels=4, seed=seed)
    y = evaluate(executor, simulator, to_values(simulator.priors, x))
    rows = []
    for output in y.columns:
        values = y[output].to_numpy(float)
        if not np.isfinite(values).all():
            values = np.nan_to_num(values, nan=np.nanmedian(values))
        res = morris_analyze.analyze(prob, x, values, num_levels=4, seed=seed)
        scale = max(np.median(np.abs(values)), 1e-12)
        for j, name in enumerate(prob["names"]):
            rows.append({"output": output, "parameter": name, "mu_star": res["mu_star"][j],
                         "mu_star_conf": res["mu_star_conf"][j], "sigma": res["sigma"][j],
                         "mu_star_normalised": res["mu_star"][j] / scale})
    return pd.DataFrame(rows)


def ranking(morris: pd.DataFrame) -> pd.Series:
    """Mean normalised μ* over all outputs, largest first."""
    return morris.groupby("parameter").mu_star_normalised.mean().sort_values(ascending=False)


def run_sobol(executor: Executor, simulator: OutputSimulator, top: list[str], n: int, seed: int) -> pd.DataFrame:
    chosen = [p for p in simulator.priors if p.key in top]
    prob = problem(chosen)
    x = sobol_sample.sample(prob, n, calc_second_order=False, seed=seed)
    full = np.tile([p.median() for p in simulator.priors], (len(x), 1))
    xv = to_values(chosen, x)
    for j, p in enumerate(chosen):
        full[:, simulator.priors.index(p)] = xv[:, j]
    y = evaluate(executor, simulator, full)
    rows = []
    for output in y.columns:
        values = y[output].to_numpy(float)
        if np.nanstd(values) == 0 or not np.isfinite(values).any():
            continue
        values = np.nan_to_num(values, nan=np.nanmedian(values))
        res = sobol_analyze.analyze(prob, values, calc_second_order=False, seed=seed)
        for j, name in enumerate(prob["names"]):
            rows.append({"output": output, "parameter": name, "S1": res["S1"][j], "S1_conf": res["S1_conf"][j],
                         "ST": res["ST"][j], "ST_conf": res["ST_conf"][j]})
    return pd.DataFrame(rows)


def chart(morris: pd.DataFrame, sobol: pd.DataFrame, title: str, path: Path) -> None:
    """Left: Morris ranking (mean normalised μ*). Right: Sobol total indices on the 2025 indicators."""
    rank = ranking(morris)
    fig, axes = plt.subplots(1, 2, figsize=(15, 6))
    axes[0].barh(rank.index[::-1], rank.values[::-1], color="tab:blue")
    axes[0].set_xlabel("mean normalised Morris μ* (all outputs)")
    axes[0].set_title("Morris screening")
    if len(sobol):
        st = sobol[sobol.output.str.endswith(f":{PROJECTION_YEAR}")].pivot(index="output", columns="parameter",
                                                                            values="ST").clip(lower=0)
        st.plot.barh(ax=axes[1], width=0.8)
        axes[1].set_xlabel("Sobol total index ST")
        axes[1].set_title(f"Sobol, {PROJECTION_YEAR} indicators")
        axes[1].legend(fontsize=7)
    fig.suptitle(title)
    fig.tight_layout()
    atomic_write(path, lambda tmp: fig.savefig(tmp, dpi=100, format="png"))
    plt.close(fig)


def sensitivity(scenario: Scenario, priors: list[Prior], executor: Executor, *, trajectories: int, sobol_n: int,
                top: int, scale: int, seed: int, out_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run Morris then Sobol; write morris.csv, sobol.csv, sensitivity.png to ``out_dir``."""
    simulator = OutputSimulator(scenario, priors, moments(scenario.city), scale, seed)
    morris = run_morris(executor, simulator, trajectories, seed)
    leaders = list(ranking(morris).index[:top])
    sobol = run_sobol(executor, simulator, leaders, sobol_n, seed) if sobol_n and top else pd.DataFrame()
    out_dir.mkdir(parents=True, exist_ok=True)
    atomic_write(out_dir / "morris.csv", lambda tmp: morris.to_csv(tmp, index=False))
    atomic_write(out_dir / "sobol.csv", lambda tmp: sobol.to_csv(tmp, index=False))
    chart(morris, sobol, f"{scenario.name}: sensitivity (scale {scale}, seed {seed})", out_dir / "sensitivity.png")
    return morris, sobol
