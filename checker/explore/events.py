"""Events of one explored execution, and when two of them are dependent.

An ``Event`` is one transition as DPOR sees it: the choice that ran it, its
thread, its ``Footprint`` (checker.program.footprint: the single place where
location conflicts are decided) and three explore-level facts that
footprints cannot express:

* **same thread** — two steps of one thread are ordered by program order,
  and two ``choose`` alternatives of one thread exclude each other;
* **barriers** — an event dependent with *every* event.  Three kinds:
  a clock ``TICK`` (in ideal timing it is enabled only when every thread is
  blocked, a condition on all threads at once; in any-delay timing a
  thread's step can remove the last pending deadline and so disable it —
  neither shows in footprints, so the tick is ordered with everything); the
  step that ends an execution with a failure (the outcome snapshots the whole
  state, and nothing can run after it); and a step whose footprint is not
  known yet (a thread that never ran its pending operation);
* **daemon threads** — the execution ends when the last non-daemon thread
  finishes, cutting daemon threads wherever they are; so when a scenario
  has daemon threads, a step that finishes a non-daemon thread is a barrier
  too (in another order it would have ended the execution earlier);
* **invariants** — a scenario with ``invariant(...)`` checks a predicate
  after every step, whose reads are not recorded; then any two steps that
  both write are dependent, so every reachable combination of writes is a
  state some explored execution passes through.

Treating more pairs as dependent only refines the equivalence (more
classes), which is always sound; it never merges two executions that the
footprint rule tells apart.
"""

from __future__ import annotations

from ..program.footprint import Footprint, interned
from ..runtime.schedule import TICK, Choice

_UNKNOWN = Footprint()


class Event:
    """One transition of an explored execution (or a predicted one)."""

    __slots__ = ("choice", "thread", "fp", "barrier", "signature", "op_locs", "clock_read", "ends_thread")

    def __init__(
        self,
        choice: Choice,
        fp: Footprint = _UNKNOWN,
        barrier: bool = False,
        signature: tuple | None = None,
        op_locs: frozenset = frozenset(),
        clock_read: bool = False,
        ends_thread: bool = False,
    ):
        self.choice = choice
        self.thread = choice[0]
        self.fp = fp
        self.barrier = barrier
        self.signature = signature  # None for a step that has not run (its footprint is unknown)
        self.op_locs = op_locs  # locations the completed operation touched (its enabling condition)
        self.clock_read = clock_read
        self.ends_thread = ends_thread  # the step finished a non-daemon thread

    @classmethod
    def unknown(cls, choice: Choice) -> Event:
        """A step that has not run in this execution: dependent with all."""
        return cls(choice, barrier=True)

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Event({self.choice}, r={sorted(self.fp.reads)}, w={sorted(self.fp.writes)}, barrier={self.barrier})"


def _is_clock(a) -> bool:
    return a.field == "now" and a.label == "clock" and a.sync


def event_from_trace(te, failing: bool, daemon: bool = False, key: tuple | None = None) -> Event:
    """The ``Event`` of a ``TraceEvent`` (``failing``: it ended the execution
    early, see ``dpor``; ``daemon``: its thread is a daemon thread; ``key``:
    its ``signature()`` when already known, ``Execution.last_key``).
    ``op_locs`` are the locations the completed operation itself touched,
    the clock excepted: what its enabledness depended on."""
    choice = TICK if te.thread < 0 else (te.thread, te.alt)
    accesses = te.accesses
    op_locs = interned(frozenset((a.obj, a.field) for a in accesses[: te.op_accesses] if not _is_clock(a)))
    clock_read = any(_is_clock(a) and a.kind != "w" for a in accesses)
    ends = te.finished and te.thread >= 0 and not daemon
    signature = key if key is not None else te.signature()
    return Event(choice, Footprint(accesses), te.thread < 0 or failing, signature, op_locs, clock_read, ends)


class Dependence:
    """The dependency relation of one scenario run (see module docstring)."""

    __slots__ = ("writers_conflict", "daemons")

    def __init__(self, writers_conflict: bool = False, daemons: bool = False):
        self.writers_conflict = writers_conflict  # the scenario declares invariants
        self.daemons = daemons  # the scenario has daemon threads

    def is_barrier(self, e: Event) -> bool:
        return e.barrier or (self.daemons and e.ends_thread)

    def learn(self, ex) -> None:
        """Update the scenario-wide rules from an execution (monotone)."""
        self.writers_conflict = self.writers_conflict or ex.has_invariants
        self.daemons = self.daemons or any(r.thread.daemon for r in ex.runs)

    def __call__(self, a: Event, b: Event) -> bool:
        # hot: called for every pair DPOR compares, so is_barrier and
        # Footprint.conflicts are inlined (same rules)
        if a.thread == b.thread or a.barrier or b.barrier:
            return True
        if self.daemons and (a.ends_thread or b.ends_thread):
            return True
        fa, fb = a.fp, b.fp
        wa, wb = fa.writes, fb.writes
        if wa:
            if wb and (self.writers_conflict or not wa.isdisjoint(wb)):
                return True
            if not wa.isdisjoint(fb.reads):
                return True
        return bool(wb) and not wb.isdisjoint(fa.reads)
