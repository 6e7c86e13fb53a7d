"""Counterexamples made as small as a short search allows: fewest
preemptions first, then shortest.

Whatever strategy found a failing execution, the schedule it reports is
whichever it met first: with DPOR or random search, often one with needless
context switches that make the trace hard to read.  ``minimize`` runs
iterative preemption bounding (``explore.bounded``) for the bounds below
and at the found schedule's preemption count, looking for *the same bug*
(``same_bug``: the same failure kind at the same model line, or any
deadlock for a deadlock), and keeps the first bound that has it; every ``choose`` makes the choice
the found schedule made (the same data, another interleaving: a
linearizability case found first stays the case reported); within
that bound it goes on for a shorter schedule until the bound's pass ends.
The search is budgeted (``EXECUTIONS``, ``SECONDS``, and never past the
check's own ``max_time``); when the budget ends first, the best schedule
found so far is kept -- the original one at worst.  A counterexample longer
than ``LONGEST`` steps (a long bounded loop) is kept as found: the budget
is checked between executions, and one execution of it would take most of
the budget or more.  The result is always a
schedule that was run and failed, so it replays like any other.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace

from ..explore.bounded import PreemptionBounded, preemptions
from ..explore.dfs import Node
from ..explore.coverage import StopReason
from ..explore.strategy import Limits, Space
from ..runtime.execution import Execution
from ..runtime.schedule import Choice
from ..runtime.trace import Failure
from .result import Counterexample

EXECUTIONS = 2000  # at most this many executions
SECONDS = 5.0  # and at most this long
LONGEST = 20_000  # steps: longer counterexamples are not searched for smaller ones


def same_bug(a: Failure, b: Failure) -> bool:
    """Whether two failures are the same bug: deadlocks over the same
    wait-for cycle (or, without a cycle, of the same blocked threads), or
    the same kind, exception type and model line."""
    if a.kind == "deadlock" or b.kind == "deadlock":
        if a.kind != b.kind:
            return False
        if a.cycle or b.cycle:
            return {r for _, r in a.cycle} == {r for _, r in b.cycle}
        return {t for t, _ in a.waits} == {t for t, _ in b.waits}
    return (a.kind, a.exception, a.where) == (b.kind, b.exception, b.where)


def _data(enabled: Sequence[Choice], choice: Choice) -> bool:
    """Whether ``choice`` picks among a thread's alternatives (a ``choose``)."""
    return sum(1 for c in enabled if c[0] == choice[0]) > 1


def profile(space: Space, schedule: tuple[Choice, ...]) -> tuple[int, dict[int, list[int]]]:
    """Run ``schedule``: its preemptions, and each thread's ``choose``
    alternatives in order."""
    ex = space.new()
    steps = []
    chosen: dict[int, list[int]] = {}
    for choice in schedule:
        enabled = ex.available()
        steps.append((enabled, choice))
        if _data(enabled, choice):
            chosen.setdefault(choice[0], []).append(choice[1])
        ex.step(choice)
    return preemptions(steps), chosen


class _SameData(PreemptionBounded):
    """Bounded search that makes every ``choose`` as the original run did
    (the same data, only another interleaving)."""

    def __init__(self, preemptions: int, chosen: dict[int, list[int]]):
        super().__init__(preemptions)
        self.chosen = chosen

    def _node(self, stack: list[Node], enabled: tuple) -> Node:
        node = super()._node(stack, enabled)
        keep = []
        for c in node.choices:
            if _data(enabled, c):
                made = sum(1 for n in stack if n.choice[0] == c[0] and _data(n.enabled, n.choice))
                wanted = self.chosen.get(c[0], [])
                if made < len(wanted) and (c[0], wanted[made]) in enabled and c[1] != wanted[made]:
                    continue
            keep.append(c)
        node.choices = tuple(keep)
        return node


def minimize(space: Space, cex: Counterexample, limits: Limits) -> Counterexample:
    """The smallest counterexample of the same bug, on the same data, that
    the budget finds (see the module docstring), with ``preemptions`` set."""
    if len(cex.schedule) > LONGEST:
        return cex
    found, chosen = profile(space, cex.schedule)
    best = replace(cex, preemptions=found)
    if found == 0 and len(cex.schedule) <= 1:
        return best
    deadline = time.monotonic() + SECONDS
    if limits.deadline is not None:
        deadline = min(deadline, limits.deadline)
    search = _SameData(found, chosen)
    best_key = (found, len(cex.schedule))

    def visit(ex: Execution, schedule: tuple[Choice, ...]) -> StopReason | None:
        nonlocal best, best_key
        if best_key[0] < search.bound:
            return StopReason.FINISHED  # the bound with a smaller counterexample is done
        if ex.failure is not None and same_bug(ex.failure, cex.failure):
            key = (search.bound, len(schedule))
            if key < best_key:
                best, best_key = Counterexample(schedule, ex.trace, ex.failure, search.bound), key
        return None

    search.explore(space, visit, Limits(EXECUTIONS, limits.max_steps, None, deadline))
    return best
