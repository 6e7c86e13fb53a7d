"""Code the checker cannot schedule (docs/unmodified.md, section 9): real
network I/O, other processes, signals and the terminal are refused with the
line that calls them and a hint, never run inside a step."""

from __future__ import annotations

import textwrap

import pytest

from checker import check, load_model
from checker.errors import ModelError

SOURCE = """
import os
import socket
import subprocess
import threading
from checker import scenario

def fetch():
    s = socket.socket()
    s.connect(("127.0.0.1", 9))

@scenario
def network():
    t = threading.Thread(target=fetch)
    t.start(); t.join()

@scenario
def process_as_target():
    t = threading.Thread(target=subprocess.run, args=(["true"],))
    t.start(); t.join()

@scenario
def shell():
    os.system("true")

@scenario
def terminal():
    input("name? ")
"""

REFUSED = {
    "network": ("socket.socket (network I/O)", "net.py:9"),
    "process_as_target": ("subprocess.run (another process)", "the target of a thread (Thread(target=...))"),
    "shell": ("os.system (another process)", "net.py:24"),
    "terminal": ("input() reads the terminal", "net.py:28"),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_calls_outside_the_process_are_refused_by_line(tmp_path, name):
    path = tmp_path / "net.py"
    path.write_text(textwrap.dedent(SOURCE))
    what, where = REFUSED[name]
    with pytest.raises(ModelError) as raised:
        check(load_model(path).scenario(name))
    text = str(raised.value)
    assert what in text and "which the checker cannot schedule" in text and where in text, text
    assert "replace it with a fake inside the scenario" in text
