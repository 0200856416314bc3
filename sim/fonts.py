"""A CJK font for charts and reports: charts drawn with it, and the needed glyphs embedded in HTML reports.

The font is found on the machine (``make install`` puts Debian's fonts-wqy-microhei there when none is
present), or named by the environment variable ``HOUSING_CJK_FONT`` (a .ttf/.otf/.ttc path). Without one the
report stops with advice, rather than drawing boxes in place of Chinese characters.
"""
from __future__ import annotations

import base64
import io
import os
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from matplotlib import font_manager
from matplotlib import pyplot as plt

ENV_VAR = "HOUSING_CJK_FONT"
PROBE = "去化周期商品住房人均面积预售资金监管租赁补贴"
# file names of common CJK fonts, tried before scanning every font on the machine
KNOWN = ("wqy-microhei", "wqy-zenhei", "NotoSansCJK", "NotoSerifCJK", "NotoSansSC", "SourceHanSans",
         "DroidSansFallback", "msyh", "simhei", "simsun", "PingFang", "Hiragino Sans GB", "uming", "ukai")
INSTALL_ADVICE = ("no CJK font found for the report's Chinese names; install one (Debian: apt-get install "
                  f"fonts-wqy-microhei) or set {ENV_VAR} to a .ttf/.otf/.ttc file")


class MissingFontError(RuntimeError):
    """No font on this machine covers the Chinese text of the report."""


def _cmap(path: Path) -> set[int]:
    try:
        with TTFont(path, fontNumber=0, lazy=True) as font:
            return set(font.getBestCmap() or {})
    except Exception:  # noqa: BLE001 - an unreadable font file is simply not a candidate
        return set()


def missing_glyphs(text: str, path: Path) -> set[str]:
    """Characters of ``text`` (other than whitespace) that the font at ``path`` cannot draw."""
    cmap = _cmap(path)
    return {c for c in set(text) if not c.isspace() and ord(c) not in cmap}


@cache
def cjk_font_path() -> Path:
    """The CJK font file used by the report (``HOUSING_CJK_FONT`` first, then known names, then any font)."""
    named = os.environ.get(ENV_VAR)
    if named:
        path = Path(named)
        if not path.is_file() or missing_glyphs(PROBE, path):
            raise MissingFontError(f"{ENV_VAR}={named} is not a font file with Chinese glyphs")
        return path
    system = sorted(Path(p) for p in font_manager.findSystemFonts())
    known = [p for p in system if any(k.lower() in p.name.lower() for k in KNOWN)]
    for path in known + [p for p in system if p not in known]:
        if not missing_glyphs(PROBE, path):
            return path
    raise MissingFontError(INSTALL_ADVICE)


@cache
def _chart_font_name() -> str:
    """Registers the CJK font with matplotlib (once) and returns its family name."""
    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


@contextmanager
def cjk_charts_if_available():
    """``cjk_charts`` where a CJK font is found, yielding True; otherwise the default fonts, yielding False (a
    chart then leaves out its Chinese text instead of failing)."""
    try:
        _chart_font_name()
    except MissingFontError:
        yield False
        return
    with cjk_charts():
        yield True


@contextmanager
def cjk_charts():
    """Matplotlib settings under which Chinese text is drawn in the CJK font (Latin stays in DejaVu Sans)."""
    name = _chart_font_name()
    with plt.rc_context({"font.family": ["DejaVu Sans", name], "axes.unicode_minus": False}):
        yield name


def font_face_css(text: str, family: str = "ReportCJK") -> str:
    """An @font-face rule embedding the CJK font cut down to the glyphs of ``text`` (base64 TrueType)."""
    font = TTFont(cjk_font_path(), fontNumber=0)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["FFTM"]   # FontForge's timestamp table, which the subsetter does not know
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(set(text))))
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (f'@font-face {{ font-family: "{family}"; '
            f'src: url(data:font/ttf;base64,{data}) format("truetype"); }}')
