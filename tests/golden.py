"""Golden outputs: SHA-256 checksums of annual tables and a small Monte Carlo summary at fixed seeds.

A refactor must leave every checksum unchanged. A commit that changes the model's behaviour on purpose
regenerates them (``python -m tests.golden --update``) and says why in its message.
"""
from __future__ import annotations

import argparse
import hashlib
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from tempfile import TemporaryDirectory

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
CHECKSUMS = Path(__file__).resolve().parent / "golden_checksums.json"
SEED, SCALE = 1, 50
RUN_SCENARIOS = ("panzhihua_plan", "anshan_plan", "panzhihua_presale_strict")
MC_SCENARIO, MC_RUNS, MC_ROOT_SEED = "panzhihua_plan", 4, 0


def digest(table: pd.DataFrame) -> str:
    """Checksum of a table's exact content (floats written with 17 significant digits)."""
    text = table.to_csv(index=False, float_format="%.17g", lineterminator="\n")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def annual_table(name: str) -> pd.DataFrame:
    from sim.config.loader import load_scenario
    from sim.model import HousingMarketModel

    model = HousingMarketModel(load_scenario(ROOT / "scenarios" / f"{name}.toml"), seed=SEED, scale=SCALE)
    model.run()
    return model.results()[0]


def mc_summary() -> pd.DataFrame:
    """A 4-run batch of the Panzhihua plan with parameters drawn from its fitted posterior, summarised."""
    from sim.config.loader import load_scenario
    from sim.montecarlo.batch import Batch
    from sim.montecarlo.parameters import ParameterSource
    from sim.montecarlo.summary import summarise

    posterior = ParameterSource.from_csv(ROOT / "calibration" / "fitted" / "panzhihua.csv", "posterior")
    with TemporaryDirectory() as tmp, ThreadPoolExecutor(max_workers=1) as executor:
        batch = Batch(load_scenario(ROOT / "scenarios" / f"{MC_SCENARIO}.toml"), runs=MC_RUNS,
                      root_seed=MC_ROOT_SEED, scale=SCALE, out_dir=Path(tmp), params=posterior)
        failures = batch.execute(executor, progress=False)
        if failures:
            raise RuntimeError(failures[0]["traceback"])
        return summarise(batch.results())


def checksums() -> dict[str, str]:
    out = {f"annual:{name}:seed{SEED}:scale{SCALE}": digest(annual_table(name)) for name in RUN_SCENARIOS}
    out[f"mc_summary:{MC_SCENARIO}:runs{MC_RUNS}:root{MC_ROOT_SEED}:scale{SCALE}:posterior"] = digest(mc_summary())
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--update", action="store_true", help=f"rewrite {CHECKSUMS.name}")
    args = parser.parse_args()
    current = checksums()
    stored = json.loads(CHECKSUMS.read_text(encoding="utf-8")) if CHECKSUMS.exists() else {}
    if args.update:   # the report below compares with the checksums as they were before
        CHECKSUMS.write_text(json.dumps(current, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {CHECKSUMS}")
    for key, value in current.items():
        print(f"{'same' if stored.get(key) == value else 'CHANGED'}  {key}  {value[:16]}")


if __name__ == "__main__":
    main()
