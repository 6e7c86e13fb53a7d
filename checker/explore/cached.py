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

from .dfs import _Node
from .strategy import Limits, Space, Stats, Strategy, Visit, check_replay


class CachedDepthFirst(Strategy):
    name = "cached"

    def explore(self, space: Space, visit: Visit, limits: Limits) -> Stats:
        stats = Stats(states_visited=0)
        seen: set = set()
        stack: list[_Node] = []
        while True:
            ex = space.new()
            schedule = [n.choice for n in stack]
            for depth, node in enumerate(stack):
                got = ex.available()
                if got != node.choices:
                    check_replay(schedule, depth, node.choices, got, scenario=ex.scenario.name)
                event = ex.step(node.choice)
                if node.signature is None:
                    node.signature = event.signature()
                elif event.signature() != node.signature:
                    check_replay(schedule, depth, node.choices, got, node.signature, event, ex.scenario.name)
            stats.transitions += len(stack)
            pruned = not ex.done and not self._new_state(ex, seen, stats)
            while not pruned and not ex.done and len(stack) < limits.max_steps:
                node = _Node(ex.available())
                stack.append(node)
                node.signature = ex.step(node.choice).signature()
                stats.transitions += 1
                pruned = not ex.done and not self._new_state(ex, seen, stats)
            if pruned:
                stats.pruned += 1
            else:
                stats.executions += 1
                if not ex.done:
                    stats.cut_executions += 1
                    stats.complete = False
                    stats.limit_hit = f"max_steps={limits.max_steps}"
                if not visit(ex, tuple(n.choice for n in stack)):
                    stats.stopped_early = True
                    return stats
            while stack and stack[-1].index + 1 >= len(stack[-1].choices):
                stack.pop()
            if not stack:
                return stats
            if limits.max_executions is not None and stats.executions >= limits.max_executions:
                stats.complete = False
                stats.limit_hit = f"max_executions={limits.max_executions}"
                return stats
            stack[-1].index += 1
            stack[-1].signature = None

    @staticmethod
    def _new_state(ex, seen: set, stats: Stats) -> bool:
        """Record the current state; False when it was seen before."""
        key = ex.state_key()
        if key is None:
            stats.unkeyable += 1
            return True
        if key in seen:
            return False
        seen.add(key)
        stats.states_visited = len(seen)
        return True
