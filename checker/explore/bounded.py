"""Iterative preemption bounding (Musuvathi & Qadeer, "Iterative Context
Bounding for Systematic Testing of Multithreaded Programs", PLDI 2007).

A *preemption* is a step of another thread (or a clock tick) taken while
the thread that ran the previous step could still have run; a switch after
that thread blocked or finished is free, and so are the first step and the
step after a tick.  Most concurrency bugs need very few preemptions, and the
number of schedules with at most ``b`` of them grows polynomially with the
length of the execution, not exponentially.

``PreemptionBounded`` (``--strategy bounded [--preemptions N]``) runs a
depth-first pass for the bound 0, then 1, 2, ...: pass ``b`` prunes every
choice that would exceed ``b`` preemptions and hands to the visitor only the
executions with exactly ``b`` (those with fewer were handed over by an
earlier pass; re-running them is the price of statelessness).  So the first
counterexample found has the fewest preemptions any counterexample has.
The passes stop after ``N`` when it is given, or as soon as a pass prunes
nothing: that pass covered every interleaving, and the coverage is then
``Scope.ALL`` -- a proof, as for brute force.  Otherwise the coverage is
``Scope.BOUNDED`` with the largest bound whose pass finished.

Bounding is done on plain depth-first search, not on DPOR: pruning by a
preemption bound breaks the argument that makes DPOR's reduction sound
(a reversal may need more preemptions than the race it reverses), and the
conservative additions that restore it (Coons, Musuvathi, McKinley,
"Bounded Partial-Order Reduction", OOPSLA 2013) are not implemented.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..runtime.schedule import TICK, Choice
from .coverage import Coverage, Scope, Unit
from .dfs import DepthFirst, Node
from .strategy import Limits, Option, Space, Stats, Visit

PREEMPTIONS = Option("preemptions", int, None,
                     "bounded: explore up to this many preemptions (default: 0, 1, 2, ... until complete)")


def is_preemption(previous: Choice | None, enabled: Sequence[Choice], choice: Choice) -> bool:
    """Whether taking ``choice`` after ``previous`` preempts: the previous
    step's thread could still run and ``choice`` is not one of its."""
    if previous is None or previous == TICK or choice[0] == previous[0]:
        return False
    return any(c[0] == previous[0] for c in enabled)


def preemptions(steps: Sequence[tuple[Sequence[Choice], Choice]]) -> int:
    """The preemptions of a schedule given as ``(enabled, choice)`` per step."""
    count, previous = 0, None
    for enabled, choice in steps:
        count += is_preemption(previous, enabled, choice)
        previous = choice
    return count


class PreemptionBounded(DepthFirst):
    """See the module docstring."""

    name = "bounded"
    keeps_counterexample = True
    summary = "iterative preemption bounding, fewest preemptions first (--preemptions)"
    options = (PREEMPTIONS,)

    def __init__(self, preemptions: int | None = None):
        if preemptions is not None and (isinstance(preemptions, bool) or not isinstance(preemptions, int)
                                        or preemptions < 0):
            raise ValueError(f"preemptions must be an integer >= 0, got {preemptions!r}")
        self.preemptions = preemptions
        self.bound = 0  # the pass running now
        self.covered: int | None = None  # the largest bound whose pass finished
        self.everything = False  # a finished pass pruned nothing
        self._cut = False

    def explore(self, space: Space, visit: Visit, limits: Limits) -> Stats:
        budget = self.start(visit, limits, self._new_stats())
        self.bound, self.covered, self.everything = 0, None, False
        while True:
            self._cut = False
            if not self._search(space, budget):
                return budget.stats
            self.covered = self.bound
            if not self._cut:
                self.everything = True
                return budget.stats
            if self.preemptions is not None and self.bound >= self.preemptions:
                return budget.stats
            self.bound += 1

    def _node(self, stack: list[Node], enabled: tuple) -> Node:
        """Non-preempting choices first; preempting ones only while the
        bound allows one more."""
        used = _count(stack)
        previous = stack[-1].choice if stack else None
        same = () if previous is None or previous == TICK else tuple(c for c in enabled if c[0] == previous[0])
        others = tuple(c for c in enabled if c not in same)
        if not same:
            options = enabled  # first step, after a tick, or the thread blocked or finished: switching is free
        elif others and used >= self.bound:
            self._cut = True
            options = same
        else:
            options = same + others
        return Node(enabled, options, before=used)

    def _reported(self, stack: list[Node]) -> bool:
        return _count(stack) == self.bound

    def coverage(self, stats: Stats) -> Coverage:
        if self.everything:
            return Coverage(Scope.ALL, Unit.INTERLEAVING, stats.kept, stats.complete)
        finished = stats.complete and self.covered is not None
        return Coverage(Scope.BOUNDED, Unit.INTERLEAVING, stats.kept, finished, bound=self.covered)


def _count(stack: list[Node]) -> int:
    """The preemptions of the path ``stack`` spells."""
    if not stack:
        return 0
    last = stack[-1]
    previous = stack[-2].choice if len(stack) > 1 else None
    return last.before + is_preemption(previous, last.enabled, last.choice)
