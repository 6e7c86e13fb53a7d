"""The interface every exploration strategy implements.

A strategy decides which schedules to run; it never touches model state.  It
sees a ``Space`` (a factory of fresh executions of one scenario) and reports
each finished execution to a ``visit`` callback, which returns False to stop
(the check layer stops at the first violation unless asked for every
outcome).  Limits bound the work; hitting one makes the exploration
incomplete, which the strategy reports in its ``Stats``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Protocol
from collections.abc import Callable

from ..errors import NondeterminismError
from ..program.footprint import Access
from ..runtime.execution import Execution
from ..runtime.schedule import Choice, encode
from ..runtime.trace import TraceEvent


class Space(Protocol):
    def new(self) -> Execution:
        """A fresh execution of the scenario, in its initial state."""


Visit = Callable[[Execution, tuple[Choice, ...]], bool]


@dataclass(frozen=True)
class Limits:
    """``max_executions``: stop after this many executions (None: no limit).
    ``max_steps``: cut any execution longer than this (an unbounded loop).
    ``step_timeout``: seconds one step may run (None: no budget; enforced
    by the check layer's ``runtime.watchdog``, not by strategies)."""

    max_executions: int | None = None
    max_steps: int = 10_000
    step_timeout: float | None = None


@dataclass
class Stats:
    executions: int = 0
    transitions: int = 0
    complete: bool = True
    cut_executions: int = 0  # executions stopped by max_steps
    stopped_early: bool = False  # visit asked to stop (e.g. first violation)
    limit_hit: str | None = None  # which limit made the exploration incomplete
    # Reductions (None where a strategy does not use them):
    classes: int | None = None  # DPOR: equivalence classes of interleavings covered (one execution each)
    states_visited: int | None = None  # state caching: distinct states reached
    pruned: int = 0  # state caching: paths cut at an already visited state (not executions)
    unkeyable: int = 0  # state caching: states without a key (treated as new)
    sleep_blocked: int = 0  # DPOR: runs stopped because every enabled choice was asleep (not executions)
    abandoned: int = 0  # DPOR: predicted branches that turned out not executable (not executions)
    insertions: int = 0  # DPOR: sequences added to wakeup trees


class Strategy(ABC):
    name: str = "?"

    @abstractmethod
    def explore(self, space: Space, visit: Visit, limits: Limits) -> Stats:
        """Run executions until done, stopped by ``visit`` or a limit."""


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
