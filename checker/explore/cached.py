"""Depth-first search with state caching, for models with loops.

Stateless search re-runs a busy-wait loop (``while not flag.value: yield``)
forever; with state caching it stops a path as soon as it reaches a state it
has seen before (``Execution.state_key``: clock, every object's state, each
thread's position, locals and evaluation stack, output so far), because the
futures of equal states are the same (Holzmann, "The Model Checker SPIN",
1997: depth-first search with a visited set).  Every reachable state is
still expanded once, so every reachable outcome is found; exploration ends
because a model's reachable state space is finite.

Contract and soundness:

* A path is cut only at a *non-final* state whose key was already seen.  A
  state that ends the execution (finished, failed, deadlocked) is always
  reported, so no failure is hidden behind a key that does not mention it.
* The visited set is global: the first visit of a state explores all its
  successors (depth-first search explores a finite graph completely, also
  when a revisit closes a cycle back to a state still on the stack).
* The visited set holds ``runtime.state.compact`` digests of the keys
  (16 bytes each; two different states share one with probability about
  n^2 / 2^129 for n states, i.e. never in practice).
* When ``state_key`` returns None (a value it cannot canonicalise), the
  state is treated as new; such a model may then run into ``max_steps``,
  and the result says so (``Stats.complete`` is False).
* Not combined with DPOR: DPOR with a visited set is unsound without extra
  machinery (a pruned state's wakeup obligations are lost; Yang, Chen,
  Gopalakrishnan, Kirby, "Efficient stateful dynamic partial order
  reduction", SPIN 2008).  Choose ``dpor`` for loop-free models, ``cached``
  for models with loops.

``Stats.executions`` counts paths that ended the execution (each reported
to ``visit``); ``Stats.states_visited`` the distinct states reached;
``Stats.pruned`` the paths cut at a visited state.
"""

from __future__ import annotations

from ..runtime.state import compact
from .dfs import DepthFirst
from .coverage import Coverage, Scope, Unit
from .strategy import Stats


class CachedDepthFirst(DepthFirst):
    """``DepthFirst`` that cuts a path at a state it has already expanded."""

    name = "cached"
    summary = "state caching, every reachable state once (models that loop)"

    def coverage(self, stats: Stats) -> Coverage:
        """Distinct reachable states."""
        return Coverage(Scope.ALL, Unit.STATE, stats.states_visited or 0, stats.complete)

    def _new_stats(self) -> Stats:
        self.seen: set = set()
        return Stats(states_visited=0)

    def _expand(self, ex, stats: Stats) -> bool:
        """Record the current state; False when it was seen before."""
        key = ex.state_key()
        if key is None:
            stats.unkeyable += 1
            return True
        key = compact(key)  # 16 bytes per visited state instead of the whole key
        if key in self.seen:
            return False
        self.seen.add(key)
        stats.states_visited = len(self.seen)
        return True
