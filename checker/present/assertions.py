"""Assertion helpers for tests: ``assert_safe``, ``assert_fails``,
``assert_expected``.

Each runs ``check`` and, when the result is not what the test asserts,
raises ``AssertionError`` with what a CI log needs: the verdict, the
interleaving as a per-thread table, the replay command and, when graphs were
written, their paths.  On success they return the ``Result``.
"""

from __future__ import annotations

from typing import Any

from ..check.checking import check
from ..check.result import SAFE, VIOLATION, Result
from ..errors import UsageError
from ..program.scenario import EXPECTATIONS, Scenario
from .report import format_result


def failure_text(result: Result, headline: str) -> str:
    """What failed first, then the report -- without the CLI's "ok" /
    "UNEXPECTED" mark, which judges the scenario's *declared* expectation,
    not what this assertion asserts."""
    return f"{headline}\n{format_result(result, result.model, mark=False)}"


def assert_safe(scenario: Scenario, **settings: Any) -> Result:
    """Assert that no interleaving violates a property."""
    result = check(scenario, **settings)
    if result.verdict != SAFE:
        raise AssertionError(failure_text(result, f"scenario {scenario.name} is not safe ({result.verdict})"))
    return result


def assert_fails(scenario: Scenario, kind: str = VIOLATION, **settings: Any) -> Result:
    """Assert that some interleaving fails, with a failure of ``kind``
    ("violation" for any, or "assertion", "exception", "deadlock",
    "invariant")."""
    if kind not in EXPECTATIONS or kind == SAFE:
        raise UsageError(f"assert_fails kind must be one of {', '.join(e for e in EXPECTATIONS if e != SAFE)}")
    result = check(scenario, **settings)
    found = result.failure.kind if result.failure else None
    if result.verdict != VIOLATION or (kind != VIOLATION and found != kind):
        what = f"found {found}" if found else f"verdict {result.verdict}"
        raise AssertionError(failure_text(result, f"scenario {scenario.name} was expected to fail ({kind}), {what}"))
    return result


def assert_expected(scenario: Scenario, **settings: Any) -> Result:
    """Assert that the scenario meets the expectation it declares."""
    result = check(scenario, **settings)
    if not result.meets_expectation:
        raise AssertionError(
            failure_text(result, f"scenario {scenario.name} expected {result.expectation}, got {result.verdict}")
        )
    return result
