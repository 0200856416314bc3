"""Free parameters and their priors, from ``calibration/params/<city>.toml``."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

PARAMS_DIR = Path(__file__).resolve().parent / "params"


@dataclass(frozen=True)
class Prior:
    key: str        # override key, see Scenario.with_overrides
    lo: float
    hi: float
    log: bool       # log-uniform instead of uniform
    unit: str
    why: str

    @property
    def name(self) -> str:
        """A column-safe name (no dots or stars) for tables and column headers."""
        return self.key.replace(".", "__").replace("*", "_x")

    def median(self) -> float:
        return float(np.sqrt(self.lo * self.hi)) if self.log else (self.lo + self.hi) / 2

    def from_unit(self, u: np.ndarray) -> np.ndarray:
        """Map uniform(0, 1) draws to the prior."""
        u = np.asarray(u, dtype=float)
        if self.log:
            return np.exp(np.log(self.lo) + u * (np.log(self.hi) - np.log(self.lo)))
        return self.lo + u * (self.hi - self.lo)

    def to_unit(self, x: np.ndarray | float) -> np.ndarray:
        """Position of values in the prior range on its sampling scale (0 = lo, 1 = hi); inverse of from_unit."""
        x = np.asarray(x, dtype=float)
        if self.log:
            return (np.log(x) - np.log(self.lo)) / (np.log(self.hi) - np.log(self.lo))
        return (x - self.lo) / (self.hi - self.lo)


def load_priors(city: str, path: Path | None = None) -> list[Prior]:
    path = path or PARAMS_DIR / f"{city}.toml"
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    priors = []
    for i, p in enumerate(data.get("param", [])):
        missing = {"key", "lo", "hi", "log", "unit", "why"} - set(p)
        if missing:
            raise ValueError(f"{path}: param[{i}] misses {sorted(missing)}")
        if not 0 < p["lo"] < p["hi"] if p["log"] else not p["lo"] < p["hi"]:
            raise ValueError(f"{path}: param[{i}] ({p['key']}) needs lo < hi (and lo > 0 when log)")
        priors.append(Prior(p["key"], float(p["lo"]), float(p["hi"]), bool(p["log"]), p["unit"], p["why"]))
    return priors


def overrides(priors: list[Prior], values: dict[str, float]) -> dict[str, float]:
    """{override key: value} from {prior name: value}."""
    return {p.key: float(values[p.name]) for p in priors}
