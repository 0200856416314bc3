"""Check report pages in a real headless browser (Debian's ``chromium``): at a laptop's 1366 px width, does the
page need horizontal scrolling? A comparison report must also open with its findings, and those must be the
findings computed from the ``comparison.csv`` beside it. Saves a screenshot of each page's top for a look.

    python scripts/check_report_layout.py outputs/comparison_*/report.html outputs/<mc-folder>/report.html \\
        [--width 1366] [--screenshots DIR]

Exit status 1 when a page overflows or a comparison's findings are missing or stale; 2 when no browser is found
(install it with ``apt-get install chromium``, or name one in ``$CHROMIUM``).
"""
from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# the flags a root user on a machine without network needs for a quiet headless Chromium
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
         "--virtual-time-budget=15000"]
TIMEOUT_SECONDS = 120
SCREENSHOT_HEIGHT = 3000   # px of the page's top in the screenshot
MEASURE = """
<script>
window.addEventListener("load", () => {
  const width = document.documentElement.clientWidth;
  const over = [];
  for (const e of document.querySelectorAll("body *")) {
    const r = e.getBoundingClientRect();
    if (r.right > width + 1) {
      over.push(`${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""} ends at ${Math.round(r.right)} px`);
    }
  }
  const sections = [...document.querySelectorAll("h2")].map(h => h.id);
  const result = {width: width, scroll_width: document.documentElement.scrollWidth,
                  height: document.documentElement.scrollHeight, overflowing: over.slice(0, 8), sections: sections};
  const out = document.createElement("pre");
  out.id = "layout-check";
  out.textContent = JSON.stringify(result);
  document.body.appendChild(out);
});
</script>
"""


def browser() -> str | None:
    named = os.environ.get("CHROMIUM")
    if named:
        return named
    return next((shutil.which(b) for b in BROWSERS if shutil.which(b)), None)


def _chromium(exe: str, args: list[str], profile: Path) -> str:
    done = subprocess.run([exe, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True,
                          timeout=TIMEOUT_SECONDS, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{exe} failed ({done.returncode}): {done.stderr[-500:]}")
    return done.stdout


def measure(exe: str, page: Path, width: int, work: Path) -> dict:
    """The page's layout at ``width`` px as the browser computed it."""
    probe = work / f"probe-{page.parent.name}.html"
    text = page.read_text(encoding="utf-8")
    probe.write_text(text.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    dom = _chromium(exe, [f"--window-size={width},900", "--dump-dom", probe.as_uri()], work / "profile")
    found = re.search(r'<pre id="layout-check">(.*?)</pre>', dom, re.S)
    if not found:
        raise RuntimeError(f"{page}: the browser ran no measuring script (is JavaScript off?)")
    return json.loads(html.unescape(found.group(1)))


def screenshot(exe: str, page: Path, width: int, height: int, path: Path, work: Path) -> None:
    _chromium(exe, [f"--window-size={width},{height}", f"--screenshot={path}", page.resolve().as_uri()],
              work / "profile")


def findings_problem(page: Path, layout: dict) -> str | None:
    """For a comparison report: None when it opens with the findings computed from its comparison.csv."""
    table_path = page.parent / "comparison.csv"
    manifest_path = page.parent / "manifest.json"
    if not table_path.exists() or not manifest_path.exists():
        return None
    import pandas as pd

    from sim.comparison.html_report import findings

    if not layout["sections"] or layout["sections"][0] != "findings":
        return f"the first section is {layout['sections'][:1]}, not the findings"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if "city" not in manifest:
        return "manifest.json names no city: the comparison was made by an older version; rerun it"
    table = pd.read_csv(table_path, dtype={"period": str, "target": str, "scope": str}, keep_default_na=False,
                        na_values={c: [""] for c in ("baseline", "variant_value", "difference", "p5", "p95",
                                                      "relative")})
    expected = findings(table, manifest["variants"], manifest["city"])
    if expected not in page.read_text(encoding="utf-8"):
        return "the findings differ from those computed from comparison.csv (the page or the table is stale)"
    return None


def check(pages: list[Path], width: int, shots: Path | None) -> int:
    exe = browser()
    if exe is None:
        print("no Chromium found: apt-get install chromium, or set $CHROMIUM", file=sys.stderr)
        return 2
    failed = 0
    with tempfile.TemporaryDirectory(prefix="layout-") as tmp:
        work = Path(tmp)
        for page in pages:
            layout = measure(exe, page, width, work)
            problems = []
            if layout["scroll_width"] > layout["width"]:
                problems.append(f"{layout['scroll_width']} px wide at a {layout['width']} px window: "
                                + "; ".join(layout["overflowing"]))
            stale = findings_problem(page, layout)
            if stale:
                problems.append(stale)
            if shots is not None:
                shots.mkdir(parents=True, exist_ok=True)
                shot = shots / f"{page.parent.name}-{page.stem}.png"
                screenshot(exe, page, width, min(layout["height"], SCREENSHOT_HEIGHT), shot, work)
            status = "FAIL" if problems else "ok"
            print(f"{status}  {page}: {layout['scroll_width']} px of {layout['width']}, {layout['height']} px long, "
                  f"{len(layout['sections'])} sections" + "".join(f"\n      {p}" for p in problems))
            failed += bool(problems)
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pages", nargs="+", type=Path, help="report.html files to check")
    parser.add_argument("--width", type=int, default=1366, help="window width in px (default 1366, a laptop)")
    parser.add_argument("--screenshots", type=Path, default=None,
                        help="folder for a PNG of each page's top (default: none)")
    args = parser.parse_args(argv)
    missing = [p for p in args.pages if not p.is_file()]
    if missing:
        parser.error(f"no such page: {', '.join(map(str, missing))}")
    return check(args.pages, args.width, args.screenshots)


if __name__ == "__main__":
    sys.exit(main())
