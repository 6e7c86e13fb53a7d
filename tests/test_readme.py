"""The README's from-scratch model runs and prints what the README shows."""

import re
import subprocess
import sys
from pathlib import Path

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def block(after_heading: str, lang: str, index: int = 0) -> str:
    section = README.split(after_heading, 1)[1]
    return re.findall(rf"```{lang}\n(.*?)```", section, re.S)[index]


def normalise(text: str) -> str:
    return re.sub(r"in \d+\.\d\ds", "in N.NNs", text).strip()


def test_model_from_scratch_output_matches_readme(tmp_path):
    (tmp_path / "bank.py").write_text(block("## A model from scratch", "python"))
    proc = subprocess.run([sys.executable, "-m", "checker", "bank.py"], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert normalise(proc.stdout) == normalise(block("## A model from scratch", "text"))


def test_model_from_scratch_is_ten_lines_of_code():
    code = [line for line in block("## A model from scratch", "python").splitlines() if line.strip()]
    assert len(code) <= 12  # imports included


def exit_codes(text: str) -> dict[str, str]:
    return dict(re.findall(r"^\| `(\d+)` \| (.+) \|$", text, re.M))


def test_one_exit_code_table_matches_the_cli():
    from checker.present import cli

    ci = (Path(__file__).resolve().parent.parent / "docs" / "ci.md").read_text()
    codes = {cli.EXIT_OK, cli.EXIT_UNEXPECTED, cli.EXIT_ERROR, cli.EXIT_INTERNAL, cli.EXIT_INTERRUPTED}
    assert {int(c) for c in exit_codes(README)} == {int(c) for c in exit_codes(ci)} == codes == {0, 1, 2, 3, 130}
    assert "Ctrl-C" in exit_codes(README)["130"] and "Ctrl-C" in exit_codes(ci)["130"]


def test_the_readme_replay_command_reproduces():
    command = block("## Command line", "bash").strip()
    assert command.startswith("python -m checker models/counter.py::unlocked ")
    proc = subprocess.run([sys.executable, *command.split()[1:], "--no-memory", "--graph", "none"],
                          capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent)
    assert proc.returncode == 0, proc.stderr
    assert "unlocked(times=2): VIOLATION: assertion failed in thread MainThread: final value 2, expected 4" in proc.stdout
