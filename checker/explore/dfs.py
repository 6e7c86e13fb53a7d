"""Brute-force depth-first search over every schedule (stateless, by replay).

Each execution restarts the scenario from scratch, replays the prefix that
leads to the next unexplored branch, then extends it with the first
available choice at every new step.  Because Python generators cannot be
copied, replay is how the explorer "returns" to an earlier state (as in
CHESS, Musuvathi et al., OSDI 2008).  Every replayed step is checked against
the run it was recorded from, so a nondeterministic model is reported
instead of silently explored wrongly.

Explores every interleaving: the reference the reductions are checked
against.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..runtime.trace import TraceEvent
from .strategy import Budget, Limits, Space, Stats, Strategy, Visit, check_replay


@dataclass
class Node:
    enabled: tuple  # what the execution offered here (a replay must offer the same)
    choices: tuple  # what the search takes from here: ``enabled``, or the subset a bound allows
    index: int = 0
    before: int = 0  # preemptions before this step (kept by the bounded search)
    signature: tuple | None = None  # the step's determinism key (TraceEvent.signature())
    event: TraceEvent | None = None  # the step's record, reused when a later run replays it

    @property
    def choice(self):
        return self.choices[self.index]


class DepthFirst(Strategy):
    """Brute force.  Subclasses may cut a path at a state (``_expand``)."""

    name = "dfs"
    summary = "brute force, every interleaving"

    def _new_stats(self) -> Stats:
        return Stats()

    def _expand(self, ex, stats: Stats) -> bool:
        """Whether to go on from the current (unfinished) state; brute force
        always does.  State caching answers False for a state seen before."""
        return True

    def _node(self, stack: list[Node], enabled: tuple) -> Node:
        """The node of a new state: the choices to take from it, in order;
        brute force takes every enabled one."""
        return Node(enabled, enabled)

    def _reported(self, stack: list[Node]) -> bool:
        """Whether the execution ``stack`` leads to is handed to the visitor
        (a search that passes over a schedule again answers False)."""
        return True

    def explore(self, space: Space, visit: Visit, limits: Limits) -> Stats:
        budget = self.start(visit, limits, self._new_stats())
        self._search(space, budget)
        return budget.stats

    def _search(self, space: Space, budget: Budget) -> bool:
        """One depth-first pass over the tree ``_options`` spans.  False when
        the visitor or a limit stopped it (``stats.stop`` says which)."""
        stats, limits = budget.stats, budget.limits
        stack: list[Node] = []
        while True:
            ex = space.new()
            _replay(ex, stack)
            stats.transitions += len(stack)
            pruned = not ex.done and not self._expand(ex, stats)
            while not pruned and not ex.done and not ex.looping and len(stack) < limits.max_steps:
                enabled = ex.available()
                node = self._node(stack, enabled)
                stack.append(node)
                node.event = ex.step(node.choice)
                node.signature = ex.last_key
                stats.transitions += 1
                pruned = not ex.done and not self._expand(ex, stats)
            if pruned:
                stats.pruned += 1
            elif self._reported(stack) and not budget.report(ex, tuple(n.choice for n in stack)):
                return False
            while stack and stack[-1].index + 1 >= len(stack[-1].choices):
                stack.pop()
            if not stack:
                return True
            if budget.spent():
                return False
            stack[-1].index += 1
            stack[-1].signature = stack[-1].event = None


def _replay(ex, stack: list[Node]) -> None:
    """Replay the choices on ``stack``, checking each step against the run it
    was recorded from (the last node's choice is new: its signature is
    recorded now).  Recorded steps take the runtime's fast path
    (``Execution.replay_step``): no new records, a key comparison."""
    schedule = [n.choice for n in stack]
    for depth, node in enumerate(stack):
        got = ex.available()
        if got != node.enabled:
            check_replay(schedule, depth, node.enabled, got, scenario=ex.scenario.name)
        if node.signature is None:
            node.event = ex.step(node.choice)
            node.signature = ex.last_key
            continue
        event = ex.replay_step(node.choice, node.event, node.signature)  # None: the same step
        if event is not None:
            check_replay(schedule, depth, node.enabled, got, node.signature, event, ex.scenario.name)
