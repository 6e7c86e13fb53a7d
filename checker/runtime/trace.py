"""The trace: plain data describing one execution, step by step.

Nothing here refers to runtime objects, so traces can be compared across
replays, stored as JSON and rendered (tables, graphs) by the presentation
layer without importing the engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from ..program.footprint import Access


def unique_label(label: str, taken: set[str]) -> str:
    """``label``, or ``label#2``, ``label#3``, ... whichever is not in
    ``taken``; the result is added to ``taken``.  Labels name objects in
    traces, so two objects never share one."""
    unique, n = label, 1
    while unique in taken:
        n += 1
        unique = f"{label}#{n}"
    taken.add(unique)
    return unique


@dataclass(frozen=True)
class TraceEvent:
    """One transition.

    ``thread`` is the thread's index (0 is the scenario body, ``-1`` a clock
    tick), ``operation`` the yielded operation this step completed ("" when
    the step resumed from a bare ``yield``, "start" for a thread's first
    step), ``result`` the repr of the value sent back, ``timed_out`` whether
    the operation completed by its deadline passing.  ``line`` is where the
    step began (the yield it resumed from), ``end_line`` where it stopped
    (the next yield, or the last line run).  ``output`` is what the step
    printed; ``accesses`` its footprint in order, the first ``op_accesses``
    of them made by the operation itself (the rest by the code that ran).
    ``raised`` is "Type: message" when the step ended by an uncaught
    exception (the failing step of an "exception"/"assertion" violation).
    """

    index: int
    thread: int
    thread_name: str
    alt: int
    operation: str
    result: str
    timed_out: bool
    accesses: tuple[Access, ...]
    output: str
    file: str
    line: int | None
    end_line: int | None
    clock: float
    finished: bool = False
    op_accesses: int = 0
    raised: str = ""

    @property
    def is_tick(self) -> bool:
        return self.thread < 0

    def signature(self) -> tuple:
        """What a replay of the same schedule must reproduce exactly (the
        determinism key, which the runtime computes without building the
        record: ``Execution.last_key``)."""
        return (self.thread, self.alt, self.operation, self.result, self.accesses, self.output, self.end_line)

    @classmethod
    def from_raw(cls, raw: tuple) -> TraceEvent:
        """The event of a transition's fields in order (what ``Execution``
        collects while a step runs).  Built without the frozen dataclass's
        field-by-field ``__init__``: one is made for every new step."""
        event = object.__new__(cls)
        event.__dict__.update(zip(_FIELDS, raw))
        return event


_FIELDS = tuple(f.name for f in fields(TraceEvent))  # the order of Execution._run_thread's raw tuple


@dataclass(frozen=True)
class Failure:
    """Why an execution violates a property.

    ``kind`` is "assertion", "exception", "deadlock" or "invariant";
    ``where`` a ``file:line`` in the model; ``traceback`` the model's own
    frames as text lines; ``waits`` (deadlock) maps thread name to what it
    waits for; ``cycle`` (deadlock) is the wait-for cycle as (thread,
    resource) pairs, each resource awaited from the next pair's thread (see
    ``failures.wait_cycle``), empty when the blocked threads form no cycle.
    """

    kind: str
    message: str
    thread: str | None = None
    where: str | None = None
    exception: str | None = None
    traceback: tuple[str, ...] = ()
    waits: tuple[tuple[str, str], ...] = ()
    cycle: tuple[tuple[str, str], ...] = ()

    def cycle_text(self) -> str:
        """The wait-for cycle as ``a -> lock second -> b -> lock first -> a``
        ("" when there is none)."""
        if not self.cycle:
            return ""
        return " -> ".join(f"{t} -> {r}" for t, r in self.cycle) + f" -> {self.cycle[0][0]}"

    def summary(self) -> str:
        if self.kind == "deadlock":
            return f"deadlock: {self.message}"
        if self.kind == "exception":
            return f"uncaught {self.exception} in thread {self.thread}: {self.message}"
        if self.kind == "assertion":
            return f"assertion failed in thread {self.thread}: {self.message}"
        return f"invariant violated: {self.message}"


def location(label: str, field: str) -> str:
    """The name of a shared location as traces print it: ``counter.value``
    for an attribute, ``cache.['k']`` for a ``SharedDict`` key."""
    return f"{label}.{field}"


@dataclass(frozen=True)
class Discard:
    """Why an execution was discarded: ``assume()`` found its condition
    false in thread ``thread`` at ``where`` (``file:line``)."""

    thread: str
    where: str | None = None

    def summary(self) -> str:
        at = f" at {self.where}" if self.where else ""
        return f"discarded: assume() was false in thread {self.thread}{at}"


@dataclass(frozen=True)
class Outcome:
    """What an execution ends in: final shared state, output and failure.

    ``state`` lists each shared object (creation order) with its sorted
    ``(attribute, repr)`` pairs.  Two executions with equal outcomes are
    indistinguishable to the user: equality and hashing use ``state``,
    ``output`` and ``failure`` only.

    ``values`` maps each location, named as traces print it (``location``:
    ``"counter.value"``, ``"cache.['k']"``), to its Python value when the
    execution ended: a copy taken then (``runtime.outcomes``: checker
    objects such as a ``Lock`` stored in an attribute stay themselves), so
    nothing that runs later changes it.  It takes no part in equality: two
    equal outcomes have values with equal reprs.  Empty for an outcome made
    without values (``Outcome(state, output)``).
    """

    state: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
    output: str
    failure: str | None = None
    values: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def describe_state(self) -> str:
        return "; ".join(f"{label}({', '.join(f'{k}={v}' for k, v in fields)})" for label, fields in self.state)


@dataclass
class Trace:
    """The events of one execution plus the thread names by index."""

    threads: list[str] = field(default_factory=list)
    events: list[TraceEvent] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.events)

    def __iter__(self):
        return iter(self.events)
