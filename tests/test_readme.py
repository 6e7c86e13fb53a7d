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
