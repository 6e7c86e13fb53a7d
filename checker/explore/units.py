"""A piece of an optimal DPOR search as plain data, and the worker that runs it.

A ``Unit`` is what goes to another process (or a Dask worker): the model's
path and scenario, parameters and timing (``Task``), the schedule to the
unit's *root* state, the root's sleep set, the one wakeup-tree branch to
explore from it (with its subtree), and, for a search that was paused, the
states below that branch it had entered (``Frame``: sleep set, the branch
being explored, the branches left).  Generators cannot be pickled, so the
worker re-imports the model (``program.model_file.load_model``) and replays
the prefix; every replayed step is checked as in any DPOR run.

``run_unit`` explores the branch with ``OptimalDPOR.search`` until it is
done, the visitor stops it, or the unit's budget is spent, and returns a
``UnitResult``: statistics, outcomes with witness schedules, the first
failing schedule, the branch's actual first event, the reversals aimed at
the root or above (they belong to the coordinator, ``explore.parallel``,
which applies them in the sequential order), and, when paused, the frames
left (``frames``), so the rest can be split and resumed.

What the worker judges mirrors ``check.checking``'s visitor exactly: an
execution that looped stops the search when asked (``stop_on_loop``), a
discarded one (false ``assume``) is no outcome, a failure is remembered
(the first one in search order) and stops the search unless every outcome
is wanted.  Outcomes travel as their equality key (``Outcome.state``,
``output``, ``failure``: strings); the coordinator replays one witness per
outcome to rebuild it with its values.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import ModelError
from ..program.model_file import load_model
from ..program.scenario import Scenario
from ..runtime import collector
from ..runtime.execution import Execution
from ..runtime.schedule import Choice
from ..runtime.watchdog import Heartbeat, Watchdog
from .coverage import StopReason
from .dpor import OptimalDPOR, _live, _State
from .estimate import Estimate, Estimator
from .events import Dependence, Event
from .races import HappensBefore
from .strategy import Limits, Stats, check_replay
from .wakeup import WakeupNode, flatten, unflatten

Flat = list  # a wakeup tree as ``wakeup.flatten`` gives it
OutcomeKey = tuple  # (state, output, failure) of a ``runtime.trace.Outcome``: its equality


@dataclass(frozen=True)
class Task:
    """The scenario every unit of one search explores, and how."""

    model: str  # path of the model file, importable by every worker
    scenario: str
    params: dict[str, Any]
    timing: str
    max_steps: int
    step_timeout: float | None
    all_outcomes: bool
    stop_on_loop: bool
    semantics: str = "gil"  # memory model of unmodified code (``Scenario.under``)


@dataclass(frozen=True)
class Frame:
    """A state of a paused search below its unit's root: its sleep set,
    the event of the branch being explored from it (None for the deepest
    state, whose branches are all still to run), the branches left after
    that one (a flattened wakeup tree whose root is the state), and how
    many branches it has finished (for the size estimate)."""

    sleep: tuple[tuple[Choice, Event], ...]
    path: Event | None
    rest: Flat
    finished: int = 0


@dataclass(frozen=True)
class Unit:
    """Explore ``branch`` from the state ``prefix`` leads to.  ``sleep``:
    the root's sleep set as far as known; ``earlier``: the choices of the
    root's earlier branches whose first events the worker computes and puts
    to sleep (those that can run there); ``branch`` None: the whole search
    from the initial state.  ``resume``: the frames a paused search had
    entered below ``branch`` (it goes on from the deepest).  ``rules``: the
    dependency rules in force (``events.Dependence``).  Budget: the unit
    pauses after ``max_executions`` executions or ``seconds``."""

    task: Task
    prefix: tuple[Choice, ...]
    sleep: tuple[tuple[Choice, Event], ...]
    earlier: tuple[Choice, ...]
    branch: Flat | None
    resume: tuple[Frame, ...]
    rules: tuple[bool, bool]
    max_executions: int | None
    seconds: float | None


@dataclass
class UnitResult:
    """What a unit did (see the module docstring).  ``root_event`` is the
    branch's first event as it ran; ``abandoned``: the branch could not run
    at the root (not enabled, or asleep), nothing was explored.
    ``outside``: ``(state index, sequence, dependency rules)`` in the order
    found.
    ``frames``: None when the branch is done (or the search stopped),
    else the frames below the root, shallowest first.  ``error``: a user's
    mistake met while exploring, re-raised by the coordinator when the unit
    is reached in search order."""

    stats: Stats
    root_event: Event | None = None
    abandoned: bool = False
    runnable: bool = False  # a unit without executions left (``max_executions`` 0) found its branch can run
    outside: list[tuple[int, list[Event], tuple[bool, bool]]] = field(default_factory=list)
    frames: list[Frame] | None = None
    estimated: tuple[int, tuple[tuple[int, int], ...]] | None = None  # (executions, path below the root): _run
    rules: tuple[bool, bool] = (False, False)
    outcomes: list[tuple[OutcomeKey, int, tuple[Choice, ...]]] = field(default_factory=list)
    failure: tuple[Choice, ...] | None = None
    stop: StopReason | None = None  # the visitor's: a violation, or a loop
    seconds: float = 0.0  # wall time in the unit
    cpu_seconds: float = 0.0  # processor time of the worker in the unit (less than ``seconds`` on a busy machine)
    error: tuple[str, str, str | None, str | None] | None = None  # (class name, message, where, hint)


class _Judge:
    """The worker's visitor: ``check.checking``'s classification, tallied."""

    def __init__(self, task: Task):
        self.task = task
        self.tally: dict[OutcomeKey, list] = {}
        self.failure: tuple[Choice, ...] | None = None
        self.stop: StopReason | None = None

    def __call__(self, ex: Execution, schedule: tuple[Choice, ...]) -> StopReason | None:
        if self.task.stop_on_loop and ex.looping:
            self.stop = StopReason.LOOP
            return self.stop
        if ex.discarded:
            return None
        outcome = ex.outcome()
        key = (outcome.state, outcome.output, outcome.failure)
        entry = self.tally.get(key)
        if entry is None:
            self.tally[key] = [1, schedule]
        else:
            entry[0] += 1
        if ex.failure is not None:
            if self.failure is None:
                self.failure = schedule
            if not self.task.all_outcomes:
                self.stop = StopReason.VIOLATION
                return self.stop
        return None


class _Space:
    def __init__(self, scenario: Scenario, task: Task, heartbeat: Heartbeat | None):
        self.scenario, self.task, self.heartbeat = scenario, task, heartbeat

    def new(self) -> Execution:
        return Execution(self.scenario, self.task.params, self.task.timing, self.heartbeat)


_SCENARIOS: dict[tuple, Scenario] = {}


def load_scenario(task: Task) -> Scenario:
    """The task's scenario, imported from its model file once per process
    (again when the file changed: a worker may outlive one search)."""
    stat = os.stat(task.model)
    key = (task.model, stat.st_mtime_ns, stat.st_size, task.scenario, task.semantics)
    if key not in _SCENARIOS:
        _SCENARIOS[key] = load_model(task.model).scenario(task.scenario).under(task.semantics)
    return _SCENARIOS[key]


_ONE_AT_A_TIME = threading.Lock()  # an execution is the process's current one (program.context)


def run_unit(unit: Unit) -> UnitResult:
    """Run one unit (in any process), as ``in_worker`` says."""
    return in_worker(_run, unit, UnitResult)


def in_worker(run: Callable[[Any], Any], unit: Any, empty: Callable[..., Any]) -> Any:
    """``run(unit)``, timed, one at a time per process (a Dask worker may
    have several threads); a user's mistake comes back as ``empty(Stats(),
    error=...)``, never raised."""
    with _ONE_AT_A_TIME:
        started, cpu = time.perf_counter(), time.process_time()
        try:
            result = run(unit)
        except ModelError as exc:
            result = empty(Stats(), error=(type(exc).__name__, exc.message, exc.where, exc.hint))
        result.seconds, result.cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
        return result


def _run(unit: Unit) -> UnitResult:
    task = unit.task
    scenario = load_scenario(task)
    judge = _Judge(task)
    deadline = None if unit.seconds is None else time.monotonic() + unit.seconds
    limits = Limits(unit.max_executions, task.max_steps, task.step_timeout, deadline)
    dpor = OptimalDPOR()
    budget = dpor.start(judge, limits)
    stats = budget.stats
    dep = Dependence(*unit.rules)
    clocks = HappensBefore(dep)
    with Watchdog(task.step_timeout) as watchdog, collector.paced():
        space = _Space(scenario, task, watchdog.heartbeat)
        if unit.branch is None:
            stack: list[_State] = []
            floor, outside = 0, None
            dpor.estimator = _PieceEstimator(0, ())
        else:
            floor, outside = len(unit.prefix), []
            dpor.estimator = _PieceEstimator(floor, (0,) + tuple(frame.finished for frame in unit.resume))
            stack = _enter(dpor, space, unit, stats, dep)
            if stack is None:
                return UnitResult(stats, abandoned=True, rules=unit.rules)
            if unit.max_executions == 0:  # a probe past the budget: the branch can run, so the search stops here
                return UnitResult(stats, runnable=True, rules=unit.rules)
            for state in stack[:-1]:
                clocks.append(state.event)
        root = stack[floor] if unit.branch is not None else None
        more = dpor.search(space, budget, limits, stack, dep, clocks, floor, outside)
    result = UnitResult(stats, rules=(dep.writers_conflict, dep.daemons), failure=judge.failure, stop=judge.stop)
    result.outcomes = [(key, count, witness) for key, (count, witness) in judge.tally.items()]
    result.outside = outside or []
    result.root_event = root.event if root is not None else None
    first = floor + 1 if unit.branch is not None else 0  # the states below the root, the root's level left out
    seen, stats.estimate = dpor.estimator.seen, None  # the coordinator estimates, from the whole path
    if seen is not None:
        result.estimated = (seen[0], seen[1][first - floor:])
    if more:
        stats.stop = StopReason.FINISHED  # paused, not stopped: the coordinator goes on
        levels = dpor.estimator.levels
        result.frames = [_frame(stack[i], i == len(stack) - 1, levels[i - floor].finished)
                         for i in range(first, len(stack))]
    return result


class _PieceEstimator(Estimator):
    """A unit's estimator: it follows the stack from the root (``floor``;
    the search passes the pending branches of the prefix's states too, and
    they are the coordinator's), with the resumed states' finished children."""

    def __init__(self, floor: int, finished: tuple[int, ...]):
        super().__init__(finished)
        self.floor = floor

    def estimate(self, pending: list[int]) -> Estimate:
        return super().estimate(pending[self.floor:])


def _frame(state: _State, deepest: bool, finished: int) -> Frame:
    children = state.wut.children if deepest else state.wut.children[1:]
    return Frame(tuple(state.sleep.items()), None if deepest else state.event, flatten(WakeupNode(None, children)),
                 finished)


def _enter(dpor: OptimalDPOR, space: _Space, unit: Unit, stats: Stats, dep: Dependence) -> list[_State] | None:
    """The stack of a unit: the prefix's states (their events recorded by
    running it), the root with its one branch, then the resumed frames.
    None when the branch cannot run at the root (``Stats.abandoned``)."""
    ex = space.new()
    stack = [_known(dpor, ex, choice, {}, [], unit.prefix, depth, stats) for depth, choice in enumerate(unit.prefix)]
    enabled = ex.available()
    sleep = dict(unit.sleep)
    for choice in unit.earlier:  # earlier branches at the root go to sleep once run, as in _backtrack
        if choice in enabled and choice not in sleep:
            sleep[choice] = _first_event(dpor, space, stack, choice, stats)
    branch = unflatten(unit.branch)
    root = _State(enabled, _live(ex), sleep, WakeupNode(None, [branch]))
    if not dpor._first_runnable(root, stats):
        return None
    stack.append(root)
    if not unit.resume:
        return stack
    dpor._step(ex, root, stats)
    schedule = unit.prefix + (root.choice,)
    for depth, frame in enumerate(unit.resume, start=len(stack)):
        rest = unflatten(frame.rest).children
        if frame.path is None:  # the deepest: its next branch is run by the search loop
            stack.append(_State(ex.available(), _live(ex), dict(frame.sleep), WakeupNode(None, rest)))
            break
        state = _known(dpor, ex, frame.path.choice, dict(frame.sleep), rest, schedule, depth, stats)
        stack.append(state)
        schedule += (frame.path.choice,)
    return stack


def _known(dpor: OptimalDPOR, ex: Execution, choice: Choice, sleep: dict, rest: list[WakeupNode],
           schedule: tuple[Choice, ...], depth: int, stats: Stats) -> _State:
    """A state on the way to the root (or a resumed one): take ``choice``
    there, recording its event as the search does."""
    enabled = ex.available()
    if choice not in enabled:
        check_replay(schedule, depth, (choice,), enabled, scenario=ex.scenario.name)
    state = _State(enabled, _live(ex), sleep, WakeupNode(None, [WakeupNode(Event.unknown(choice))] + rest))
    dpor._step(ex, state, stats)
    return state


def _first_event(dpor: OptimalDPOR, space: _Space, stack: list[_State], choice: Choice, stats: Stats) -> Event:
    """The event ``choice`` has when taken at the state the stack leads to."""
    ex = space.new()
    if stack:
        dpor._replay(ex, stack + [stack[-1]], stats)  # _replay leaves the last state's step out
    state = _State(ex.available(), _live(ex), {}, WakeupNode(None, [WakeupNode(Event.unknown(choice))]))
    dpor._step(ex, state, stats)
    return state.event
