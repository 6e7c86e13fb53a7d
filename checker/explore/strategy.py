"""The interface every exploration strategy implements.

A strategy decides which schedules to run; it never touches model state.  It
sees a ``Space`` (a factory of fresh executions of one scenario) and reports
each finished execution to a ``visit`` callback, which returns a reason to stop
(the check layer stops at the first violation unless asked for every
outcome).  Limits bound the work; ``Budget`` keeps the count and records in
``Stats.stop`` which limit ended a search (a ``coverage.StopReason``).
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, Protocol
from collections.abc import Callable

from ..errors import NondeterminismError
from ..program.footprint import Access
from ..runtime.execution import Execution
from ..runtime.schedule import Choice, encode
from ..runtime.trace import TraceEvent
from .coverage import Coverage, Scope, StopReason, Unit
from .estimate import Estimate


class Space(Protocol):
    def new(self) -> Execution:
        """A fresh execution of the scenario, in its initial state."""


Visit = Callable[[Execution, tuple[Choice, ...]], "StopReason | None"]
"""Called with each finished execution and its schedule; returns None to go
on, or why the search must stop."""


#: The step budget of one execution unless set (see ``Limits``).
DEFAULT_MAX_STEPS = 1_000_000


@dataclass(frozen=True)
class Limits:
    """``max_executions``: stop after this many executions (None: no limit).
    ``max_steps``: cut any execution longer than this: the safety net for
    loops that never revisit a state (a loop is normally cut where a state
    recurs, ``Execution.looping``); ``DEFAULT_MAX_STEPS`` is far above what
    a bounded model needs.
    ``step_timeout``: seconds one step may run (None: no budget; enforced
    by the check layer's ``runtime.watchdog``, not by strategies).
    ``deadline``: a ``time.monotonic()`` instant after which the search
    stops (checked between executions; None: no time budget)."""

    max_executions: int | None = None
    max_steps: int = DEFAULT_MAX_STEPS
    step_timeout: float | None = None
    deadline: float | None = None


@dataclass
class Stats:
    executions: int = 0
    transitions: int = 0
    cut_executions: int = 0  # executions stopped unfinished: by max_steps, or because a state recurred
    looped: int = 0  # of those, the executions in which a state recurred (``Execution.looping``)
    discarded: int = 0  # executions (counted in ``executions``) ended by a false assume()
    stop: StopReason = StopReason.FINISHED  # why the search ended
    # Reductions (None where a strategy does not use them):
    classes: int | None = None  # DPOR: equivalence classes of interleavings covered (one execution each)
    states_visited: int | None = None  # state caching: distinct states reached
    pruned: int = 0  # state caching: paths cut at an already visited state (not executions)
    unkeyable: int = 0  # state caching: states without a key (treated as new)
    sleep_blocked: int = 0  # DPOR: runs stopped because every enabled choice was asleep (not executions)
    abandoned: int = 0  # DPOR: predicted branches that turned out not executable (not executions)
    insertions: int = 0  # DPOR: sequences added to wakeup trees
    estimate: Estimate | None = None  # DPOR: the search's size by estimate, after the last analysed run

    @property
    def kept(self) -> int:
        """Executions that were not discarded by ``assume``."""
        return self.executions - self.discarded

    @property
    def complete(self) -> bool:
        """The search ran everything it set out to, and no execution was cut."""
        return self.stop is StopReason.FINISHED and self.cut_executions == 0


class Budget:
    """The limit bookkeeping every strategy shares: counting executions,
    handing each to the visitor, and stopping (with the reason in
    ``stats.stop``) when the visitor or a limit says so."""

    def __init__(self, visit: Visit, limits: Limits, stats: Stats | None = None):
        self.visit, self.limits = visit, limits
        self.stats = stats if stats is not None else Stats()

    def report(self, ex: Execution, schedule: tuple[Choice, ...]) -> bool:
        """Count a finished execution (or one cut: a loop, or ``max_steps``) and hand
        it to the visitor.  False: stop now."""
        stats = self.stats
        stats.executions += 1
        if ex.discarded:
            stats.discarded += 1
        if not ex.done:
            stats.cut_executions += 1
            stats.looped += ex.looping
        stop = self.visit(ex, schedule)
        if stop is not None:
            stats.stop = stop
            return False
        return True

    def spent(self) -> bool:
        """Checked between executions, when more remain: whether a budget is
        spent (then ``stats.stop`` says which)."""
        limits, stats = self.limits, self.stats
        if limits.max_executions is not None and stats.executions >= limits.max_executions:
            stats.stop = StopReason.MAX_EXECUTIONS
        elif limits.deadline is not None and time.monotonic() >= limits.deadline:
            stats.stop = StopReason.MAX_TIME
        else:
            return False
        return True


@dataclass(frozen=True)
class Option:
    """A setting of a strategy: its constructor keyword, the command line
    flag that sets it, the type, and one line of help."""

    name: str
    type: type
    default: Any
    help: str

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")


class Strategy(ABC):
    """A way of choosing schedules.  A subclass sets ``name`` (its key in
    ``checker.explore.STRATEGIES`` and ``--strategy``), lists its settings
    in ``options`` (constructor keywords, also command line flags), and
    implements ``explore``; ``coverage`` says what its executions stand for."""

    name: str = "?"
    summary: str = ""  # one line for --help
    options: tuple[Option, ...] = ()
    stats: Stats | None = None  # of the search running now, or of the last one (read after Ctrl-C)
    # True when the counterexample found must be reported as it is: it has the fewest preemptions
    # already (bounded search), or it is the very schedule asked for (replay)
    keeps_counterexample: bool = False

    def start(self, visit: Visit, limits: Limits, stats: Stats | None = None) -> Budget:
        """The bookkeeping of a new search (``explore`` begins with it)."""
        budget = Budget(visit, limits, stats)
        self.stats = budget.stats
        return budget

    @abstractmethod
    def explore(self, space: Space, visit: Visit, limits: Limits) -> Stats:
        """Run executions until done, stopped by ``visit`` or a limit
        (bookkeeping through ``Budget``)."""

    def coverage(self, stats: Stats) -> Coverage:
        """What the executions of a search that returned ``stats`` cover;
        by default, every interleaving, each run once."""
        return Coverage(Scope.ALL, Unit.INTERLEAVING, stats.kept, stats.complete)

    def describe(self) -> str:
        """The strategy and its settings, as ``--strategy`` and flags would
        give them: ``pct (depth=2, runs=1000, seed=1)``."""
        settings = ", ".join(f"{o.name}={getattr(self, o.name)!r}" for o in self.options)
        return f"{self.name} ({settings})" if settings else self.name


def check_replay(
    schedule: tuple[Choice, ...] | list[Choice],
    depth: int,
    expected_choices: tuple[Choice, ...],
    got_choices: tuple[Choice, ...],
    expected_event: tuple | None = None,
    got_event: TraceEvent | None = None,
    scenario: str = "",
) -> None:
    """Raise ``NondeterminismError`` when replaying ``schedule`` reached a
    different state at ``depth`` than the run it was recorded from."""
    if got_choices != expected_choices:
        what = f"enabled choices were {list(expected_choices)}, now {list(got_choices)}"
    elif expected_event is not None and got_event is not None and got_event.signature() != expected_event:
        what = f"step {depth + 1} (thread {got_event.thread_name}) did something different: " + _diff(
            expected_event, got_event.signature()
        )
    else:
        return
    raise NondeterminismError(
        f"scenario {scenario} is not deterministic: replaying {encode(list(schedule[: depth + 1]))} "
        f"diverged at step {depth + 1}: {what}",
        hint="a model must behave the same every time it runs a schedule: do not use random, time, "
        "id()/hash-ordered sets, or module-level state changed by earlier runs; use yield choose(...) "
        "for data nondeterminism and create all state inside the scenario",
    )


def _diff(a: tuple, b: tuple) -> str:
    names = ("thread", "alternative", "operation", "result", "footprint", "output", "end line")
    for name, x, y in zip(names, a, b):
        if x != y:
            if name == "footprint":
                return f"footprint was [{_accesses(x)}], now [{_accesses(y)}]"
            return f"{name} was {x!r}, now {y!r}"
    return "unknown difference"


def _accesses(accesses: tuple) -> str:
    return ", ".join((Access(*a) if isinstance(a, tuple) else a).describe() for a in accesses)
