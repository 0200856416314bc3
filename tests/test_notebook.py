"""The starter notebook (examples/starter.ipynb) runs from top to bottom, so it never rots."""
from __future__ import annotations

import nbformat
from nbclient import NotebookClient

from .conftest import ROOT


def test_starter_notebook_runs(tmp_path):
    notebook = nbformat.read(ROOT / "examples" / "starter.ipynb", as_version=4)
    NotebookClient(notebook, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
                   ).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs)          # the fan chart
    assert (tmp_path / "outputs" / "starter-compare" / "report.html").exists()
