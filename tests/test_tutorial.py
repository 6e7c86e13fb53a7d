"""docs/tutorial.md stays true: every command it shows prints what it shows
(timings aside), and its Python example runs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGE = (ROOT / "docs" / "tutorial.md").read_text()
BLOCKS = re.findall(r"```console\n\$ (.*?)\n(.*?)```", PAGE, re.S)


def normalise(text: str) -> str:
    return re.sub(r"in \d+\.\d\ds", "in N.NNs", text).strip()


def test_the_page_shows_every_cell_of_the_notebook():
    assert len(BLOCKS) == 8
    for printed in ("t is waiting for event.", "timeout finished", "event value is False",
                    "other thread set the event", "event value is True", "release unlocked lock"):
        assert printed in PAGE


@pytest.mark.parametrize("command, shown", BLOCKS, ids=[c.split()[3] for c, _ in BLOCKS])
def test_each_command_prints_what_the_page_shows(command, shown):
    args = command.split()
    assert args[:3] == ["python", "-m", "checker"]
    out = subprocess.run([sys.executable, *args[1:], "--no-memory"], capture_output=True, text=True, cwd=ROOT,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    assert normalise(out.stdout) == normalise(shown)


def test_the_python_example_runs(tmp_path, monkeypatch):
    code = re.findall(r"```python\n(from checker import check, load_model\n.*?)```", PAGE, re.S)[0]
    monkeypatch.chdir(ROOT)
    code = code.replace('"lost-update.svg"', repr(str(tmp_path / "lost-update.svg")))
    namespace: dict = {}
    exec(code, namespace)
    assert namespace["result"].verdict == "violation"
    assert (tmp_path / "lost-update.svg").exists() or (tmp_path / "lost-update.dot").exists()
