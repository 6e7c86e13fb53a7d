"""docs/notebook.ipynb runs (nbclient) and its stored outputs say what a
fresh run says: the verdicts of unlocked and locked, the counterexample
drawn as SVG, the replay command, the outcomes."""

import copy
import json
import re
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

DOCS = Path(__file__).resolve().parent.parent / "docs"
NOTEBOOK = DOCS / "notebook.ipynb"

UNLOCKED = ("ok  unlocked(times=1): VIOLATION: assertion failed in thread MainThread: final value 1, expected 2  "
            "[expected violation]")
LOCKED = "ok  locked(times=1): SAFE over all 2 classes of interleavings  [expected safe]"
REPLAY = "python -m checker models/counter.py::unlocked --param times=1 --replay v1:0,1,2x2,1,0x2"


def shown(nb) -> list[list[tuple]]:
    """What each code cell shows, without timings: (kind, content) items."""
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        items = []
        for out in cell.outputs:
            assert out.output_type != "error", "".join(out.get("traceback", []))
            if out.output_type == "stream":
                items.append(("stream", out.name, out.text))
                continue
            data = out.get("data", {})
            if "text/html" in data:
                page = data["text/html"]
                items.append(("html", re.findall(r"<b style=[^>]*>(.*?)</b>", page), page.count("<svg"),
                              re.findall(r"<code>(python -m checker [^<]*)</code>", page)))
            elif "image/svg+xml" in data:
                svg = data["image/svg+xml"]
                items.append(("svg", "<svg" in svg, "counter.py: unlocked(times=1)" in svg))
            else:
                items.append(("text", data["text/plain"]))
        cells.append(items)
    return cells


def test_notebook_runs_and_its_stored_outputs_are_true(tmp_path, monkeypatch):
    # a kernel on this very interpreter, whatever kernels the machine has
    spec = tmp_path / "kernels" / "checker-python"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "checker test", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    stored = nbformat.read(NOTEBOOK, as_version=4)
    fresh = copy.deepcopy(stored)
    NotebookClient(fresh, timeout=300, kernel_name="checker-python", resources={"metadata": {"path": str(DOCS)}}
                   ).execute()
    assert shown(fresh) == [
        [("text", "['unlocked', 'locked']")],
        [("html", [UNLOCKED], 1, [REPLAY])],
        [("stream", "stdout", "violation\nfinal value 1, expected 2\nv1:0,1,2x2,1,0x2\n2 executions\n")],
        [("svg", True, True)],
        [("html", [LOCKED], 0, [])],
        [("stream", "stdout", "  8 executions end with counter(value=2)\n  4 executions end with counter(value=3)\n"
                              "  2 executions end with counter(value=4)\n")],
    ]
    assert shown(stored) == shown(fresh)  # the outputs GitHub shows are the ones a run gives
    assert nbformat.validate(stored) is None
