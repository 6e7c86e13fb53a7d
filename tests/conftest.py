"""Shared test fixtures: build scenarios from plain functions defined in tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker import check
from checker.program.scenario import make_scenario

#: tests/unmodified_models/ holds model files that tests/test_unmodified_models.py
#: compares with models/: the pytest plugin must not collect them as model files of their
#: own (a conftest.py there would shadow this module for ``from conftest import ...``)
collect_ignore = ["unmodified_models"]


def as_scenario(fn, *, expect="safe", timing="ideal"):
    """A Scenario from a function defined inside a test."""
    return make_scenario(fn, expect=expect, name=fn.__name__, timing=timing)


def explore(fn, **settings):
    """Check ``fn`` as a scenario: every outcome, brute force (the counts
    these tests pin are interleavings) unless told otherwise."""
    settings.setdefault("all_outcomes", True)
    settings.setdefault("strategy", "dfs")
    return check(as_scenario(fn), **settings)


ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _at_repository_root(monkeypatch):
    """Tests name model files relative to the repository root."""
    monkeypatch.chdir(ROOT)


@pytest.fixture
def run():
    return explore
