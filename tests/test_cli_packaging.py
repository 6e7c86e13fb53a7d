"""Packaging (issue 11, point 11): the license is an SPDX expression (the
table form makes `pip install .` warn), with a setuptools that reads it;
rich (the progress line) is a dependency."""

import tomllib
from pathlib import Path

PYPROJECT = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())


def test_license_is_an_spdx_string_and_setuptools_understands_it():
    assert PYPROJECT["project"]["license"] == "MIT"
    assert "setuptools>=77" in PYPROJECT["build-system"]["requires"]


def test_the_progress_line_library_is_a_dependency():
    assert any(dep.startswith("rich") for dep in PYPROJECT["project"]["dependencies"])
