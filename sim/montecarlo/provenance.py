"""What made a result: the resolved scenario's hash, the code (git commit and a digest of the ``sim`` package's
source), and the versions of the libraries it ran on."""
from __future__ import annotations

import hashlib
import json
import subprocess
from functools import cache
from importlib import metadata
from pathlib import Path

from ..config.loader import Scenario

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = Path(__file__).resolve().parents[1]
PACKAGES = ("numpy", "pandas", "scipy", "mesa", "matplotlib", "pyarrow", "dask", "distributed", "tqdm")


def scenario_hash(scenario: Scenario) -> str:
    text = json.dumps(scenario.resolved(), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Modules that only read finished runs (tables, charts, reports), only drive batches, or compute this digest:
# editing them changes no run's output, so they are left out of the code digest and a finished batch can be
# reported again after a change to how it is reported. Every other module of ``sim`` is in the digest, so a new
# module is in by default.
REPORTING_ONLY = ("api.py", "comparison/", "fonts.py", "formats.py", "html_page.py", "memo.py",
                  "montecarlo/fanchart.py", "montecarlo/html_report.py", "montecarlo/provenance.py",
                  "montecarlo/report.py", "montecarlo/run_matrix.py", "montecarlo/scorecard.py",
                  "montecarlo/summary.py")


def package_digest(package: Path) -> str:
    """SHA-256 (16 hex digits) of the path and bytes of every ``*.py`` file under ``package`` that can change a
    run's output (all but ``REPORTING_ONLY``)."""
    h = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        name = path.relative_to(package).as_posix()
        if name.startswith(REPORTING_ONLY):
            continue
        h.update(name.encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()[:16]


@cache
def code_digest() -> str:
    """The digest of the model's code (``package_digest`` of ``sim``): changes whenever code that can change a
    run's output does, committed or not, and never for a change elsewhere (docs, tests, reports)."""
    return package_digest(PACKAGE)


def repo_relative(path: Path) -> str:
    """``path`` relative to the repository when inside it (so records do not name one machine's checkout)."""
    path = Path(path).resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def git_commit() -> str | None:
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True)
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return head.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")


def versions() -> dict[str, str]:
    out = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out
