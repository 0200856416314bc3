"""The report pages an analyst opens: the Monte Carlo batch's one-page report, the committed comparison reports'
findings against their comparison.csv, and — where a Chromium is installed (CI installs Debian's) — the layout at a
1366 px laptop width, measured in the browser by ``scripts/check_report_layout.py``."""
from __future__ import annotations

import re
import shutil

import pytest

from scripts.check_report_layout import browser, check, findings_problem
from sim.montecarlo.batch import Batch
from sim.montecarlo.executor import make_executor
from sim.montecarlo.parameters import ParameterSource
from sim.montecarlo.report import write_outputs

from .conftest import ROOT

COMMITTED = [ROOT / "outputs" / f"comparison_{city}" / "report.html" for city in ("panzhihua", "anshan")]


@pytest.fixture(scope="module")
def mc_report(tmp_path_factory, scenarios):
    out = tmp_path_factory.mktemp("mc") / "batch"
    batch = Batch(scenarios["anshan"], runs=3, root_seed=5, scale=200, out_dir=out, params=ParameterSource("scenario"))
    with make_executor(1) as ex:
        assert batch.execute(ex, progress=False) == []
    _, card = write_outputs(batch)
    return out / "report.html", card


def test_the_mc_report_shows_the_scorecard_fan_charts_and_provenance(mc_report):
    page_path, card = mc_report
    page = page_path.read_text(encoding="utf-8")
    assert page.count('src="data:image/png;base64,') == 1 and "<script" not in page
    assert page.index('id="scorecard"') < page.index('id="fan-charts"') < page.index('id="provenance"')
    rows = re.findall(r"<tr><td class=\"name\">.*?</tr>", page.split('id="provenance"')[0])
    assert len(rows) == len(card)                                   # one row per plan target
    assert f"Of {len(card)} plan targets" in page
    manifest_hash = re.search(r'"scenario_hash": "(\w+)"', (page_path.parent / "manifest.json").read_text()).group(1)
    assert manifest_hash in page and "root seed" in page


@pytest.mark.parametrize("page", COMMITTED, ids=lambda p: p.parent.name)
def test_a_committed_comparison_opens_with_the_findings_of_its_table(page):
    """The report's findings are the ones computed from the comparison.csv beside it (neither is stale)."""
    sections = re.findall(r'<h2 id="([^"]+)"', page.read_text(encoding="utf-8"))
    assert findings_problem(page, {"sections": sections}) is None


def test_stale_findings_are_caught(tmp_path):
    page = COMMITTED[0]
    for name in ("report.html", "comparison.csv", "manifest.json"):
        shutil.copy(page.parent / name, tmp_path / name)
    text = (tmp_path / "comparison.csv").read_text(encoding="utf-8-sig").splitlines()
    header, first = text[0].split(","), text[1].split(",")
    first[header.index("p5")] = "1e9"                               # the first variant now moves sales area
    (tmp_path / "comparison.csv").write_text("\n".join([text[0], ",".join(first), *text[2:]]), encoding="utf-8")
    assert "differ" in findings_problem(tmp_path / "report.html", {"sections": ["findings"]})
    assert "first section" in findings_problem(tmp_path / "report.html", {"sections": ["how-to-read"]})


@pytest.mark.skipif(browser() is None, reason="no Chromium on this machine (CI installs Debian's chromium)")
def test_every_report_fits_a_1366_px_screen_in_a_real_browser(mc_report, tmp_path, capsys):
    assert check([*COMMITTED, mc_report[0]], width=1366, shots=tmp_path) == 0, capsys.readouterr().out
    assert len(list(tmp_path.glob("*.png"))) == 3
    # the check can fail: a page with a table wider than the window overflows
    wide = tmp_path / "wide" / "report.html"
    wide.parent.mkdir()
    wide.write_text('<html><body><table><tr><td style="min-width: 2000px">x</td></tr></table></body></html>')
    assert check([wide], width=1366, shots=None) == 1
