"""Monte Carlo batches: same results for any number of workers and on Dask, failing runs
reported, and the scorecard's probabilities."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.montecarlo.batch import Batch, BatchMismatch, simulate_run
from sim.montecarlo.executor import make_executor
from sim.montecarlo.parameters import ParameterSource
from sim.montecarlo.report import write_outputs
from sim.montecarlo.scorecard import scorecard
from sim.montecarlo.seeds import run_seed

RUNS, SCALE = 4, 100
AS_WRITTEN = ParameterSource("scenario")


def batch_summary(scenario, out, workers=1, dask=None) -> pd.DataFrame:
    batch = Batch(scenario, runs=RUNS, root_seed=3, scale=SCALE, out_dir=out, params=AS_WRITTEN)
    with make_executor(workers, dask) as ex:
        assert batch.execute(ex, progress=False) == []
    write_outputs(batch)
    return pd.read_csv(out / "summary.csv")


def test_seeds_depend_only_on_root_and_run():
    seeds = [run_seed(3, r) for r in range(50)]
    assert len(set(seeds)) == 50
    assert seeds[7] == run_seed(3, 7) and run_seed(4, 7) != seeds[7]
    assert all(0 <= s < 2 ** 63 for s in seeds)


def test_summary_identical_for_1_and_2_workers_and_dask(scenarios, tmp_path):
    sc = scenarios["panzhihua"]
    one = batch_summary(sc, tmp_path / "w1", workers=1)
    two = batch_summary(sc, tmp_path / "w2", workers=2)
    dask = batch_summary(sc, tmp_path / "dask", workers=2, dask="local")
    pd.testing.assert_frame_equal(one, two)
    pd.testing.assert_frame_equal(one, dask)
    assert (one.runs[one.indicator == "sales_area"] == RUNS).all()
    for name in ("runs.parquet", "scorecard.csv", "fan_charts.png", "manifest.json"):
        assert (tmp_path / "w1" / name).stat().st_size > 0


def flaky_simulate(scenario, run, seed, scale):
    if run == 1:
        raise RuntimeError("boom in run 1")
    return simulate_run(scenario, run, seed, scale)


def test_failing_run_is_reported_and_others_finish(scenarios, tmp_path):
    batch = Batch(scenarios["anshan"], runs=3, root_seed=9, scale=SCALE, out_dir=tmp_path, params=AS_WRITTEN)
    with make_executor(2) as ex:
        failures = batch.execute(ex, simulate=flaky_simulate, progress=False)
    assert [f["run"] for f in failures] == [1]
    assert failures[0]["seed"] == run_seed(9, 1) and "boom in run 1" in failures[0]["error"]
    assert batch.done() == {0, 2}
    assert (tmp_path / "failures.json").exists()
    # resuming with a working simulation finishes only the missing run
    before = {r: batch.run_path(r).stat().st_mtime_ns for r in (0, 2)}
    with make_executor(1) as ex:
        assert batch.execute(ex, progress=False) == []
    assert batch.done() == {0, 1, 2} and not (tmp_path / "failures.json").exists()
    assert all(batch.run_path(r).stat().st_mtime_ns == t for r, t in before.items())


def test_folder_of_another_batch_is_refused(scenarios, tmp_path):
    Batch(scenarios["anshan"], runs=1, root_seed=1, scale=SCALE, out_dir=tmp_path,
          params=AS_WRITTEN).write_manifest("t0", None, 0)
    other = Batch(scenarios["anshan"], runs=1, root_seed=2, scale=SCALE, out_dir=tmp_path, params=AS_WRITTEN)
    with pytest.raises(BatchMismatch, match="root_seed"):
        other.check_folder()


def test_a_moved_parameter_file_still_matches_its_batch(scenarios, tmp_path):
    """Batches compare parameter files by content: a posterior moved into calibration/fitted/ resumes."""
    def source(label: str, value: float) -> ParameterSource:
        return ParameterSource.fixed(label, {"demand.price_elasticity": value})
    Batch(scenarios["anshan"], runs=1, root_seed=1, scale=SCALE, out_dir=tmp_path,
          params=source("/tmp/a.csv", 1.0)).write_manifest("t0", None, 0)
    Batch(scenarios["anshan"], runs=1, root_seed=1, scale=SCALE, out_dir=tmp_path,
          params=source("fitted/a.csv", 1.0)).check_folder()
    with pytest.raises(BatchMismatch, match="params_hash"):
        Batch(scenarios["anshan"], runs=1, root_seed=1, scale=SCALE, out_dir=tmp_path,
              params=source("fitted/a.csv", 2.0)).check_folder()


def constructed_runs() -> pd.DataFrame:
    """10 runs: per-capita area 2025 = 36.0, 36.5 … 40.5; supply 100 × (run+1)/yr; district cycles."""
    rows = []
    for run in range(10):
        rows.append((run, "all", 2025, "per_capita_floor_area", 36.0 + 0.5 * run))
        for year in range(2021, 2026):
            rows.append((run, "all", year, "supply_area", 20.0 * (run + 1)))
            rows.append((run, "all", year, "rental_max_wait", 7.0 if (run == 0 and year == 2023) else 3.0))
        rows.append((run, "all", 2025, "destocking_cycle", 12.0))
        rows.append((run, "东区", 2025, "destocking_cycle", 10.0))
        rows.append((run, "西区", 2025, "destocking_cycle", 20.0 if run < 4 else 15.0))
    df = pd.DataFrame(rows, columns=["run", "district", "year", "indicator", "value"])
    df.insert(0, "city", "panzhihua")
    return df


def test_scorecard_probabilities_on_constructed_runs():
    targets = pd.DataFrame([
        ("panzhihua", "per_capita_floor_area", 2025, 2025, ">", 37.0, np.nan, np.nan, "city"),
        ("panzhihua", "supply_area", 2021, 2025, "between", 517.0, 746.0, np.nan, "city"),
        ("panzhihua", "rental_max_wait", 2021, 2025, "<=", 6.0, np.nan, np.nan, "city"),
        ("panzhihua", "destocking_cycle", 2025, 2025, "between", 6.0, 18.0, np.nan, "each_district"),
        ("panzhihua", "supply_area", 2021, 2025, "about", 500.0, np.nan, 0.1, "city"),
    ], columns=["city", "indicator", "start_year", "year", "relation", "value", "upper", "tolerance", "scope"])
    targets = targets.assign(unit="u", attribute="预期性", modelled=True, source="test")
    card = scorecard(constructed_runs(), targets).set_index(["indicator", "target"])
    # per-capita: 36.0 … 40.5 → > 37 in runs 3..9 (37.5 and up) = 7 of 10
    assert card.loc[("per_capita_floor_area", ">37"), "probability"] == pytest.approx(0.7)
    assert card.loc[("per_capita_floor_area", ">37"), "median"] == pytest.approx(38.25)
    # supply summed over 5 years = 100 × (run+1): within 517–746 for runs 5, 6 (600, 700) = 2 of 10
    assert card.loc[("supply_area", "517–746"), "probability"] == pytest.approx(0.2)
    # about 500 ± 10 %: 500 only (run 4)
    assert card.loc[("supply_area", "≈500 (±10%)"), "probability"] == pytest.approx(0.1)
    # a stock must hold in every year: run 0 waited 7 months in 2023
    assert card.loc[("rental_max_wait", "<=6"), "probability"] == pytest.approx(0.9)
    # every district must be in 6–18: 西区 is at 20 in runs 0–3
    assert card.loc[("destocking_cycle", "6–18"), "probability"] == pytest.approx(0.6)
