"""A drawn failing linearizability case, shrunk.

With ``@linearizability(..., samples=N)`` the failing case ``check`` reports
is the smallest *of the draw* (``<t1: add(7189); get()>``).  ``shrink``
makes it minimal the way hypothesis shrinks a failing test: it replays the
draw, and hypothesis's own shrinker proposes smaller cases -- fewer calls
(calls dropped, threads emptied), earlier operations, arguments closer to
their strategy's simplest values and within its bounds -- each checked with
the same exhaustive DPOR search as the original (``case=`` pins the
scenario to one case), and kept when it fails the same way
(``minimize.same_bug``).  The result is the check of the smallest failing
case found, ``<t1: add(1001); get()>``, with its counterexample minimized
as usual; it replays with ``--param case='...'``, and its failure message
ends by saying what it was shrunk from.

Budget: at most ``CANDIDATES`` candidates checked and ``SECONDS`` seconds;
within the candidate budget the result depends only on the seed.  A
candidate whose search does not finish in the time left counts as passing.
"""

from __future__ import annotations

import time
from dataclasses import replace

from ..explore.coverage import StopReason
from ..program.linearizability import Case
from ..program.scenario import Scenario
from .checking import check
from .minimize import same_bug
from .result import VIOLATION, Result

CANDIDATES = 200
SECONDS = 30.0


def shrinkable(scenario: Scenario, result: Result) -> bool:
    """A violation of a drawn-case scenario, not yet pinned to one case."""
    return ("shrink" in scenario.extra and result.verdict == VIOLATION and result.counterexample is not None
            and not result.params.get("case"))


def shrink(scenario: Scenario, result: Result, *, candidates: int = CANDIDATES, seconds: float = SECONDS) -> Result:
    """``result`` (a violation of ``scenario``, see ``shrinkable``) for the
    smallest failing case the budget reaches; ``result`` itself when none
    is smaller.  See the module docstring."""
    if not shrinkable(scenario, result):
        return result
    params = {k: v for k, v in result.params.items() if k != "case"}
    chosen = next(ev.result for ev in result.counterexample.trace.events if ev.operation.startswith("choose("))
    target = next(c for c in scenario.extra["cases"](params) if repr(c) == chosen)
    deadline = time.monotonic() + seconds
    tried = 0

    def fails(case: tuple) -> bool | None:
        nonlocal tried
        left = deadline - time.monotonic()
        if tried >= candidates or left <= 0:
            return None
        tried += 1
        r = check(scenario, params={**params, "case": repr(Case(case))}, timing=result.timing, strategy="dpor",
                  minimize=False, max_time=left)
        if r.stop is StopReason.MAX_TIME and r.verdict != VIOLATION:
            return None
        return r.verdict == VIOLATION and same_bug(r.failure, result.failure)

    smallest = scenario.extra["shrink"](params, target, fails)
    budget = f", the budget of {candidates} spent" if tried >= candidates else ""
    if repr(smallest) == chosen:
        return _noted(result, f"\n  (the smallest failing case of the draw; no smaller one fails: {tried} "
                              f"checked{budget})")
    shrunk = check(scenario, params={**params, "case": repr(smallest)}, timing=result.timing, strategy="dpor")
    if shrunk.verdict != VIOLATION or shrunk.counterexample is None:  # cannot happen: it failed before
        return result
    shrunk.wall_time += result.wall_time
    return _noted(shrunk, f"\n  (case shrunk from {chosen}, the smallest failing case of the draw: {tried} "
                          f"smaller cases checked{budget})")


def _noted(result: Result, note: str) -> Result:
    """``result`` with ``note`` ending its failure message."""
    failure = replace(result.failure, message=result.failure.message + note)
    return replace(result, failure=failure, counterexample=replace(result.counterexample, failure=failure))
