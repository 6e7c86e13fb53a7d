"""How big is an exhaustive search, while it runs: an online estimate of
the number of executions of a depth-first exploration tree.

The tree.  For DPOR (``dpor.py``) a node is a state on the DFS stack; its
children are the wakeup-tree branches explored from it, one after another;
a leaf is one run.  A run that is an execution (``Stats.executions``:
discarded and cut ones included, since they cost as much) weighs 1; a run
that is no execution (sleep-blocked) weighs 0.  The estimate is of the sum
of the leaves' weights: the executions the finished search will have run.

The estimator is Knuth's ("Estimating the efficiency of backtrack
programs", Math. Comp. 29, 1975), turned from random probes into the share
of the tree a depth-first search has covered, as in the online estimators
of Kilby, Slaney, Thiébaux and Walsh ("Estimating Search Tree Size", AAAI
2006): every node hands an equal share of its own to each of its children,
so the share covered so far is, summed over the nodes on the current path,
the node's share times its finished children over its children (finished,
current and pending), plus the share of the run that just ended; the
estimate is the executions run divided by that share.  A finished search
has no pending branch anywhere, so its estimate is the exact count
(``Estimate.exact``); ``Estimator.finish`` makes that explicit.

Bias, stated: equal shares assume a node's subtrees are alike, and they
are not (DPOR's first branches are usually the largest), and DPOR's tree is
not even static: a node's branches are discovered while its subtree is
explored (a race found in a later run inserts a new branch at an earlier
state), so the children counted are those known so far.  Early estimates
are therefore rough -- too high on the locked counter, too low on lastzero
-- and converge as the search proceeds (measured against the recursive
estimator of the same paper, this one is closer from about a quarter of
the search on: docs/exploration.md).  ``tests/test_estimate.py`` pins it on
models whose counts are known, and checks the arithmetic on a hand-built
tree.

In pieces (parallel DPOR, ``explore.parallel``): the covered share needs
only ``(finished, pending)`` for each node on the path (``Estimator.seen``),
so a piece of the search follows the path below its root and the
coordinator puts the nodes above it in front (``estimate_of``): on the same
path, the sequential estimator's arithmetic, to the last bit.
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


def estimate_of(leaves: int, path: tuple[tuple[int, int], ...]) -> Estimate:
    """The estimate after a run: ``leaves`` executions so far; ``path``:
    ``(finished, pending)`` children of each node on the path, root first
    (the deepest node's current child is the run that just ended)."""
    covered, share = 0.0, 1.0
    for finished, waiting in path:
        children = finished + 1 + waiting
        covered += share * finished / children
        share /= children
    covered += share  # the run that just ended: the deepest node's current child
    return Estimate(max(leaves / covered, float(leaves)), leaves)


class _Level:
    """One node on the DFS path: its finished children."""

    __slots__ = ("finished",)

    def __init__(self, finished: int = 0) -> None:
        self.finished = finished


class Estimator:
    """Follows a depth-first search through four calls and estimates its
    size (see the module docstring).  The search calls ``push`` when it
    enters a node (its first child begins), ``next_branch`` when it moves
    from one child of the deepest node to the next, ``pop`` when it leaves
    the deepest node, ``leaf`` when a run ends; ``estimate(pending)`` with
    the number of branches still known to be pending at each node on the
    path, root first.  ``finished``: the finished children of the nodes a
    resumed piece of a search starts with (``explore.units``)."""

    def __init__(self, finished: tuple[int, ...] = ()) -> None:
        self.levels = [_Level(f) for f in finished]
        self.leaves = 0
        self.last: Estimate | None = None
        self.seen: tuple[int, tuple[tuple[int, int], ...]] | None = None  # (leaves, path) of ``last``

    def push(self) -> None:
        self.levels.append(_Level())

    def next_branch(self, skipped: int = 0) -> None:
        """The deepest node's current child is done; ``skipped`` branches
        after it were dropped without a run (they count as finished
        children without leaves, so the mean reflects them)."""
        self.levels[-1].finished += 1 + skipped

    def pop(self) -> None:
        self.levels.pop()

    def leaf(self, weight: int = 1) -> None:
        self.leaves += weight

    def estimate(self, pending: list[int]) -> Estimate:
        """The estimate now (also kept as ``last``); ``pending[i]``: the
        branches of the i-th node on the path not yet begun."""
        if len(pending) != len(self.levels):
            raise ValueError(f"{len(pending)} pending counts for a path of {len(self.levels)} nodes")
        self.seen = (self.leaves, tuple((level.finished, waiting) for level, waiting in zip(self.levels, pending)))
        self.last = estimate_of(*self.seen)
        return self.last

    def finish(self) -> Estimate:
        """The search finished: the estimate is the exact count."""
        self.last = Estimate(float(self.leaves), self.leaves, exact=True)
        return self.last
