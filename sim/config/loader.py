"""Load and validate scenario and profile TOML files, resolving variants.

Validation happens completely before anything runs or is written: an unknown key, a missing key, a
wrong type, a wrong unit, a missing source or an out-of-range value raises ``ScenarioError`` naming the
file, the key and what is allowed.

A *variant* names the scenario it extends (``[scenario] extends = "panzhihua_plan.toml"``, relative to the
variant) and states only its own name, description and the parameters it changes; every other key is the
extended scenario's. With ``from_year = 2021`` its changes act from January of that year and the extended
scenario runs the years before, so a policy variant shares the calibrated 2016–2020 history of its baseline.
Variants may extend variants. The resolved scenario (every table, with the extended one for the years before
``from_year``) is what is validated, hashed and saved.

A scenario file may also list the dated policy measures it represents, or cannot (``[[measures]]``, with their
documents and issuing bodies; ``sim.config.measures``): the as-happened scenarios do.
"""
from __future__ import annotations

import copy
import math
import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .measures import Measure, MeasureError, parse_measures
from .schema import DISTRICT, PROFILE, SCENARIO, YEARS, Spec


class ScenarioError(ValueError):
    """A scenario or profile file that does not follow the schema."""


class Section(dict):
    """A validated section: plain values reachable as attributes (``p.credit.mortgage_rate``). Read-only: a
    changed parameter is a new scenario (``Scenario.with_overrides``), so no run can alter another's."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # entries as instance attributes: reading one (thousands of times a month) is then a plain lookup; an
        # entry named like a dict method is, as before, an item only
        self.__dict__.update({k: v for k, v in dict.items(self) if isinstance(k, str) and not hasattr(dict, k)})

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError as exc:
            raise AttributeError(name) from exc

    def _read_only(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("scenario parameters are read-only; use Scenario.with_overrides for changed values")

    __setitem__ = __delitem__ = update = pop = popitem = clear = setdefault = __ior__ = _read_only  # type: ignore

    def __reduce__(self) -> tuple:
        return (type(self), (dict(self),))

    def replaced(self, **values: Any) -> Section:
        """A copy with some entries replaced."""
        return Section({**self, **values})


def purpose(path: Path) -> str:
    """A scenario file's purpose: the comment paragraph at its top."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("#").strip())
    return " ".join(lines)


@dataclass(frozen=True)
class Scenario:
    """A resolved scenario: its parameters, the city profile, and the raw tables for saving.

    ``before`` is the scenario that runs the years before ``from_year`` (a variant's extended scenario), or None
    when these parameters act from 2016."""

    path: Path
    params: Section
    profile: Section
    districts: list[Section]
    raw: dict[str, Any] = field(repr=False)
    raw_profile: dict[str, Any] = field(repr=False)
    before: Scenario | None = field(default=None, repr=False)
    measures: tuple[Measure, ...] = field(default=(), repr=False)   # the file's dated measures (``.measures``)

    @property
    def from_year(self) -> int | None:
        return self.params.scenario.get("from_year") if self.before is not None else None

    def params_at(self, year: int) -> Section:
        """The parameters acting in ``year``."""
        if self.before is not None and year < self.from_year:
            return self.before.params_at(year)
        return self.params

    @property
    def name(self) -> str:
        return self.params.scenario.name

    @property
    def purpose(self) -> str:
        """The purpose paragraph at the top of the scenario's file; for a scenario made in code (``variant``),
        its description."""
        text = purpose(self.path) if self.path.is_file() else ""
        return text or self.params.scenario.description

    @property
    def city(self) -> str:
        return self.params.scenario.city

    def resolved(self) -> dict[str, Any]:
        """The scenario with its profile embedded, as written to a run's output folder."""
        out = dict(self.raw)
        out["profile_tables"] = self.raw_profile
        if self.before is not None:
            out["before_from_year"] = {k: v for k, v in self.before.resolved().items() if k != "profile_tables"}
        return out

    def with_overrides(self, overrides: dict[str, float]) -> Scenario:
        """A copy with some numeric parameters replaced, validated against the schema.

        Keys are ``section.key`` for scenario parameters and ``profile.section.key`` for the city profile.
        A key ending in ``*`` multiplies a per-year series (``demand.non_resident_buyers*`` = 1.2 raises every
        year by 20 %). The resolved tables record the new values with source ``override``.
        """
        params = {k: dict(v) for k, v in self.params.items()}
        profile = {k: dict(v) for k, v in self.profile.items()}
        raw, raw_profile = copy.deepcopy(self.raw), copy.deepcopy(self.raw_profile)
        for full_key, value in overrides.items():
            factor = full_key.endswith("*")
            key = full_key.rstrip("*")
            in_profile = key.startswith("profile.")
            parts = key.removeprefix("profile.").split(".")
            schema = PROFILE if in_profile else SCENARIO
            target, table = (profile, raw_profile) if in_profile else (params, raw)
            if len(parts) != 2 or parts[0] not in schema or parts[1] not in schema[parts[0]]:
                raise ScenarioError(f"override [{full_key}]: unknown parameter")
            section, name = parts
            spec = schema[section][name]
            if spec.plain:
                raise ScenarioError(f"override [{full_key}]: not a parameter")
            current = table[section][name]["value"]      # in the file's unit
            numbers = value if isinstance(value, (list, tuple)) else [value]
            if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
                       for v in numbers):
                raise ScenarioError(f"override [{full_key}]: {value!r} is not a finite number")
            if factor:
                if spec.kind not in ("by_year", "list"):
                    raise ScenarioError(f"override [{full_key}]: '*' scales a per-year series; {name} is {spec.kind}")
                new: Any = [v * float(value) for v in current]
            elif spec.kind in ("by_year", "list") and isinstance(value, (list, tuple)):
                new = [float(v) for v in value]
            elif spec.kind == "by_year":
                new = [float(value)] * len(current)      # one number for every year
            elif spec.kind == "int":
                new = int(round(float(value)))
            elif spec.kind == "float":
                new = float(value)
            else:
                raise ScenarioError(f"override [{full_key}]: only numbers can be overridden; {name} is {spec.kind}")
            target[section][name] = spec.base(_check_value(Path("override"), full_key, spec, new))
            table[section][name] = {"value": new, "unit": spec.unit, "source": "override"}
        new_params = Section({k: Section(v) for k, v in params.items()})
        new_profile = Section({k: Section(v) for k, v in profile.items()})
        _check_consistency(Path("override"), new_params)       # values fine alone may not fit together
        _check_profile_consistency(Path("override"), new_profile)
        before = self.before.with_overrides(overrides) if self.before is not None else None
        return replace(self, params=new_params, profile=new_profile, raw=raw, raw_profile=raw_profile, before=before)

    def variant(self, name: str, description: str, overrides: dict[str, Any], from_year: int | None = YEARS[5]
                ) -> Scenario:
        """A variant of this scenario made in code, as a variant file would make it: ``overrides`` (keys as in
        ``with_overrides``; a per-year series takes a list or one number for every year) act from January of
        ``from_year`` (default 2021; None: from 2016), this scenario runs the years before."""
        if name == self.name:
            raise ScenarioError(f"variant of {self.name}: a variant needs its own name")
        if from_year is not None:
            if not YEARS[0] < from_year <= YEARS[-1]:
                raise ScenarioError(f"variant {name}: from_year {from_year} outside {YEARS[1]}–{YEARS[-1]}")
            for key in overrides:
                section, _, param = key.rstrip("*").removeprefix("profile.").partition(".")
                spec = (PROFILE if key.startswith("profile.") else SCENARIO).get(section, {}).get(param)
                if key.startswith("profile.") or (spec is not None and spec.setup):
                    raise ScenarioError(f"variant {name}: [{key}] is read only when the model is set up in "
                                        f"{YEARS[0]}-01; a variant acting from {from_year} cannot change it")
        changed = self.with_overrides(overrides)
        own = {"name": name, "description": description, "extends": self.name}
        if from_year is not None:
            own["from_year"] = from_year
        params = Section({**changed.params, "scenario": changed.params.scenario.replaced(**own)})
        raw = {**changed.raw, "scenario": {**changed.raw["scenario"], **own}}
        before = self if from_year is not None else changed.before
        return replace(changed, path=self.path.parent / f"{name}.toml", params=params, raw=raw, before=before)


def _fail(path: Path, key: str, msg: str) -> ScenarioError:
    return ScenarioError(f"{path}: [{key}] {msg}")


# a scenario name becomes part of output folder names: letters (any script), digits, _ - . only, not leading "."
SAFE_NAME = re.compile(r"^[^\W][\w.-]*$")


def _check_value(path: Path, key: str, spec: Spec, value: Any) -> Any:
    allowed = spec.allowed()
    if spec.kind == "str":
        if not isinstance(value, str):
            raise _fail(path, key, f"expected a string, got {value!r}; allowed: {allowed}")
        if spec.choices and value not in spec.choices:
            raise _fail(path, key, f"{value!r} is not allowed; allowed: {allowed}")
        if spec.name_like and not SAFE_NAME.match(value):
            raise _fail(path, key, f"{value!r} is not a usable name: it names output folders, so it may hold "
                        "letters, digits, '_', '-' and '.' only, and must start with a letter or digit")
        return value
    if spec.kind == "bool":
        if not isinstance(value, bool):
            raise _fail(path, key, f"expected true/false, got {value!r}")
        return value
    if spec.kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise _fail(path, key, f"expected an integer, got {value!r}; allowed: {allowed}")
        values = [value]
    elif spec.kind == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _fail(path, key, f"expected a number, got {value!r}; allowed: {allowed}")
        value = float(value)
        values = [value]
    else:  # by_year, list
        if not isinstance(value, list) or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in value
        ):
            raise _fail(path, key, f"expected a list of numbers, got {value!r}; allowed: {allowed}")
        if spec.kind == "by_year" and len(value) != len(YEARS):
            raise _fail(path, key, f"expected {len(YEARS)} values ({YEARS[0]}–{YEARS[-1]}), got {len(value)}")
        value = [float(v) for v in value]
        values = value
    for v in values:
        if not math.isfinite(v):
            raise _fail(path, key, f"value {v} is not a finite number; allowed: {allowed}")
        if (spec.lo is not None and v < spec.lo) or (spec.hi is not None and v > spec.hi):
            raise _fail(path, key, f"value {v} out of range; allowed: {allowed}")
    return value


def _check_entry(path: Path, key: str, spec: Spec, entry: Any) -> Any:
    if spec.plain:
        return _check_value(path, key, spec, entry)
    if not isinstance(entry, dict):
        raise _fail(path, key, 'expected an inline table { value = ..., unit = "...", source = "..." }; '
                    f"allowed: {spec.allowed()}")
    extra = set(entry) - {"value", "unit", "source"}
    missing = {"value", "unit", "source"} - set(entry)
    if extra:
        raise _fail(path, key, f"unknown field(s) {sorted(extra)}; allowed: value, unit, source")
    if missing:
        raise _fail(path, key, f"missing field(s) {sorted(missing)}; every parameter needs value, unit, source")
    if entry["unit"] != spec.unit:
        raise _fail(path, key, f'unit "{entry["unit"]}" is wrong; allowed: "{spec.unit}"')
    source = entry["source"]
    if not isinstance(source, str) or not source.strip():
        raise _fail(path, key, "source must name the seed file and section, or say 'guess, range …'")
    if source.lower().startswith("guess") and "range" not in source:
        raise _fail(path, key, "a guessed value must give its plausible range ('guess, range lo–hi')")
    return _check_value(path, key, spec, entry["value"])


def _check_tables(path: Path, data: dict[str, Any], schema: dict[str, dict[str, Spec]],
                  skip: tuple[str, ...] = ()) -> Section:
    unknown = set(data) - set(schema) - set(skip)
    if unknown:
        raise _fail(path, sorted(unknown)[0], f"unknown section; allowed: {', '.join(schema)}")
    out = {}
    for section, specs in schema.items():
        table = data.get(section)
        if not isinstance(table, dict):
            raise _fail(path, section, "missing section")
        unknown = set(table) - set(specs)
        if unknown:
            key = sorted(unknown)[0]
            raise _fail(path, f"{section}.{key}", f"unknown key; allowed: {', '.join(specs)}")
        missing = {k for k, spec in specs.items() if not spec.optional} - set(table)
        if missing:
            key = sorted(missing)[0]
            raise _fail(path, f"{section}.{key}", f"missing key; expected: {specs[key].allowed()}")
        out[section] = Section({k: spec.base(_check_entry(path, f"{section}.{k}", spec, table[k]))
                                for k, spec in specs.items() if k in table})
    return Section(out)


def _check_consistency(path: Path, p: Section) -> None:
    """Cross-key rules: band lists fit together, escrow nodes are monotone."""
    edges, mult = p.land_supply.band_edges, p.land_supply.band_multipliers
    if sorted(edges) != edges or len(set(edges)) != len(edges):
        raise _fail(path, "land_supply.band_edges", "edges must be strictly increasing")
    if len(mult) != len(edges) + 1:
        raise _fail(path, "land_supply.band_multipliers",
                    f"needs one multiplier per band: len(band_edges) + 1 = {len(edges) + 1}, got {len(mult)}")
    nodes, shares = p.escrow.release_progress, p.escrow.release_share
    if len(nodes) != len(shares) or not nodes:
        raise _fail(path, "escrow.release_share", "needs one cumulative share per release_progress node")
    if sorted(nodes) != nodes or sorted(shares) != shares or shares[-1] != 1.0:
        raise _fail(path, "escrow.release_share",
                    "nodes and cumulative shares must increase, and the last share must be 1.0")
    if p.presale.relax_below_cycle >= p.presale.tighten_above_cycle:
        raise _fail(path, "presale.relax_below_cycle",
                    f"must be below presale.tighten_above_cycle ({p.presale.tighten_above_cycle:g} months)")
    if len(p.red_lines.debt_growth_caps) != 4:
        raise _fail(path, "red_lines.debt_growth_caps", "needs 4 caps: for 0, 1, 2 and 3 lines crossed")
    shares = zip(p.shantytown.cash_share, p.shantytown.purchase_share, strict=True)
    for year, (c, q) in enumerate(shares, start=YEARS[0]):
        if c + q > 1.0 + 1e-9:
            raise _fail(path, "shantytown.purchase_share", f"cash_share + purchase_share > 1 in {year}")


def _read_toml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ScenarioError(f"{path}: file not found")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ScenarioError(f"{path}: line {line} is not UTF-8 (byte {data[exc.start]:#04x}); TOML files must be "
                            "saved as UTF-8 (an editor's GBK/ANSI encoding will not do)") from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: not valid TOML: {exc}") from exc


def load_profile(path: Path) -> tuple[Section, list[Section], dict[str, Any]]:
    """Read a city profile: initial state for 2016-01 and its districts."""
    raw = _read_toml(path)
    profile = _check_tables(path, raw, PROFILE, skip=("district",))
    districts_raw = raw.get("district")
    if not isinstance(districts_raw, list) or not districts_raw:
        raise _fail(path, "district", "needs at least one [[district]] table")
    districts = []
    for i, d in enumerate(districts_raw):
        key = f"district[{i}]"
        unknown = set(d) - set(DISTRICT)
        if unknown:
            raise _fail(path, f"{key}.{sorted(unknown)[0]}", f"unknown key; allowed: {', '.join(DISTRICT)}")
        missing = set(DISTRICT) - set(d)
        if missing:
            raise _fail(path, f"{key}.{sorted(missing)[0]}", "missing key")
        districts.append(Section({k: s.base(_check_entry(path, f"{key}.{k}", s, d[k])) for k, s in DISTRICT.items()}))
    total = sum(d.population_share for d in districts)
    if abs(total - 1.0) > 1e-6:
        raise _fail(path, "district.population_share", f"shares must sum to 1, got {total:.6f}")
    _check_profile_consistency(path, profile)
    return profile, districts, raw


def _check_profile_consistency(path: Path, profile: Section) -> None:
    """Cross-key rules of a profile: bounds in order, no more public tenants than public units."""
    for key in ("housing.old_stock_build_years", "housing.newer_stock_build_years",
                "developers.initial_progress_range"):
        section, name = key.split(".")
        lo_hi = profile[section][name]
        if len(lo_hi) != 2 or lo_hi[0] >= lo_hi[1]:
            raise _fail(path, key, f"needs two increasing bounds [low, high], got {lo_hi}")
    if profile.housing.public_rental_occupied > profile.housing.public_rental_units:
        raise _fail(path, "housing.public_rental_occupied", "cannot exceed housing.public_rental_units")


def load_scenario(path: str | Path) -> Scenario:
    """Read, validate and resolve a scenario file (and the scenario it extends, and the profile)."""
    return _load(Path(path), ())


def _load(path: Path, chain: tuple[Path, ...]) -> Scenario:
    raw = _read_toml(path)
    entries = raw.pop("measures", [])
    own_keys = {f"{s}.{k}" for s, t in raw.items() if s != "scenario" and isinstance(t, dict) for k in t}
    scenario = _resolve(path, raw, chain)
    try:
        measures = parse_measures(path, entries, own_keys)
    except MeasureError as e:
        raise ScenarioError(str(e)) from None
    return replace(scenario, measures=measures)


def _resolve(path: Path, raw: dict[str, Any], chain: tuple[Path, ...]) -> Scenario:
    own = raw.get("scenario")
    parent_name = own.get("extends") if isinstance(own, dict) else None
    if parent_name is None:
        params = _check_tables(path, raw, SCENARIO)
        _check_consistency(path, params)
        profile_path = (path.parent / params.scenario.profile).resolve()
        profile, districts, raw_profile = load_profile(profile_path)
        return Scenario(path=path, params=params, profile=profile, districts=districts,
                        raw=raw, raw_profile=raw_profile)
    if not isinstance(parent_name, str):
        raise _fail(path, "scenario.extends", f"expected a file name, got {parent_name!r}")
    parent_path = path.parent / parent_name
    if parent_path.resolve() in {p.resolve() for p in (*chain, path)}:
        raise _fail(path, "scenario.extends", f"{parent_name} extends back to this file (a cycle)")
    if not parent_path.is_file():
        raise _fail(path, "scenario.extends", f"{parent_name}: file not found (relative to {path.parent})")
    parent = _load(parent_path, (*chain, path))
    raw = _merge_variant(path, raw, parent)
    params = _check_tables(path, raw, SCENARIO)
    _check_consistency(path, params)
    if "from_year" not in own:
        return replace(parent, path=path, params=params, raw=raw)
    return replace(parent, path=path, params=params, raw=raw, before=parent)


def _merge_variant(path: Path, raw: dict[str, Any], parent: Scenario) -> dict[str, Any]:
    """The parent's tables with the variant's entries in place of its own; checks the variant's entries first,
    so an error names the variant file and key."""
    own = raw["scenario"]
    for key in ("name", "description"):
        if not isinstance(own.get(key), str) or own.get(key) == parent.raw["scenario"].get(key):
            raise _fail(path, f"scenario.{key}", "a variant needs its own name and description")
    from_year = own.get("from_year", parent.raw["scenario"].get("from_year"))   # inherited like any key
    merged = copy.deepcopy(parent.raw)
    for section, table in raw.items():
        if section not in SCENARIO:
            raise _fail(path, section, f"unknown section; allowed: {', '.join(SCENARIO)}")
        if not isinstance(table, dict):
            raise _fail(path, section, "expected a table of parameters")
        for key, entry in table.items():
            spec = SCENARIO[section].get(key)
            if spec is None:
                raise _fail(path, f"{section}.{key}", f"unknown key; allowed: {', '.join(SCENARIO[section])}")
            _check_entry(path, f"{section}.{key}", spec, entry)
            if from_year is not None and spec.setup and section != "scenario":
                raise _fail(path, f"{section}.{key}", f"is read only when the model is set up in {YEARS[0]}-01; "
                            f"a variant acting from_year = {from_year} cannot change it")
            merged.setdefault(section, {})[key] = entry
    if from_year is not None and {"city", "profile"} & set(own):
        raise _fail(path, "scenario.profile", "a variant acting from a later year keeps its scenario's city and "
                    "profile")
    merged["scenario"]["profile"] = str(Path(os.path.relpath(
        (parent.path.parent / parent.raw["scenario"]["profile"]).resolve(), path.parent.resolve())))
    if "profile" in own:
        merged["scenario"]["profile"] = own["profile"]
    return merged
