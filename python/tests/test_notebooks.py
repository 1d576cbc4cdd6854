"""The example notebooks (notebooks/): committed without outputs, and they run from top to bottom
with nbclient (each checks the papers' facts it shows with assert)."""

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
WIDGET = "application/vnd.jupyter.widget-view+json"


def test_there_is_a_notebook_per_paper():
    assert [n.name[:3] for n in NOTEBOOKS] == ["000", "001", "002", "003", "004"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_notebook_is_committed_without_outputs_and_runs(path):
    book = nbformat.read(path, as_version=4)
    code = [cell for cell in book.cells if cell.cell_type == "code"]
    assert all(not cell.outputs and cell.execution_count is None for cell in code)

    NotebookClient(book, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()

    assert all(cell.execution_count for cell in code)
    assert not [out for cell in code for out in cell.outputs if out.output_type == "error"]
    # Each notebook ends with a live figure: the widget view, and static HTML where widgets do not run.
    figures = [out for out in code[-1].outputs + code[-2].outputs if out.output_type == "execute_result" and WIDGET in out.data]
    assert figures and all("<eoslab-figure" in out.data["text/html"] for out in figures)
    # nbclient stores the widget state in the notebook, so exported HTML can show the figure.
    assert book.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
