"""Calibration: priors, moments and distance, parameter overrides and draws, and ABC end to end."""
from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from calibration.moments import distance, moments, simulated
from calibration.priors import Prior, load_priors
from sim.config.loader import ScenarioError
from sim.model import HousingMarketModel
from sim.montecarlo.parameters import ParameterSource

from .conftest import ROOT


@pytest.mark.parametrize("city", ["panzhihua", "anshan"])
def test_priors_name_valid_parameters(scenarios, city):
    priors = load_priors(city)
    assert len(priors) >= 6
    medians = {p.key: p.median() for p in priors}
    sc = scenarios[city].with_overrides(medians)      # every key exists and the medians are in range
    for p in priors:
        assert p.lo < p.median() < p.hi and p.why
        if not p.key.endswith("*"):
            from sim.config.schema import PROFILE, SCENARIO

            section, name = p.key.removeprefix("profile.").split(".")
            in_profile = p.key.startswith("profile.")
            table = sc.profile if in_profile else sc.params
            spec = (PROFILE if in_profile else SCENARIO)[section][name]     # parameters hold base units (元, m²)
            assert (table[section][name] == pytest.approx(spec.base(p.median()), rel=1e-9)
                    or isinstance(table[section][name], int))


def test_log_prior_median_is_geometric():
    p = Prior("demand.upgrade_hazard", 0.0001, 0.01, True, "1/month", "x")
    assert p.median() == pytest.approx(0.001)
    assert p.from_unit(np.array([0.0, 0.5, 1.0])) == pytest.approx([0.0001, 0.001, 0.01])
    assert p.to_unit(np.array([0.0001, 0.001, 0.01])) == pytest.approx([0.0, 0.5, 1.0])
    linear = Prior("developers.build_cost", 1800, 3000, False, "元/㎡", "x")
    assert linear.to_unit(linear.from_unit(np.array([0.1, 0.7]))) == pytest.approx([0.1, 0.7])


def test_overrides_are_validated(scenarios):
    sc = scenarios["anshan"]
    with pytest.raises(ScenarioError, match="demand.nope"):
        sc.with_overrides({"demand.nope": 1.0})
    with pytest.raises(ScenarioError, match="out of range"):
        sc.with_overrides({"developers.target_sell_through": 2.0})
    scaled = sc.with_overrides({"demand.non_resident_buyers*": 2.0})
    assert scaled.params.demand.non_resident_buyers == [2 * v for v in sc.params.demand.non_resident_buyers]
    assert sc.params.demand.non_resident_buyers[0] == 1000   # the original is untouched
    assert scaled.raw["demand"]["non_resident_buyers"]["source"] == "override"


def test_parameter_draws_follow_weights_and_seed():
    table = pd.DataFrame({"demand.price_elasticity": [1.0, 2.0, 3.0], "weight": [0.0, 0.25, 0.75]})
    src = ParameterSource("t", table)
    draws = [src.for_run(7, r)["demand.price_elasticity"] for r in range(400)]
    assert 1.0 not in draws
    assert np.mean(np.array(draws) == 3.0) == pytest.approx(0.75, abs=0.07)
    assert draws == [src.for_run(7, r)["demand.price_elasticity"] for r in range(400)]
    assert ParameterSource("scenario").for_run(7, 0) == {}


def test_moments_and_distance():
    ms = moments("anshan")
    names = {m.name for m in ms}
    assert {"sales_area:2016", "avg_price:2019", "inventory_area:2017", "supply_area:2018",
            "land_supplied:2016", "provident_fund_lending:2019"} <= names
    assert not any(n.startswith("shantytown") for n in names)          # model inputs are not moments
    for indicator in {m.indicator for m in ms}:                          # each indicator weighs 1 in total
        assert sum(m.weight for m in ms if m.indicator == indicator) == pytest.approx(1.0)
    exact = {m.name: m.observed for m in ms}
    assert distance(exact, ms) == 0.0
    ten_percent = {k: v * 1.1 for k, v in exact.items()}
    assert distance(ten_percent, ms) == pytest.approx(np.log(1.1))
    worse = dict(exact, **{"sales_area:2016": exact["sales_area:2016"] * 2})
    assert distance(worse, ms) > 0


def test_simulated_moments_sum_flows_and_take_stock_years(scenarios):
    model = HousingMarketModel(scenarios["panzhihua"], seed=0, scale=100)
    model.run()
    annual, _ = model.results()
    ms = moments("panzhihua")
    sim = simulated(annual, ms)
    city = annual[annual.district == "all"].pivot(index="year", columns="indicator", values="value")
    assert sim["sales_area:2016-2020"] == pytest.approx(city.loc[2016:2020, "sales_area"].sum())
    assert sim["avg_price:2020"] == pytest.approx(city.loc[2020, "avg_price"])


def test_a_run_to_the_calibration_years_gives_the_moments_of_a_whole_run(scenarios):
    """Calibration runs stop after the last year of the figures (``run(until_year=…)``): the years they cover are
    those of a run to 2025, exactly."""
    from calibration.moments import LAST_YEAR

    ms = moments("anshan")
    whole = HousingMarketModel(scenarios["anshan"], seed=5, scale=400)
    whole.run()
    short = HousingMarketModel(scenarios["anshan"], seed=5, scale=400)
    short.run(until_year=LAST_YEAR)
    annual = short.results()[0]
    assert short.state.calendar.month == 12 * (LAST_YEAR - 2016 + 1) and annual.year.max() == LAST_YEAR
    assert simulated(annual, ms) == simulated(whole.results()[0], ms)


def test_replicated_moments_are_the_mean_over_their_seeds(scenarios):
    from calibration.abc import MomentSimulator, param_seed

    priors = [p for p in load_priors("panzhihua") if p.key == "demand.price_elasticity"]
    ms = moments("panzhihua")
    values = {priors[0].name: 1.5}
    averaged = MomentSimulator(scenarios["panzhihua"], priors, ms, scale=200, root_seed=4, replicates=2)(values)
    sc = scenarios["panzhihua"].with_overrides({"demand.price_elasticity": 1.5})
    single = []
    for replicate in (0, 1):
        model = HousingMarketModel(sc, seed=param_seed(4, values, replicate), scale=200)
        model.run()
        single.append(simulated(model.results()[0], ms))
    assert single[0] != single[1]    # the replicates are different seeds
    for name in single[0]:
        assert averaged[name] == pytest.approx((single[0][name] + single[1][name]) / 2)


def test_effective_sample_size():
    from calibration.abc import effective_sample_size

    assert effective_sample_size(np.full(50, 0.3)) == pytest.approx(50)
    assert effective_sample_size(np.array([1.0, 0.0, 0.0, 0.0])) == pytest.approx(1)
    assert effective_sample_size(np.array([3.0, 1.0])) == pytest.approx(16 / 10)


def test_tiny_calibration_end_to_end(tmp_path):
    """The calibrate command builds the reference table, writes the posterior, its manifest and the fit report;
    a larger budget extends the table without rerunning it; mc uses the posterior."""
    from calibration.reference_table import load

    out = tmp_path / "pz.csv"
    command = [sys.executable, str(ROOT / "run_sim.py"), "calibrate", "panzhihua", "--workers", "2", "--scale",
               "200", "--check-runs", "4", "--out", str(out)]
    proc = subprocess.run([*command, "--budget", "30"], capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    priors, ms = load_priors("panzhihua"), moments("panzhihua")
    table, second = out.with_suffix(".reference.parquet"), out.with_suffix(".reference-2.parquet")
    u20, first = load(table, priors, ms)
    assert len(u20) == 20 and first.notna().all().all() and len(load(second, priors, ms)[0]) == 10
    manifest = json.loads(out.with_suffix(".manifest.json").read_text())
    low, high = (np.array([manifest["box"][p.key][i] for p in priors]) for i in (0, 1))
    u_second = load(second, priors, ms)[0]
    assert ((u_second >= low) & (u_second <= high)).all() and (low >= 0).all() and (high <= 1).all()
    proc = subprocess.run([*command, "--budget", "36"], capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    u24, extended = load(table, priors, ms)
    assert len(u24) == 24 and np.array_equal(u24[:20], u20)
    pd.testing.assert_frame_equal(extended.iloc[:20], first)    # the first 20 runs were kept, not redone
    assert len(load(second, priors, ms)[0]) == 12
    posterior = pd.read_csv(out)
    keys = [p.key for p in priors]
    assert list(posterior.columns) == [*keys, "weight"] and posterior.weight.sum() == pytest.approx(1.0)
    for p in priors:
        assert posterior[p.key].between(p.lo, p.hi).all()
    manifest = json.loads(out.with_suffix(".manifest.json").read_text())
    assert manifest["simulations"] == 36 and manifest["budget"] == 36
    assert [r["round"] for r in manifest["rounds"]] == [1, 2] and manifest["rounds"][0]["runs"] == 24
    assert 0 < manifest["effective_sample_size"] <= manifest["accepted"]
    assert manifest["simulation_seconds_total"] > 0 and manifest["check_seconds"] > 0
    assert manifest["data_version"]["observed.csv"]
    assert manifest["params_spec"]["file"] == "calibration/params/panzhihua.toml"
    report = out.with_suffix(".report.md").read_text()
    assert "inside the simulated 90 % band" in report and "sales_area:2018" in report
    mc = subprocess.run([sys.executable, str(ROOT / "run_sim.py"), "mc", str(ROOT / "scenarios/panzhihua_plan.toml"),
                         "--runs", "3", "--workers", "1", "--scale", "200", "--params", str(out),
                         "--out", str(tmp_path / "mc")], capture_output=True, text=True, timeout=600)
    assert mc.returncode == 0, mc.stderr[-3000:]
    drawn = pd.read_csv(tmp_path / "mc" / "params.csv")
    assert set(keys) <= set(drawn.columns) and len(drawn) == 3
    assert json.loads((tmp_path / "mc" / "manifest.json").read_text())["params"] == str(out)
    # --report-only keeps the posterior and rewrites the report from the predictive runs, finishing missing ones.
    out.with_suffix(".report.md").unlink()
    next(out.with_suffix(".predictive").glob("runs/run-00003.*")).unlink()
    posterior_before = out.read_bytes()
    again = subprocess.run([sys.executable, str(ROOT / "run_sim.py"), "calibrate", "panzhihua", "--report-only",
                            "--workers", "1", "--check-runs", "4", "--out", str(out)],
                           capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-3000:]
    assert out.read_bytes() == posterior_before and out.with_suffix(".report.md").read_text() == report
    missing = subprocess.run([sys.executable, str(ROOT / "run_sim.py"), "calibrate", "panzhihua", "--report-only",
                              "--out", str(tmp_path / "none.csv")], capture_output=True, text=True, timeout=600)
    assert missing.returncode == 2 and "needs a finished calibration" in missing.stderr


def test_reference_table_resumes_identically_and_refuses_another_tables_file(scenarios, tmp_path):
    """An interrupted build resumes to the same table as an uninterrupted one; a file from other draws is an
    error, never mixed in."""
    from concurrent.futures import ThreadPoolExecutor

    from calibration.reference_table import build

    priors = [p for p in load_priors("anshan") if p.key == "demand.price_elasticity"]
    ms = moments("anshan")
    kwargs = {"scale": 400, "seed": 2, "progress": False}
    with ThreadPoolExecutor(2) as ex:
        whole = build(scenarios["anshan"], priors, ms, ex, size=6, path=tmp_path / "whole.parquet", **kwargs)
        build(scenarios["anshan"], priors, ms, ex, size=3, path=tmp_path / "part.parquet", **kwargs)
        resumed = build(scenarios["anshan"], priors, ms, ex, size=6, path=tmp_path / "part.parquet", **kwargs)
        pd.testing.assert_frame_equal(resumed, whole)
        with pytest.raises(ValueError, match="another seed"):
            build(scenarios["anshan"], priors, ms, ex, size=6, path=tmp_path / "part.parquet",
                  **{**kwargs, "seed": 3})


def test_a_fresh_calibration_rebuilds_its_tables_instead_of_resuming_them(scenarios, tmp_path):
    """After a model change the old tables no longer describe the model: ``fresh`` deletes them rather than
    resuming (a table from other draws is otherwise an error), and the manifest names the code's commit as it was
    when the calibration started."""
    from concurrent.futures import ThreadPoolExecutor

    from calibration.calibrate import calibrate, reference_path
    from calibration.reference_table import build

    priors = [p for p in load_priors("anshan") if p.key == "demand.price_elasticity"]
    ms, posterior_path = moments("anshan"), tmp_path / "an.csv"
    kwargs = {"budget": 6, "scale": 400, "seed": 2, "posterior_path": posterior_path, "ms": ms, "progress": False}
    with ThreadPoolExecutor(2) as ex:
        build(scenarios["anshan"], priors, ms, ex, size=4, scale=400, seed=3, path=reference_path(posterior_path),
              progress=False)
        with pytest.raises(ValueError, match="another seed"):
            calibrate(scenarios["anshan"], priors, ex, **kwargs)
        posterior, manifest = calibrate(scenarios["anshan"], priors, ex, fresh=True, **kwargs)
    assert len(pd.read_parquet(reference_path(posterior_path))) == 4 and manifest["simulations"] == 6
    assert manifest["git_commit"] is None or manifest["git_commit"].startswith(
        subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip())


def test_rejection_posterior_covers_known_truths():
    """Simulation-based coverage on a model whose answer is known: two parameters the figures identify (one
    through a non-linear figure), one they say nothing about, and two figures of pure noise. The 90 % intervals
    hold the truth 80–98 % of the time, narrow the identified parameters' priors and leave the other's whole."""
    from calibration.coverage import coverage
    from calibration.moments import Moment

    rng = np.random.default_rng(1)
    u = rng.random((2000, 3))
    noise = rng.normal(size=(2000, 4))
    errors = np.column_stack([u[:, 0] + 0.05 * noise[:, 0],
                              np.log(0.2 + u[:, 1]) + 0.5 * u[:, 0] + 0.1 * noise[:, 1],
                              0.3 * noise[:, 2], 0.3 * noise[:, 3]])
    ms = [Moment(f"figure{i}", f"indicator{i}", 2016, 2016, 1.0, "", 1.0) for i in range(4)]
    table = coverage(u, errors, ms, ["a", "b", "c"], truths=300, accept_share=0.05).set_index("parameter")
    assert table.coverage.between(0.80, 0.98).all(), table
    assert (table.width_vs_prior[["a", "b"]] < 0.6).all() and table.width_vs_prior["c"] > 0.8, table


def test_rejection_accepts_the_nearest_runs_by_the_calibration_distance():
    from calibration.moments import distances, moment_scales
    from calibration.rejection_abc import accept

    ms = moments("panzhihua")
    errors = np.random.default_rng(0).normal(0, 0.3, size=(1000, len(ms)))
    rows, weights, epsilon = accept(errors, ms, accept_share=0.1)
    d = distances(errors, ms, scale=moment_scales(errors))
    assert len(rows) == 100 and set(rows) == set(np.argsort(d)[:100]) and epsilon == pytest.approx(d[rows].max())
    assert weights.sum() == pytest.approx(1.0) and (np.diff(weights) <= 0).all()     # nearer runs weigh more
    assert distances(np.zeros(len(ms)), ms) == 0.0
    sim = {m.name: m.observed * 1.1 for m in ms}
    assert distance(sim, ms) == pytest.approx(np.log(1.1))


def test_a_figure_the_runs_scatter_widely_does_not_outweigh_one_they_pin():
    """Each moment's error is divided by its spread over the table: a figure whose runs scatter over a factor of
    e^2 (pure noise here) must not drown one the parameter pins within a few per cent."""
    from calibration.moments import OBSERVATION_ERROR, Moment, distances, moment_scales
    from calibration.rejection_abc import accept

    rng = np.random.default_rng(3)
    u = rng.random(4000)
    errors = np.column_stack([0.1 * (u - 0.5) + 0.01 * rng.normal(size=4000),    # pinned by u: true u = 0.5
                              2.0 * rng.normal(size=4000)])                       # noise the parameter never moves
    ms = [Moment(f"figure{i}", f"indicator{i}", 2016, 2016, 1.0, "", 1.0) for i in range(2)]
    scales = moment_scales(errors)
    assert scales[0] == pytest.approx(max(errors[:, 0].std(), OBSERVATION_ERROR)) and scales[1] > 1.5
    rows, _, _ = accept(errors, ms, accept_share=0.05)
    plain = np.argsort(distances(errors, ms))[:len(rows)]
    assert np.abs(u[rows] - 0.5).mean() < 0.5 * np.abs(u[plain] - 0.5).mean()


def test_mc_refuses_a_bad_parameter_file(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("demand.first_home_hazard,weight\n0.9,1\n")     # out of the schema's range
    for params in (str(tmp_path / "missing.csv"), str(bad)):
        proc = subprocess.run([sys.executable, str(ROOT / "run_sim.py"), "mc",
                               str(ROOT / "scenarios/anshan_plan.toml"), "--runs", "2", "--params", params,
                               "--out", str(tmp_path / "out")], capture_output=True, text=True, timeout=300)
        assert proc.returncode == 2, proc.stderr
        assert "error" in proc.stderr and not (tmp_path / "out").exists()
