"""One self-contained HTML page for a report (the comparison's and the Monte Carlo batch's): the shared style, a
layout that fits a 1366 px laptop screen, the CJK glyphs the page uses embedded as a font subset, charts embedded
as PNG. Numbers on a page are written with ``sim.formats``.
"""
from __future__ import annotations

import base64
import html
import math
from pathlib import Path

from .fonts import font_face_css
from .indicators import CHINESE_NAMES
from .output import atomic_write

STYLE = """
body { font-family: "DejaVu Sans", Arial, Helvetica, "ReportCJK", sans-serif; margin: 1.5em auto;
       max-width: 1240px; color: #222; line-height: 1.45; padding: 0 1em; }
table { border-collapse: collapse; margin: 0.8em 0 1.6em; font-size: 0.84em; max-width: 100%; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.45em; text-align: right; vertical-align: top; }
th { background: #f0f0f4; font-weight: 600; } td.name, th.name { text-align: left; }
td small, th small { color: #666; }
td.quiet { color: #777; }
img { max-width: 100%; height: auto; border: 1px solid #ddd; } .meta { color: #555; font-size: 0.9em; }
h2 { border-bottom: 2px solid #ddd; padding-bottom: 0.2em; margin-top: 2em; }
ul.findings > li { margin-bottom: 0.5em; } ul.findings ul { margin: 0.15em 0; }
td.nowrap { white-space: nowrap; }
nav ul { columns: 2; }
"""


def indicator_name(indicator: str) -> str:
    """The indicator's Chinese name with its code name beside it, escaped for HTML."""
    return f"{html.escape(CHINESE_NAMES.get(indicator, indicator))} <small>{html.escape(indicator)}</small>"


def breakable(name: str) -> str:
    """A code name (``panzhihua_developer_funding_shock``) that may wrap after its underscores in a narrow
    column header."""
    return "_<wbr>".join(html.escape(part) for part in name.split("_"))


def image(path: Path, alt: str | None = None) -> str:
    """A PNG embedded in the page."""
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<img alt="{html.escape(alt or path.stem)}" src="data:image/png;base64,{data}">'


def shade(low: float, high: float, strength: float) -> str:
    """Cell attributes for a paired change with 90 % interval [low, high]: coloured (red up, blue down) with an
    intensity that grows with ``strength`` (0–1, the change against the scale's limit) only where the interval
    excludes zero; otherwise no colour and grey text, so that a change within the run-to-run spread never looks
    strong."""
    if not (low > 0 or high < 0):
        return ' class="quiet"'
    strength = min(1.0, abs(strength)) if math.isfinite(strength) else 1.0
    rgb = "214, 39, 40" if low > 0 else "31, 119, 180"
    return f' style="background: rgba({rgb}, {0.12 + 0.5 * strength:.2f})"'


def write_page(path: Path, title: str, body: str) -> Path:
    """The page at ``path``: ``body`` with the shared style and a font subset holding every CJK glyph used."""
    text_for_font = "".join(ch for ch in html.unescape(body + title) if ord(ch) > 0x2E7F)
    page = (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)}</title>"
            f"<style>{font_face_css(text_for_font)}\n{STYLE}</style></head>\n<body>\n{body}\n</body></html>\n")
    atomic_write(path, lambda tmp: tmp.write_text(page, encoding="utf-8"))
    return path
