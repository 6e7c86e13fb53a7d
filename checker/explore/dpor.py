"""Optimal dynamic partial-order reduction (DPOR) with wakeup trees and
sleep sets.

Algorithm: Abdulla, Aronis, Jonsson, Sagonas, "Optimal Dynamic Partial
Order Reduction", POPL 2014, and "Source Sets: A Foundation for Optimal
Dynamic Partial Order Reduction", JACM 64(4), 2017 (Algorithm 2,
"Optimal-DPOR").  Two executions are equivalent (the same Mazurkiewicz
trace) when they differ only in the order of adjacent independent steps;
equivalent executions reach the same state, output and verdict.  The
explorer runs one execution, finds its races (``races``), and records in a
*wakeup tree* at the state before each race the sequence that reverses it,
unless a sleeping choice (one already explored from there, and not yet
disturbed by a dependent step) or an existing branch already covers it
(``wakeup``).  On programs whose steps never block, this explores exactly
one execution per Mazurkiewicz trace and never starts a run it has to
abandon (checked on thousands of generated programs, see below).  Two
deviations from the paper, both adding obligations, never removing any:
a wakeup-tree leaf compatible with a new sequence is extended rather than
taken as covering it (``wakeup``: our steps' footprints depend on values
read), and blocking, ticks, failures and daemon threads get the extra
races described below.

Stateless, by replay: generators cannot be copied, so each execution starts
from scratch and replays the prefix it shares with the previous one; every
replayed step is checked against the recorded one (``check_replay``), so a
nondeterministic model is reported, never explored wrongly.  Replayed steps
take the runtime's fast path (``Execution.replay_step``: the step runs in
full, its determinism key is compared, the recorded ``TraceEvent`` is
reused).  The vector clocks of the events on the stack are kept across
executions (``races.HappensBefore``), and only races involving a run's new
events are analysed (``races``: why the others were analysed already).

Soundness argument (for reaching every outcome brute force reaches):

* Dependency is ``events.Dependence``: the footprint rule of
  ``checker.program.footprint`` plus same-thread, barrier (tick, failing
  step, unknown step) and the invariant rule.  Every way one step can
  influence another goes through a location in their footprints: primitives
  record the fields their enabledness reads (``lock.state``,
  ``event.flag``, ``thread.state``), starting a thread writes the child's
  state that its first step reads, joining reads what finishing writes.
  Hence two adjacent independent steps can be swapped: neither enables or
  disables the other and both orders reach the same state.
* Ticks.  In ideal timing a tick is offered only when no thread can run, a
  condition on every thread that footprints do not express; in any-delay
  timing completing the last operation that has a deadline disables the
  tick without touching the clock.  So the tick is a barrier, dependent
  with every step: nothing is ever reordered across it.  In ideal timing no
  race with a tick is reversible (a tick can only run where it ran), so
  none is inserted; every step after a tick happens after it anyway
  (threads blocked at the tick are enabled again only by the tick itself,
  through the clock, or by steps that happen after it).
* Blocking.  A step that blocks another thread writes a location that the
  blocked operation's condition reads, so the pair is dependent; but the
  blocked operation leaves no event behind to race with.  ``races`` treats
  each blocking as a failed attempt that reads the condition, and inserts
  "the blocked operation first" before the step that blocked it (or, for an
  operation issued into a blocked state, before each earlier writer of its
  locations).  A race whose later step was enabled only by the earlier one
  (a lock acquired after the release it waited for) is not reversible and
  is skipped; the acquire-before-acquire order comes from the blocking rule.
* Early ends: a failing step ends an execution, and so does the last
  non-daemon thread finishing while daemon threads could still run.  Such
  a step is a barrier and every other choice enabled before it is inserted
  there, so the executions in which it comes later are explored; with
  daemon threads, every step finishing a non-daemon thread is a barrier.
  ``choose`` alternatives are inserted where one alternative was taken.
* Invariants are checked after every step with reads that are not
  recorded; when a scenario declares one, any two writing steps are
  dependent, so every combination of writes some interleaving passes
  through is a state of some explored execution.
* Where a reversal's executability cannot be decided from the execution,
  it is inserted anyway; the explorer drops a branch whose next choice is
  not available (``Stats.abandoned``) and continues freely, and the run is
  analysed like any other: where the predicted step found its thread
  blocked, the blocking rule yields the reversal that does exist.  A run
  whose every enabled choice is asleep is stopped (``Stats.sleep_blocked``:
  all its extensions are equivalent to explored executions).  Neither
  counts as an execution.  Inserting more never loses coverage, and no
  schedule is run twice (each state's explored choices stay in its sleep
  set), so DPOR never runs more executions than brute force.

The soundness claim is checked differentially against brute-force DFS on
generated programs (tests/test_dpor_differential.py).
"""

from __future__ import annotations

from ..program.footprint import interned
from ..runtime.schedule import Choice
from .events import Dependence, Event, event_from_trace
from .races import Execution_, HappensBefore, blocked_threads
from .coverage import Coverage, Scope, StopReason, Unit
from .estimate import Estimate, Estimator
from .strategy import Budget, Limits, Space, Stats, Strategy, Visit, check_replay
from .wakeup import WakeupNode, insert, weak_initial


class _State:
    """A state of the current execution: what was enabled, what sleeps,
    the wakeup tree still to explore, and the step taken from it."""

    __slots__ = ("enabled", "live", "blocked", "sleep", "wut", "event", "te", "key")

    def __init__(self, enabled: tuple[Choice, ...], live: frozenset[int], sleep: dict, wut: WakeupNode):
        self.enabled = enabled
        self.live = live
        self.blocked = blocked_threads(enabled, live)
        self.sleep: dict[Choice, Event] = sleep
        self.wut = wut
        self.event: Event | None = None
        self.te = None  # the step's TraceEvent, reused when a later run replays it
        # its determinism key, kept here and not on the Event: events outlive the stack in
        # wakeup trees and sleep sets, and keys (every access's value) are most of their size
        self.key: tuple | None = None

    @property
    def choice(self) -> Choice:
        return self.wut.children[0].event.choice


def _live(ex) -> frozenset[int]:
    return interned(frozenset(r.index for r in ex.runs if not r.finished))  # one object per distinct set


def _ended_early(ex) -> bool:
    """The execution just ended while some thread could still have run: a
    failure other than deadlock, or the last non-daemon thread finishing
    while daemon threads had not.  The last step is then a barrier."""
    if not ex.done:
        return False
    if ex.discarded:  # a false assume() ended it
        return True
    if ex.failure is not None:
        return ex.failure.kind != "deadlock"
    return any(not r.finished for r in ex.runs)


_BUDGET_STOPS = (StopReason.MAX_EXECUTIONS, StopReason.MAX_TIME, StopReason.INTERRUPTED)


class OptimalDPOR(Strategy):
    """Optimal DPOR (source sets + wakeup trees + sleep sets); see module
    docstring for the algorithm, its citation and the soundness argument."""

    name = "dpor"
    summary = "optimal DPOR, one execution per class of equivalent interleavings"
    estimator: Estimator | None = None  # of the search running now (``Stats.estimate`` is its last value)
    _floor = 0  # stack index of the root of the piece being searched (``search``)
    _outside: list | None = None  # reversals aimed at the root or above it, for the caller

    def coverage(self, stats: Stats) -> Coverage:
        """Classes of interleavings: one execution each; a search stopped by
        a budget or Ctrl-C carries the fraction done by estimate
        (``estimate.py``)."""
        fraction = None
        if stats.estimate is not None and stats.stop in _BUDGET_STOPS:
            # the latest estimate may predate the last execution (a visitor's stop comes before the analysis)
            fraction = Estimate(stats.estimate.executions, stats.executions).fraction
        return Coverage(Scope.ALL, Unit.CLASS, stats.kept, stats.complete, estimated_fraction=fraction)

    def explore(self, space: Space, visit: Visit, limits: Limits) -> Stats:
        budget = self.start(visit, limits)
        dep = Dependence()
        self.estimator = Estimator()  # follows the stack: push, next_branch, pop, leaf
        self.search(space, budget, limits, [], dep, HappensBefore(dep))
        return budget.stats

    def search(self, space: Space, budget: Budget, limits: Limits, stack: list[_State], dep: Dependence,
               clocks: HappensBefore, floor: int = 0, outside: list | None = None) -> bool:
        """The search loop, from ``stack`` (empty: the initial state).

        A piece of the search (``explore.units``) starts from a replayed
        prefix: ``stack`` holds the prefix's states and, on top, its root
        state, whose wakeup tree has the one branch to explore; ``clocks``
        holds the prefix's events.  With ``floor`` = the root's index, the
        search stops when that branch is done (it never backtracks into
        the prefix), and every reversal aimed at a state up to the root is
        appended to ``outside`` as ``(index, sequence)`` instead of being
        inserted: those states belong to the caller, who applies them in
        order (``explore.parallel``).  Returns True when the budget stopped
        the search with branches left (the stack then holds them), False
        when it finished or the visitor stopped it."""
        stats = budget.stats
        estimator = self.estimator  # None: not estimating (a piece of a parallel search)
        self._floor, self._outside = floor, outside
        while True:
            new_from = max(len(stack) - 1, 0)  # index of this run's first new event
            ex = space.new()
            self._replay(ex, stack, stats)
            if stack:
                self._step(ex, stack[-1], stats)
            finished = self._extend(ex, stack, limits, stats, dep)
            # invariants and daemon threads appear as the scenario runs; once
            # seen, they change the dependency rules (events.Dependence), and
            # everything is analysed again under the new rules
            rules = (dep.writers_conflict, dep.daemons)
            dep.learn(ex)
            if rules != (dep.writers_conflict, dep.daemons):
                new_from = 0
            clocks.truncate(new_from)
            for state in stack[new_from:]:
                clocks.append(state.event)
            if finished and not budget.report(ex, tuple(s.choice for s in stack)):
                stats.classes = stats.kept
                return False
            # also a run that is no execution: its last state may show a
            # thread blocked where a reversal was predicted, which the
            # blocking rule turns into the reversal that does exist
            self._analyse(ex, stack, clocks, new_from, stats)
            if estimator is not None:
                if finished:
                    estimator.leaf()
                stats.estimate = estimator.estimate([len(s.wut.children) - 1 for s in stack])
            more = self._backtrack(stack, stats)
            if not more and estimator is not None:
                stats.estimate = estimator.finish()
            if not more or budget.spent():
                stats.classes = stats.kept
                return more

    # -- running --------------------------------------------------------
    def _replay(self, ex, stack: list[_State], stats: Stats) -> None:
        """Replay every recorded step but the last state's (whose choice is
        new), checking the model behaves as before."""
        schedule = [s.choice for s in stack]
        for depth, state in enumerate(stack[:-1]):
            got = ex.available()
            if got != state.enabled:
                check_replay(schedule, depth, state.enabled, got, scenario=ex.scenario.name)
            event = ex.replay_step(state.choice, state.te, state.key)  # None: same step
            if event is not None:
                check_replay(schedule, depth, state.enabled, got, state.key, event, ex.scenario.name)
        stats.transitions += max(len(stack) - 1, 0)

    def _step(self, ex, state: _State, stats: Stats) -> None:
        """Take ``state``'s current choice, record its event."""
        te = ex.step(state.choice)
        stats.transitions += 1
        # signature () marks a known step; its key stays on the state (see _State)
        ev = event_from_trace(te, _ended_early(ex), te.thread >= 0 and ex.runs[te.thread].thread.daemon, ())
        state.event = ev
        state.te = te
        state.key = ex.last_key
        state.wut.children[0].event = ev

    def _extend(self, ex, stack: list[_State], limits: Limits, stats: Stats, dep: Dependence) -> bool:
        """Run to the end, following the wakeup subtree, then free choices.
        A predicted branch that turns out not executable is dropped
        (``Stats.abandoned``) and the run goes on with free choices.
        Returns False when the run is no execution: every enabled choice was
        asleep (``Stats.sleep_blocked``: all its extensions are equivalent
        to explored ones)."""
        while not ex.done and not ex.looping and len(stack) < limits.max_steps:
            if stack:
                parent = stack[-1]
                child = parent.wut.children[0]
                sleep = {q: e for q, e in parent.sleep.items() if not dep(e, parent.event)}
                wut = WakeupNode(None, child.children)
                child.children = []
            else:
                sleep, wut = {}, WakeupNode()
            state = _State(ex.available(), _live(ex), sleep, wut)
            if not self._first_runnable(state, stats):
                free = [c for c in state.enabled if c not in sleep]
                if not free:
                    stats.sleep_blocked += 1
                    return False
                state.wut.children.append(WakeupNode(Event.unknown(free[0])))
            stack.append(state)
            if self.estimator is not None:
                self.estimator.push()
            self._step(ex, state, stats)
        return True

    def _first_runnable(self, state: _State, stats: Stats) -> bool:
        """Drop leading wakeup branches that cannot run here (not enabled:
        an undecidable reversal that turned out impossible; or asleep)."""
        children = state.wut.children
        while children:
            c = children[0].event.choice
            if c in state.enabled and c not in state.sleep:
                return True
            children.pop(0)
            stats.abandoned += 1
        return False

    # -- races and backtracking -------------------------------------------
    def _analyse(self, ex, stack: list[_State], clocks: HappensBefore, new_from: int, stats: Stats) -> None:
        """Insert the reversals of this run's races that involve its new
        events (from index ``new_from``; ``races`` explains why the others
        need no second look)."""
        dep = clocks.dep
        enabled = [s.enabled for s in stack]
        live = [s.live for s in stack]
        enabled.append(ex.available() if not ex.done else ())
        live.append(_live(ex))
        blocked = [s.blocked for s in stack]
        blocked.append(blocked_threads(enabled[-1], live[-1]))
        failed = _ended_early(ex)
        run = Execution_(clocks, enabled, live, failed, ex.timing == "ideal", blocked)
        outside, floor = self._outside, self._floor
        for i, v in run.reversals(new_from):
            if outside is not None and i <= floor:
                # the caller's state: applied there, in order, under the rules it was found with
                outside.append((i, v, (dep.writers_conflict, dep.daemons)))
                continue
            state = stack[i]
            if any(weak_initial(e, v, dep) for e in state.sleep.values()):
                continue
            if insert(state.wut, v, dep):
                stats.insertions += 1

    def _backtrack(self, stack: list[_State], stats: Stats) -> bool:
        """Mark the last explored branch done; pop exhausted states.  True
        when some state has a branch left (it is then the top)."""
        estimator = self.estimator
        while len(stack) > self._floor:
            state = stack[-1]
            done = state.wut.children.pop(0)
            state.sleep[done.event.choice] = state.event
            dropped = stats.abandoned
            if self._first_runnable(state, stats):
                state.event = None
                if estimator is not None:
                    estimator.next_branch(stats.abandoned - dropped)
                return True
            stack.pop()
            if estimator is not None:
                estimator.pop()
        return False
