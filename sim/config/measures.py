"""Dated policy measures a scenario represents, or cannot: ``[[measures]]`` in a scenario file.

A scenario that follows what happened (``scenarios/<city>_as_happened.toml``) lists every national or provincial
measure it knows of, each with the document, its date and the issuing body:

    [[measures]]
    name = "First-home down payment 15 %"
    date = "2024-05-17"
    issued_by = "中国人民银行、国家金融监督管理总局"
    document = "《关于调整个人住房贷款最低首付款比例政策的通知》"
    group = "credit"
    modelled = true
    sets = ["credit.down_payment_first"]

A measure with a channel in the model names the parameters it sets (``sets``, keys the file itself sets); one
without says why (``modelled = false``, ``why``). Measures are grouped (``group``) so that a hindcast can switch
one group of measures on at a time (``sim.comparison.hindcast``); a parameter belongs to one group only, and in
a file that lists measures every parameter it sets belongs to a measure.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")     # YYYY-MM or YYYY-MM-DD
TEXT_FIELDS = ("name", "date", "issued_by", "document", "group")


class MeasureError(ValueError):
    """A ``[[measures]]`` entry that misses a field or claims a parameter the file does not set."""


@dataclass(frozen=True)
class Measure:
    name: str
    date: str              # when it took effect (YYYY-MM or YYYY-MM-DD)
    issued_by: str
    document: str
    group: str             # the hindcast's group of measures (credit, developer_finance, income_population …)
    modelled: bool
    sets: tuple[str, ...]  # "section.key" parameters it sets (modelled measures)
    why: str = ""          # why the model has no channel for it (measures not modelled)


def parse_measures(path: Path, entries: Any, own_keys: set[str]) -> tuple[Measure, ...]:
    """Validate ``[[measures]]`` against the parameters the file sets (``own_keys``, "section.key")."""
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise MeasureError(f"{path}: [measures] must be an array of tables ([[measures]])")
    out = []
    for i, e in enumerate(entries):
        where = f"{path}: measures[{i}]"
        extra = set(e) - {*TEXT_FIELDS, "modelled", "sets", "why"}
        if extra:
            raise MeasureError(f"{where}: unknown field(s) {sorted(extra)}")
        for f in TEXT_FIELDS:
            if not isinstance(e.get(f), str) or not e[f].strip():
                raise MeasureError(f"{where}: needs a non-empty '{f}'")
        if not DATE.match(e["date"]):
            raise MeasureError(f"{where} ({e['name']}): date {e['date']!r} is not YYYY-MM or YYYY-MM-DD")
        if not isinstance(e.get("modelled"), bool):
            raise MeasureError(f"{where} ({e['name']}): needs modelled = true or false")
        sets = e.get("sets", [])
        if not isinstance(sets, list) or not all(isinstance(k, str) for k in sets):
            raise MeasureError(f"{where} ({e['name']}): sets must be a list of \"section.key\" names")
        if e["modelled"]:
            if not sets:
                raise MeasureError(f"{where} ({e['name']}): a modelled measure names the parameters it sets")
            unknown = sorted(set(sets) - own_keys)
            if unknown:
                raise MeasureError(f"{where} ({e['name']}): sets {unknown}, which the file does not set")
        elif sets or not isinstance(e.get("why"), str) or not e["why"].strip():
            raise MeasureError(f"{where} ({e['name']}): a measure not modelled sets nothing and says why")
        out.append(Measure(e["name"], e["date"], e["issued_by"], e["document"], e["group"], e["modelled"],
                           tuple(sets), e.get("why", "")))
    groups: dict[str, str] = {}
    for m in out:
        for key in m.sets:
            if groups.setdefault(key, m.group) != m.group:
                raise MeasureError(f"{path}: {key} is set by measures of groups {groups[key]!r} and {m.group!r}; "
                                   "a parameter belongs to one group")
    if out and own_keys - set(groups):
        raise MeasureError(f"{path}: parameters {sorted(own_keys - set(groups))} belong to no measure")
    return tuple(out)
