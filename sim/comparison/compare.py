"""A comparison: a baseline and its variants run as Monte Carlo batches on the same seeds and parameter draws.

Layout of a comparison folder::

    batches/<scenario>/   one resumable Monte Carlo batch per scenario (see ``sim.montecarlo.batch``)
    comparison.csv        per variant: every indicator's paired 2021–2025 difference, and every plan target's
                          change in the probability of meeting it (column ``kind``)
    differences_<variant>.png   difference fan charts;  levers.png   heat map of variants × indicators
    report.html           everything above in one self-contained page
    manifest.json         scenarios and their hashes, runs, seed, scale, parameter source, commit, time
"""
from __future__ import annotations

import json
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from ..config.loader import Scenario
from ..indicators import CHINESE_NAMES
from ..memo import memo_comparison, write_workbook
from ..montecarlo.batch import Batch
from ..montecarlo.folder_lock import LOCK_NAME, exclusive
from ..montecarlo.parameters import ParameterSource
from ..montecarlo.provenance import git_commit, scenario_hash
from ..observed import targets
from ..output import atomic_write, prepare_folder, write_csv
from .charts import KEY_INDICATORS, difference_fan_chart, lever_heatmap
from .html_report import write_report
from .paired import indicator_differences, target_changes, unchanged, yearly_differences

# Runs seed from spawn_key (run,) and draw parameters from (run, 1); the bootstrap's (0, 2) is neither.
BOOTSTRAP_KEY = (0, 2)


COMPARISON_FILES = {"manifest.json", "batches", "comparison.csv", "comparison.xlsx", "report.html", "levers.png",
                    "sweep.csv", "sweep.png", LOCK_NAME}


def is_comparison_file(path: Path) -> bool:
    return path.name in COMPARISON_FILES or (path.name.startswith("differences_") and path.suffix == ".png")


class ComparisonError(ValueError):
    """Scenarios that cannot be compared (other city, same name, a lever the parameter draws overwrite)."""


@dataclass
class Comparison:
    baseline: Scenario
    variants: list[Scenario]
    runs: int
    root_seed: int
    scale: int
    out_dir: Path
    params: ParameterSource

    def __post_init__(self) -> None:
        self.check()

    @property
    def scenarios(self) -> list[Scenario]:
        return [self.baseline, *self.variants]

    def check(self) -> None:
        """Refuse comparisons that would not mean what they say."""
        names = [s.name for s in self.scenarios]
        if len(set(names)) != len(names):
            raise ComparisonError(f"scenario names must differ: {names}")
        for v in self.variants:
            if v.city != self.baseline.city:
                raise ComparisonError(f"{v.path}: city {v.city} differs from the baseline's {self.baseline.city}")
            for key in self.params.keys:
                if key.endswith("*") or key.startswith("profile."):
                    continue    # a factor scales the variant's own series; the profile is shared
                section, name = key.split(".")
                if v.params[section][name] != self.baseline.params[section][name]:
                    raise ComparisonError(
                        f"{v.path}: [{key}] is changed by the variant but set run by run by the parameter "
                        f"source ({self.params.label}); the change would be lost. Compare with --params scenario, "
                        "or change another parameter")

    def batches(self) -> list[Batch]:
        return [Batch(s, runs=self.runs, root_seed=self.root_seed, scale=self.scale,
                      out_dir=self.out_dir / "batches" / s.name, params=self.params) for s in self.scenarios]

    def write_report(self, table: pd.DataFrame) -> Path:
        """report.html from the comparison table and the charts already written."""
        return write_report(self.out_dir, self.baseline, self.variants, table, scale=self.scale,
                            root_seed=self.root_seed, params_label=self.params.label)

    def execute(self, executor: Executor, progress: bool = True) -> dict[str, list[dict]]:
        """Run every scenario's missing runs; returns the failures per scenario. The folder is locked while it
        runs and must hold nothing but this comparison's files."""
        prepare_folder(self.out_dir, is_comparison_file, "a comparison's")
        with exclusive(self.out_dir):
            started = datetime.now(UTC).isoformat(timespec="seconds")
            self.write_manifest(started, None)
            failures = {b.scenario.name: b.execute(executor, progress=progress) for b in self.batches()}
            self.write_manifest(started, datetime.now(UTC).isoformat(timespec="seconds"))
        return failures

    def write_manifest(self, started: str, finished: str | None) -> None:
        manifest = {"city": self.baseline.city, "baseline": self.baseline.name,
                    "variants": [v.name for v in self.variants],
                    "scenario_files": {s.name: str(s.path) for s in self.scenarios},
                    "scenario_hashes": {s.name: scenario_hash(s) for s in self.scenarios},
                    "runs": self.runs, "root_seed": self.root_seed, "scale": self.scale,
                    "params": self.params.label, "params_hash": self.params.digest(),
                    "started": started, "finished": finished, "git_commit": git_commit()}
        text = json.dumps(manifest, indent=2, ensure_ascii=False)
        atomic_write(self.out_dir / "manifest.json", lambda tmp: tmp.write_text(text, encoding="utf-8"))

    def common_runs(self) -> dict[str, pd.DataFrame]:
        """Each scenario's annual indicators (long table) over the runs finished in every scenario: the pairs."""
        runs = {b.scenario.name: b.results() for b in self.batches()}
        common = set.intersection(*(set(r.run.unique()) for r in runs.values()))
        if not common:
            raise ComparisonError("no run finished in every scenario")
        return {k: r[r.run.isin(common)] for k, r in runs.items()}

    def results(self) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
        """(comparison table, yearly differences per variant) over the runs finished in every scenario."""
        runs = self.common_runs()
        base = runs[self.baseline.name]
        rng = np.random.default_rng(np.random.SeedSequence(self.root_seed, spawn_key=BOOTSTRAP_KEY))
        city_targets = targets(self.baseline.city)
        tables, yearly = [], {}
        for v in self.variants:
            ind = indicator_differences(base, runs[v.name]).assign(kind="indicator", scope="city", target="")
            tgt = target_changes(base, runs[v.name], city_targets, rng).rename(
                columns={"p_baseline": "baseline", "p_variant": "variant_value", "change": "difference"})
            tables.append(pd.concat([ind, tgt.assign(kind="target", relative=np.nan)], ignore_index=True)
                          .assign(variant=v.name))
            yearly[v.name] = yearly_differences(base, runs[v.name], KEY_INDICATORS)
        table = pd.concat(tables, ignore_index=True)
        table.insert(3, "chinese", table.indicator.map(CHINESE_NAMES))
        columns = ["variant", "kind", "indicator", "chinese", "period", "scope", "target", "unit", "baseline",
                   "variant_value", "difference", "p5", "p95", "relative", "runs"]
        return table[columns], yearly

    def write_outputs(self) -> pd.DataFrame:
        """comparison.csv, the charts and report.html from the finished runs; returns the comparison table."""
        table, yearly = self.results()
        write_csv(table, self.out_dir / "comparison.csv")
        write_workbook({"比较 comparison": memo_comparison(table)}, self.out_dir / "comparison.xlsx")
        runs = int(table.runs.max())
        lever_heatmap(table[table.kind == "indicator"],
                      f"{self.baseline.name}: median change of the 2021–2025 measure against the baseline "
                      f"({runs} paired runs; * = 90 % interval excludes 0)", self.out_dir / "levers.png")
        for v in self.variants:
            chart = self.out_dir / f"differences_{v.name}.png"
            if unchanged(table, v.name, KEY_INDICATORS):
                chart.unlink(missing_ok=True)   # the report says the variant changes nothing
                continue
            difference_fan_chart(yearly[v.name], f"{v.name} − {self.baseline.name}: paired difference by year "
                                 f"({runs} runs)", chart)
        self.write_report(table)
        return table
