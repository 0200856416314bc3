"""Batches that stop when asked, never mix, never trust a damaged file, and hold only a few runs in memory."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest

from sim.config.loader import load_scenario
from sim.montecarlo import batch as batch_module
from sim.montecarlo import run_files
from sim.montecarlo.batch import Batch, BatchMismatch, BatchWarning, simulate_run
from sim.montecarlo.executor import make_executor
from sim.montecarlo.parameters import ParameterSource
from sim.montecarlo.report import write_outputs
from sim.montecarlo.run_matrix import RunMatrix
from sim.montecarlo.summary import summarise

from .conftest import ROOT, SCENARIOS

SCALE = 200
AS_WRITTEN = ParameterSource("scenario")


def mc(out: Path, runs: int, seed: int = 5, **popen) -> subprocess.Popen:
    cmd = [sys.executable, str(ROOT / "run_sim.py"), "mc", str(SCENARIOS["anshan"]), "--runs", str(runs),
           "--workers", "2", "--scale", str(SCALE), "--seed", str(seed), "--out", str(out)]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)


def finished(proc: subprocess.Popen, timeout: float = 900) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


def live_members(group: int) -> list[int]:
    """Processes of a process group that are still running (exited but unreaped ones do not count)."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            pids.append(int(stat.parent.name))
    return pids


def wait_for_runs(runs_dir: Path, n: int, timeout: float = 300) -> None:
    deadline = time.time() + timeout
    while len(list(runs_dir.glob("run-*.parquet"))) < n:
        assert time.time() < deadline, "the batch saved no runs"
        time.sleep(0.1)


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    """An uninterrupted 40-run batch."""
    out = tmp_path_factory.mktemp("reference") / "b"
    code, _, err = finished(mc(out, 40))
    assert code == 0, err
    return out


def same_outputs(a: Path, b: Path) -> None:
    for name in ("summary.csv", "scorecard.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    pd.testing.assert_frame_equal(pd.read_parquet(a / "runs.parquet"), pd.read_parquet(b / "runs.parquet"))


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process groups from /proc")
def test_sigint_stops_a_batch_at_once_and_it_resumes_to_the_same_result(reference, tmp_path):
    out = tmp_path / "b"
    proc = mc(out, 40, start_new_session=True)
    wait_for_runs(out / "runs", 3)
    asked = time.monotonic()
    os.killpg(proc.pid, signal.SIGINT)      # Ctrl-C in a terminal: the whole foreground group
    code, _, err = finished(proc, timeout=60)
    assert time.monotonic() - asked < 10
    assert code == 128 + signal.SIGINT, err
    assert "Traceback" not in err and "run the same command to finish the rest" in err
    time.sleep(0.5)
    assert live_members(proc.pid) == [], "a worker outlived its batch"
    saved = len(list((out / "runs").glob("run-*.parquet")))
    assert 3 <= saved < 40
    code, stdout, err = finished(mc(out, 40))
    assert code == 0, err
    assert "P(meet)" in stdout
    same_outputs(reference, out)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process groups from /proc")
def test_sigterm_stops_a_batch_and_a_killed_coordinator_takes_its_workers_with_it(tmp_path):
    proc = mc(tmp_path / "term", 40, start_new_session=True)
    wait_for_runs(tmp_path / "term" / "runs", 2)
    proc.terminate()                        # SIGTERM to the coordinating process only
    code, _, err = finished(proc, timeout=60)
    assert code == 128 + signal.SIGTERM, err
    time.sleep(0.5)
    assert live_members(proc.pid) == []
    out = tmp_path / "kill"
    proc = mc(out, 40, start_new_session=True)
    wait_for_runs(out / "runs", 2)
    proc.kill()                             # SIGKILL: a lost machine; the coordinator cannot tell its workers
    proc.wait()
    deadline = time.time() + 10
    while live_members(proc.pid) and time.time() < deadline:
        time.sleep(0.2)
    assert live_members(proc.pid) == [], "workers outlived a killed batch"


def test_two_batches_started_into_one_folder_one_refuses_and_the_other_is_intact(tmp_path):
    out = tmp_path / "shared"
    first, second = mc(out, 8, seed=5), mc(out, 8, seed=6)
    results = {5: finished(first), 6: finished(second)}
    codes = sorted(code for code, _, _ in results.values())
    assert codes == [0, 2], results
    winner = next(seed for seed, (code, _, _) in results.items() if code == 0)
    loser_err = results[11 - winner][2]
    assert "in use by another batch" in loser_err or "holds another batch" in loser_err
    code, _, err = finished(mc(tmp_path / "alone", 8, seed=winner))
    assert code == 0, err
    same_outputs(tmp_path / "alone", out)


def small_batch(out: Path, seed: int = 9, runs: int = 3) -> Batch:
    return Batch(load_scenario(SCENARIOS["anshan"]), runs=runs, root_seed=seed, scale=SCALE, out_dir=out,
                 params=AS_WRITTEN)


def test_damaged_or_foreign_run_files_are_recomputed_not_trusted(tmp_path):
    batch = small_batch(tmp_path / "b")
    with ThreadPoolExecutor(1) as ex:
        assert batch.execute(ex, progress=False) == []
        original = batch.results()
        other = small_batch(tmp_path / "other", seed=10)
        assert other.execute(ex, progress=False) == []
        data = batch.run_path(1).read_bytes()
        batch.run_path(1).write_bytes(data[: len(data) // 2])            # cut short
        shutil.copy(other.run_path(2), batch.run_path(2))               # another batch's run 2
        assert batch.done() == {0}
        with pytest.warns(BatchWarning) as caught:
            assert batch.execute(ex, progress=False) == []
    messages = sorted(str(w.message) for w in caught)
    assert messages[0].startswith("run-00001.parquet unreadable")
    assert messages[1].startswith("run-00002.parquet belongs to another batch")
    pd.testing.assert_frame_equal(batch.results(), original)


def test_a_damaged_manifest_is_replaced_and_a_code_change_is_refused(tmp_path, monkeypatch):
    batch = small_batch(tmp_path / "b", runs=1)
    with ThreadPoolExecutor(1) as ex:
        assert batch.execute(ex, progress=False) == []
        (tmp_path / "b" / "manifest.json").write_text('{"scenario": "ansh')
        with pytest.warns(BatchWarning, match="does not read"):
            assert batch.execute(ex, progress=False) == []
        monkeypatch.setattr(batch_module, "code_digest", lambda: "0" * 16)
        with pytest.raises(BatchMismatch, match="code changed"):
            batch.execute(ex, progress=False)


def test_the_code_digest_follows_the_model_and_not_its_reports(tmp_path):
    """Editing how runs are reported (a report page, the comparison) keeps finished batches readable; editing the
    model (a rule, a market) does not."""
    from sim.montecarlo.provenance import PACKAGE, package_digest

    copy = tmp_path / "sim"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = package_digest(copy)
    for reporting in ("comparison/html_report.py", "montecarlo/html_report.py", "html_page.py", "formats.py",
                      "montecarlo/provenance.py"):
        with (copy / reporting).open("a") as f:
            f.write("\n# a report's look changed\n")
    assert package_digest(copy) == before
    with (copy / "markets" / "clearing.py").open("a") as f:
        f.write("\n# a rule changed\n")
    assert package_digest(copy) != before


def test_what_a_run_executes_imports_no_module_left_out_of_the_code_digest():
    """A run (the model and the batch's run function) must not depend on a module the digest leaves out, or an
    edit to it could change runs without the batch noticing. The digest's own module is the one exception."""
    code = ("import sys, sim.model, sim.montecarlo.batch\n"
            "print(' '.join(m for m in sys.modules if m == 'sim' or m.startswith('sim.')))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                            check=True).stdout.split()
    from sim.montecarlo.provenance import REPORTING_ONLY

    paths = [m.removeprefix("sim").lstrip(".").replace(".", "/") for m in loaded]
    left_out = [p for p in paths if p and any(f"{p}.py".startswith(r) or f"{p}/".startswith(r)
                                              for r in REPORTING_ONLY)]
    assert left_out == ["montecarlo/provenance"]


def test_a_folder_holding_other_files_is_refused_and_left_untouched(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("an analyst's notes")
    for command in (["mc", "--runs", "2"], ["run"]):
        proc = subprocess.run([sys.executable, str(ROOT / "run_sim.py"), command[0], str(SCENARIOS["anshan"]),
                               *command[1:], "--scale", str(SCALE), "--out", str(out)],
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 2 and "notes.txt" in proc.stderr and "Traceback" not in proc.stderr
        assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


@pytest.mark.parametrize("command, target", [("run", "/proc/forbidden"), ("mc", "a_file")])
def test_an_unwritable_output_is_refused_before_simulating(tmp_path, command, target):
    out = tmp_path / target if target == "a_file" else Path(target)
    if target == "a_file":
        out.write_text("x")
    started = time.monotonic()
    proc = subprocess.run([sys.executable, str(ROOT / "run_sim.py"), command, str(SCENARIOS["anshan"]),
                           "--scale", str(SCALE), "--out", str(out), *(["--runs", "2"] if command == "mc" else [])],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2, proc.stderr
    assert str(out) in proc.stderr and "Traceback" not in proc.stderr
    assert time.monotonic() - started < 30     # refused before any simulation, not after


def test_a_write_error_stops_the_batch_when_it_happens(tmp_path, monkeypatch):
    simulated = []

    def counted(scenario, run, seed, scale):
        simulated.append(run)
        return simulate_run(scenario, run, seed, scale)

    real = run_files.write_run

    def disk_full(path, table, digest, run, seed):
        if run >= 2:
            raise OSError(28, "No space left on device", str(path))
        real(path, table, digest, run, seed)

    monkeypatch.setattr(run_files, "write_run", disk_full)
    batch = small_batch(tmp_path / "b", runs=20)
    with ThreadPoolExecutor(1) as ex, pytest.raises(OSError, match="No space left"):
        batch.execute(ex, simulate=counted, progress=False)
    assert len(simulated) <= 6, "runs went on being simulated after the disk filled"
    assert batch.done() == {0, 1}


class CountingPool(ThreadPoolExecutor):
    """A thread pool that records the most runs ever submitted and not yet collected."""

    def __init__(self, workers: int) -> None:
        super().__init__(workers)
        self.outstanding = self.most = 0

    def submit(self, fn, /, *args, **kwargs):
        self.outstanding += 1
        self.most = max(self.most, self.outstanding)
        future = super().submit(fn, *args, **kwargs)
        future.add_done_callback(lambda _: setattr(self, "outstanding", self.outstanding - 1))
        return future


def fake_run(scenario, run, seed, scale):
    return pd.DataFrame({"run": run, "seed": seed, "city": "anshan", "district": "all", "year": 2021,
                         "indicator": "sales_area", "value": [float(run)]})


def test_a_large_batch_keeps_only_a_few_runs_submitted(tmp_path):
    batch = small_batch(tmp_path / "b", runs=300)
    with CountingPool(2) as pool:
        assert batch.execute(pool, simulate=fake_run, progress=False) == []
    assert pool.most <= batch_module.SUBMIT_AHEAD * 2
    assert batch.done() == set(range(300))


def test_summaries_from_the_on_disk_matrix_equal_those_from_the_long_table(tmp_path):
    batch = small_batch(tmp_path / "b", runs=4)
    with make_executor(2) as ex:
        assert batch.execute(ex, progress=False) == []
    summary, _ = write_outputs(batch)
    files = [batch.run_path(r) for r in range(4)]
    on_disk = RunMatrix.from_files(files, store=tmp_path / "values.npy")
    pd.testing.assert_frame_equal(summarise(on_disk), summarise(batch.results()))
    pd.testing.assert_frame_equal(summary, summarise(batch.results()))
    assert not list((tmp_path / "b").glob(".matrix-*"))     # the temporary matrix is gone


def test_a_stopped_comparison_says_what_is_saved_and_exits_with_the_signal_code(tmp_path, monkeypatch, capsys):
    """compare, sweep and hindcast share one frame (run_sim.paired_runs): Ctrl-C inside the runs exits with
    128 + SIGINT and says how to finish, with no traceback."""
    import run_sim
    from sim import api

    def stopped(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(api, "compare", stopped)
    out = tmp_path / "cmp"
    code = run_sim.main(["compare", str(SCENARIOS["anshan"]), str(ROOT / "scenarios" / "anshan_credit_eased.toml"),
                     "--runs", "2", "--scale", str(SCALE), "--out", str(out)])
    assert code == 128 + signal.SIGINT
    assert "run the same command to finish the rest" in capsys.readouterr().err
