"""Parallel optimal DPOR: the coordinator.

The search is cut into units (``explore.units``: a branch of the wakeup
tree at some state, as data) that run on any ``concurrent.futures.Executor``.
The coordinator keeps the top of the search tree: a ``_Node`` per state
that some unit's budget split off, with that state's sleep set and wakeup
tree, and a ``_Branch`` per child of the tree (pending, running, finished
but not yet applied, expanded into a deeper node, or done).

Exactness (``docs/exploration.md``, "Parallel exploration", has the whole
argument).  Units are *applied* strictly in the order the sequential search
would run them (depth-first order of the tree), and a unit's result is
applied only if its inputs are exactly what the sequential search would have
given it at that point:

* its root's sleep set: the state's sleep set plus the first events of the
  earlier branches there (fixed once those branches exist: insertion only
  ever appends after them);
* its branch's wakeup subtree: a *version* per branch is bumped whenever an
  applied insertion reaches into it (``wakeup.insert_branch``); a result
  computed from an older version is thrown away and the unit runs again;
* the dependency rules (``events.Dependence``), and under
  ``max_executions`` the executions left.

A unit returns the reversals aimed at its root or above instead of applying
them; the coordinator applies them, with the sequential sleep-set test,
when it applies the unit.  Everything the sequential search would do is
then done in the same order on the same data, so the executions (and their
order, hence the first counterexample and each outcome's witness) are the
sequential search's exactly; units that run ahead only risk being run
again (``ParallelStats.rerun``), never an obligation.  For the same reason
the size estimate made when a unit is applied (``_estimate``) is the one
the sequential search made after the unit's last run.
"""

from __future__ import annotations

import time
from concurrent.futures import Executor
from dataclasses import dataclass, field
from collections.abc import Callable, Iterator
from typing import Any

from ..errors import ModelError, NondeterminismError, UsageError
from ..runtime.schedule import Choice
from .coverage import StopReason
from .dispatch import Dispatch, ParallelStats
from .estimate import Estimate, estimate_of
from .events import Dependence, Event
from .strategy import Limits, Stats
from .units import Frame, OutcomeKey, Task, Unit, UnitResult, run_unit
from .wakeup import WakeupNode, flatten, insert_branch, unflatten, weak_initial

PENDING, RUNNING, HELD, EXPANDED, DONE = "pending", "running", "held", "expanded", "done"
SPLITS = ("deep", "shallow")
COUNTED = ("executions", "transitions", "cut_executions", "looped", "discarded", "sleep_blocked", "abandoned",
           "insertions")  # the statistics a unit's result adds
UNIT_SECONDS = 0.25  # the budget of one unit: large against the ~1 ms a task costs, small against a search


class _Node:
    """A state of the search kept by the coordinator."""

    __slots__ = ("depth", "schedule", "sleep", "wut", "branches", "parent", "events", "finished")

    def __init__(self, depth: int, schedule: tuple[Choice, ...], sleep: dict, wut: WakeupNode,
                 parent: tuple[_Node, _Branch] | None, finished: int = 0):
        self.depth, self.schedule, self.sleep, self.wut, self.parent = depth, schedule, sleep, wut, parent
        self.finished = finished  # branches done (for the size estimate: ``estimate.Estimator``'s count)
        self.branches: dict[int, _Branch] = {}
        self.events: dict[Choice, Event | None] = {}  # first events of branches as run (None: could not run)

    def add(self, node: WakeupNode, status: str = PENDING) -> _Branch:
        branch = _Branch(self, node, status)
        self.branches[id(node)] = branch
        return branch


class _Branch:
    __slots__ = ("node", "owner", "status", "version", "sent", "rules", "result", "child", "resume")

    def __init__(self, owner: _Node, node: WakeupNode, status: str):
        self.owner, self.node, self.status = owner, node, status
        self.version = 0  # bumped when an applied insertion changes the subtree
        self.sent = -1  # the version the running unit was given
        self.result: UnitResult | None = None
        self.child: _Node | None = None
        self.resume: tuple[Frame, ...] = ()  # a paused search below this branch
        self.rules = (False, False)  # the dependency rules the running unit was given


@dataclass
class Summary:
    """The search's result: ``Stats`` as the sequential search counts them,
    outcomes (equality key, count, first witness) in the order the
    sequential search first met them, the first failing schedule."""

    stats: Stats
    failure: tuple[Choice, ...] | None = None
    parallel: ParallelStats = field(default_factory=ParallelStats)
    tally: dict[OutcomeKey, list] = field(default_factory=dict, repr=False)  # key: [count, first witness, ...]

    @property
    def outcomes(self) -> list[tuple[OutcomeKey, int, tuple[Choice, ...]]]:
        return [(key, count, witness) for key, (count, witness, *_) in self.tally.items()]

    def add(self, result: Any, counted: tuple[str, ...]) -> None:
        """Apply a unit's result: raise the user's mistake it met, add up
        the statistics ``counted`` and its outcomes' counts (the first
        witness stays), keep the first failure."""
        if result.error is not None:
            raise _rebuild(result.error)
        self.parallel.units += 1
        for name in counted:
            setattr(self.stats, name, getattr(self.stats, name) + getattr(result.stats, name))
        for key, count, *first in result.outcomes:
            entry = self.tally.get(key)
            if entry is None:
                self.tally[key] = [count, *first]
            else:
                entry[0] += count
        if self.failure is None:
            self.failure = result.failure


class ParallelDPOR:
    """Optimal DPOR on ``executor`` (``workers``: how many units it runs at
    once); ``run()`` gives the ``Summary``.  ``unit_seconds`` and
    ``unit_executions`` bound one unit; ``progress(executions,
    transitions)`` is called as units are applied.  ``split`` says how a
    paused unit is cut (``_expand``): "deep", every state it entered becomes
    a node and each branch left a unit of its own (more, smaller units,
    rarely run again); "shallow", only the states down to the first with
    branches left, and the paused search goes on below as one unit (fewer,
    larger units; the branches split off are more often reached by its
    insertions and run again).  ``renew()``: a new executor when this one
    broke (a worker process was killed): ``dispatch.Dispatch`` runs the
    units it was running again there; without it a broken executor is an
    error."""

    def __init__(self, task: Task, executor: Executor, workers: int, limits: Limits,
                 unit_seconds: float | None = UNIT_SECONDS, unit_executions: int | None = None,
                 progress: Callable[[int, int], None] | None = None, split: str = "deep",
                 renew: Callable[[], Executor] | None = None):
        self.task, self.workers, self.limits = task, workers, limits
        self.unit_seconds, self.unit_executions, self.progress = unit_seconds, unit_executions, progress
        if split not in SPLITS:
            raise UsageError(f"split must be one of {', '.join(SPLITS)}, got {split!r}")
        self.split = split
        self.summary = Summary(Stats())
        self.dispatch = Dispatch(executor, workers, renew, self.summary.parallel)
        self.rules = (False, False)
        self.top = _Node(-1, (), {}, WakeupNode(), None)
        self.top.wut.children.append(WakeupNode(None))  # the whole search, from the initial state
        self.top.add(self.top.wut.children[0])

    # -- the loop -----------------------------------------------------------
    def run(self) -> Summary:
        stats = self.summary.stats
        try:
            while True:
                # past the deadline, once a unit has run (one process runs one execution at least)
                if self.limits.deadline is not None and stats.executions and time.monotonic() >= self.limits.deadline:
                    stats.stop = StopReason.MAX_TIME
                    break
                front = next(self._order(), None)
                if front is None:
                    stats.estimate = Estimate(float(stats.executions), stats.executions, exact=True)
                    break
                if front.status == HELD:
                    if self._valid(front):
                        ended = self._apply(front)
                        if self.progress is not None:  # the estimate made
                            self.progress(stats.executions, stats.transitions)
                        if ended:
                            break
                        continue
                    self._again(front)
                self._dispatch()
                self._collect()
        finally:  # also on Ctrl-C: the summary then holds what was applied
            self.dispatch.cancel()
            stats.classes = stats.kept
        return self.summary

    def _order(self) -> Iterator[_Branch]:
        """Branches not done, in the sequential search's order."""
        todo: list[tuple[_Node, int]] = [(self.top, 0)]
        while todo:
            node, k = todo.pop()
            children = node.wut.children
            if k >= len(children):
                continue
            todo.append((node, k + 1))
            branch = node.branches[id(children[k])]
            if branch.status == EXPANDED:
                todo.append((branch.child, 0))
            else:
                yield branch

    def _dispatch(self) -> None:
        """Start pending units in search order while workers are free."""
        for branch in self._order():
            if not self.dispatch.free:
                return
            if branch.status == PENDING:
                self._submit(branch)

    def _submit(self, branch: _Branch) -> None:
        owner = branch.owner
        sleep, earlier = dict(owner.sleep), []
        for node in owner.wut.children:
            if node is branch.node:
                break
            known = owner.events.get(node.event.choice, False) if node.event is not None else False
            if known is False:
                earlier.append(node.event.choice)
            elif known is not None:
                sleep[node.event.choice] = known
        cap = self.unit_executions
        if self.limits.max_executions is not None:
            left = self.limits.max_executions - self.summary.stats.executions
            cap = left if cap is None else min(cap, left)
        is_start = owner is self.top
        unit = Unit(self.task, owner.schedule, tuple(sleep.items()), tuple(earlier),
                    None if is_start else flatten(branch.node), branch.resume, self.rules, cap, self._slice())
        branch.status, branch.sent, branch.rules = RUNNING, branch.version, self.rules
        self.dispatch.submit(run_unit, unit, branch)

    def _slice(self) -> float | None:
        """A unit's time budget: ``unit_seconds``, or a tenth of it while
        there are fewer units waiting than workers (at the start, and when
        the tree narrows), so that a paused unit soon hands out work."""
        if self.unit_seconds is None:
            return None
        waiting = sum(1 for b in self._order() if b.status == PENDING)
        return self.unit_seconds if waiting >= self.workers else self.unit_seconds / 10

    def _collect(self) -> None:
        """Wait for a unit to finish; keep its result until its turn."""
        for branch, result in self.dispatch.finished():
            if result.error is None and (result.root_event is not None or result.abandoned):
                choice = branch.node.event.choice if branch.node.event is not None else None
                branch.owner.events[choice] = result.root_event
            if branch.status != RUNNING or branch.sent != branch.version:
                self._again(branch)
            else:
                branch.status, branch.result = HELD, result

    def _valid(self, branch: _Branch) -> bool:
        """The held result was computed from the inputs the sequential
        search would give this branch now: the same subtree, the same
        dependency rules, and no more executions than the budget has left
        (with none left, only a probe's answer or an abandoned branch)."""
        if branch.sent != branch.version or branch.rules != self.rules:
            return False
        limit, result = self.limits.max_executions, branch.result
        if limit is None:
            return True
        left = limit - self.summary.stats.executions
        if left == 0:  # the sequential search only looks whether the branch can run, and stops if it can
            return result.abandoned or result.runnable
        return result.stats.executions <= left and not result.runnable

    def _again(self, branch: _Branch) -> None:
        branch.status, branch.result = PENDING, None
        self.summary.parallel.rerun += 1

    # -- applying a unit, in search order ----------------------------------------
    def _apply(self, branch: _Branch) -> bool:
        """Apply the front unit's result; True when the search ends."""
        result, stats = branch.result, self.summary.stats
        self.summary.add(result, COUNTED)
        if result.abandoned:
            self._done(branch, abandoned=True)
            return False
        if result.runnable:  # the budget is spent and a branch can run: where the sequential search stops
            stats.stop = StopReason.MAX_EXECUTIONS
            return True
        if result.root_event is not None:
            branch.node.event = result.root_event  # as the search sets it when the branch's first step runs
        for depth, sequence, rules in result.outside:  # the rules change where a run first showed them
            self._insert(branch.owner, depth, sequence, Dependence(*rules))
        self.rules = result.rules
        if result.estimated is not None:
            self._estimate(branch.owner, result)
        if result.stop is not None:
            stats.stop = result.stop
            return True
        if result.frames:
            self._expand(branch, result.frames)
        else:
            self._done(branch)
        return False  # a budget spent is found by the next unit, a probe (``UnitResult.runnable``)

    def _estimate(self, node: _Node, result: UnitResult) -> None:
        """The estimate after the unit's last analysed run, as the
        sequential search makes it then (``estimate.py``): the nodes above
        the unit's root and the root itself, with the branches done and the
        branches pending now (its reversals inserted, its branch current),
        then the path below the root the unit saw."""
        above = []
        while node.parent is not None:
            above.append((node.finished, len(node.wut.children) - 1))
            node = node.parent[0]
        leaves, below = result.estimated
        executions = self.summary.stats.executions - result.stats.executions + leaves
        self.summary.stats.estimate = estimate_of(executions, tuple(reversed(above)) + below)

    def _insert(self, node: _Node, depth: int, sequence: list[Event], dep: Dependence) -> None:
        """A reversal a unit found for the state at ``depth`` (at or above
        its root) under the rules ``dep``, applied as ``OptimalDPOR._analyse``
        would."""
        while node.depth > depth:
            node = node.parent[0]
        if node.depth != depth:
            raise RuntimeError(f"internal error: no state at depth {depth} above a unit")
        if any(weak_initial(e, sequence, dep) for e in node.sleep.values()):
            return
        top = insert_branch(node.wut, sequence, dep)
        if top is None:
            return
        self.summary.stats.insertions += 1
        branch = node.branches.get(id(top))
        if branch is None:
            node.add(top)
        elif branch.resume:  # a paused search's own branch: its subtree lives in its frames, never reached
            raise RuntimeError("internal error: a reversal reached the branch a paused search goes on from")
        elif branch.status in (RUNNING, HELD):
            branch.version += 1  # its unit started from an older subtree: it runs again
            if branch.status == HELD:
                self._again(branch)
        elif branch.status != PENDING:
            raise RuntimeError(f"internal error: a reversal reached a branch already {branch.status}")

    def _expand(self, branch: _Branch, frames: list[Frame]) -> None:
        """A paused unit: the states it had entered become nodes, each
        branch left a unit; with ``split`` "shallow" only down to the first
        state with branches left, and below it the paused search goes on as
        one unit (``Branch.resume``)."""
        split = len(frames) - 1 if self.split == "deep" else next(
            (k for k, f in enumerate(frames[:-1]) if len(unflatten(f.rest).children) > 0), len(frames) - 1)
        owner, schedule = branch.owner, branch.owner.schedule + _first(branch)
        for k in range(split + 1):
            frame = frames[k]
            node = _Node(owner.depth + 1, schedule, dict(frame.sleep), unflatten(frame.rest), (owner, branch),
                         frame.finished)
            branch.status, branch.child = EXPANDED, node
            for child in node.wut.children:
                node.add(child)
            if frame.path is None:  # the deepest state: all its branches are still to run
                return
            path = WakeupNode(frame.path)
            node.wut.children.insert(0, path)
            node.events[frame.path.choice] = frame.path
            owner, branch, schedule = node, node.add(path, EXPANDED), schedule + (frame.path.choice,)
        branch.status, branch.resume = PENDING, tuple(frames[split + 1:])

    def _done(self, branch: _Branch, abandoned: bool = False) -> None:
        """The branch's subtree is explored: to sleep, as ``_backtrack``
        does (an abandoned branch is dropped, as ``_first_runnable`` does);
        a node whose branches are all done is done in its parent."""
        while True:
            owner = branch.owner
            owner.wut.children.remove(branch.node)
            del owner.branches[id(branch.node)]
            branch.status, owner.finished = DONE, owner.finished + 1
            if not abandoned and branch.node.event is not None:
                owner.sleep[branch.node.event.choice] = branch.node.event
            if owner.wut.children or owner.parent is None:
                return
            branch, abandoned = owner.parent[1], False


def _first(branch: _Branch) -> tuple[Choice, ...]:
    """The branch's first choice, for the schedule of the nodes below it
    (none for the whole search)."""
    return () if branch.node.event is None else (branch.node.event.choice,)


_ERRORS = {cls.__name__: cls for cls in (ModelError, NondeterminismError, UsageError)}


def _rebuild(error: tuple[str, str, str | None, str | None]) -> ModelError:
    """A user's mistake met in a worker, as the same error here."""
    name, message, where, hint = error
    return _ERRORS.get(name, ModelError)(message, where=where, hint=hint)


__all__ = ["ParallelDPOR", "ParallelStats", "Summary", "UNIT_SECONDS"]
