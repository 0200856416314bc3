"""One set of number formats for every report page and printed table:

- a value has at most 3 significant digits but never hides an integer digit (``1,151``, ``499``, ``17.5``,
  ``0.553``, ``12``: no trailing zeros), thousands separated by commas, a true minus sign (−);
- an indicator measured as a share (vacancy, coverage, rent burden …) is shown in per cent, and a change in it in
  percentage points (``+0.15 pt``);
- a relative change in per cent with one decimal (``+0.6 %``, ``−13.0 %``);
- a probability in whole per cent (``49 %``), its change in whole percentage points (``−34 pt``).
"""
from __future__ import annotations

import math

SHARE_UNIT = "share"
MINUS = "\u2212"
MAX_DECIMALS = 6   # smaller values show as 0


def number(value: float) -> str:
    """At most 3 significant digits (no trailing zeros), never fewer than the integer digits; thousands
    separated; true minus sign."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if value == 0:
        return "0"
    digits = min(MAX_DECIMALS, max(0, 2 - math.floor(math.log10(abs(value)))))
    text = f"{value:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if float(text.replace(",", "")) == 0:
        return "0"
    return text.replace("-", MINUS)


def signed(value: float) -> str:
    """``number`` with a sign: ``+3.1``, ``−913``, ``0``."""
    text = number(value)
    return "+" + text if text not in ("0", "–") and not text.startswith(MINUS) else text


def in_unit(value: float, unit: str, change: bool = False) -> str:
    """A value (or with ``change`` a signed difference) in the unit a reader expects: shares in per cent (values)
    or percentage points (changes)."""
    if unit == SHARE_UNIT:
        value = 100 * value
    return signed(value) if change else number(value)


def display_unit(unit: str, change: bool = False) -> str:
    """The unit as a report shows it: a share is shown in % (its change in pt)."""
    if unit == SHARE_UNIT:
        return "pt" if change else "%"
    return unit


def relative(share: float) -> str:
    """A relative change (0.00622) in per cent with one decimal: ``+0.6 %``."""
    if share is None or not math.isfinite(share):
        return "–"
    percent = round(100 * share, 1)
    return "0.0 %" if percent == 0 else f"{percent:+.1f} %".replace("-", MINUS)


def probability(share: float) -> str:
    """A probability in whole per cent: ``49 %``."""
    return "–" if share is None or math.isnan(share) else f"{100 * share:.0f} %"


def points(share: float) -> str:
    """A change in a probability in whole percentage points: ``−34 pt``."""
    if share is None or math.isnan(share):
        return "–"
    text = f"{100 * share:+.0f}"
    return ("0" if text in ("+0", "-0") else text.replace("-", MINUS)) + " pt"
