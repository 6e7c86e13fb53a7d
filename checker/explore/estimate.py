"""How big is an exhaustive search, while it runs: an online estimate of
the number of executions of a depth-first exploration tree.

The tree.  For DPOR (``dpor.py``) a node is a state on the DFS stack; its
children are the wakeup-tree branches explored from it, one after another;
a leaf is one run.  A run that is an execution (``Stats.executions``:
discarded and cut ones included, since they cost as much) weighs 1; a run
that is no execution (sleep-blocked) weighs 0.  The estimate is of the sum
of the leaves' weights: the executions the finished search will have run.

The estimator is the *recursive estimator* of Kilby, Slaney, Thiébaux and
Walsh ("Estimating Search Tree Size", AAAI 2006), which extends Knuth's
random-probe estimator ("Estimating the efficiency of backtrack programs",
Math. Comp. 29, 1975) to a depth-first search in progress: the subtree of
each node on the current path is estimated as the leaves of its finished
children (an exact count), plus the estimate of its current child
(recursively), plus, for each branch still pending at that node, the mean
of those two over the children seen so far::

    E(i) = done(i) + E(i+1) + pending(i) * (done(i) + E(i+1)) / (finished(i) + 1)

with E(deepest + 1) the leaves of the run that just ended.  A finished search
has no pending branch anywhere, so its estimate is the exact count
(``Estimate.exact``); ``Estimator.finish`` makes that explicit.

Bias, stated: on a static tree Knuth's estimator is unbiased and this one is
not (it assumes a node's unexplored children are like its explored ones,
and DFS explores the last children of the deepest nodes first).  DPOR's
tree is not even static: a node's branches are discovered while its subtree
is explored (a race found in a later run inserts a new branch at an earlier
state), so ``pending`` counts only the branches known so far.  Both effects
make early estimates too *low* as a rule; branches later abandoned or
sleep-blocked make them a little high.  The estimate converges to the exact
count as the search proceeds; ``tests/test_estimate.py`` pins it on
models whose counts are known, and checks the arithmetic on a hand-built
tree.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Estimate:
    """The estimated size of a search: ``executions`` (the whole search's,
    by estimate), ``done`` (executions run so far), ``exact`` (the search
    finished, so ``executions == done``)."""

    executions: float
    done: int
    exact: bool = False

    @property
    def fraction(self) -> float:
        """The fraction of the search done, in [0, 1]: 1 when exact."""
        if self.exact or self.executions <= 0:
            return 1.0 if self.exact else 0.0
        return min(1.0, self.done / self.executions)

    def remaining_seconds(self, elapsed: float) -> float | None:
        """Seconds still to go at the rate so far (``elapsed`` seconds for
        ``done`` executions); None before the first execution."""
        if self.done <= 0:
            return None
        return max(0.0, self.executions - self.done) * elapsed / self.done


class _Level:
    """One node on the DFS path: leaves seen before it was entered, leaves
    seen before its current child began, its finished children."""

    __slots__ = ("entry", "child_start", "finished")

    def __init__(self, leaves: int):
        self.entry = leaves
        self.child_start = leaves
        self.finished = 0


class Estimator:
    """Follows a depth-first search through four calls and estimates its
    size (see the module docstring).  The search calls ``push`` when it
    enters a node (its first child begins), ``next_branch`` when it moves
    from one child of the deepest node to the next, ``pop`` when it leaves
    the deepest node, ``leaf`` when a run ends; ``estimate(pending)`` with
    the number of branches still known to be pending at each node on the
    path, root first."""

    def __init__(self) -> None:
        self.levels: list[_Level] = []
        self.leaves = 0
        self.last: Estimate | None = None

    def push(self) -> None:
        self.levels.append(_Level(self.leaves))

    def next_branch(self, skipped: int = 0) -> None:
        """The deepest node's current child is done; ``skipped`` branches
        after it were dropped without a run (they count as finished
        children without leaves, so the mean reflects them)."""
        level = self.levels[-1]
        level.finished += 1 + skipped
        level.child_start = self.leaves

    def pop(self) -> None:
        self.levels.pop()

    def leaf(self, weight: int = 1) -> None:
        self.leaves += weight

    def estimate(self, pending: list[int]) -> Estimate:
        """The estimate now (also kept as ``last``); ``pending[i]``: the
        branches of the i-th node on the path not yet begun."""
        if len(pending) != len(self.levels):
            raise ValueError(f"{len(pending)} pending counts for a path of {len(self.levels)} nodes")
        below = float(self.leaves - self.levels[-1].child_start) if self.levels else float(self.leaves)
        for level, waiting in zip(reversed(self.levels), reversed(pending)):
            done = level.child_start - level.entry
            seen = done + below
            below = seen + waiting * seen / (level.finished + 1)
        self.last = Estimate(max(below, float(self.leaves)), self.leaves)
        return self.last

    def finish(self) -> Estimate:
        """The search finished: the estimate is the exact count."""
        self.last = Estimate(float(self.leaves), self.leaves, exact=True)
        return self.last
