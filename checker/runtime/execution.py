"""One execution of a scenario under a schedule chosen step by step.

``Execution`` is the runtime's whole interface to the layers above:

* ``available()`` — the choices possible now (enabled threads, alternatives
  of a ``choose``, and ``TICK`` when the timing mode lets the clock advance);
* ``step(choice)`` — run one transition and return its ``TraceEvent``;
* ``replay_step(choice, recorded, key)`` — the fast path for re-running a
  recorded step: the same transition, compared by its determinism key
  (``last_key``, equal to ``TraceEvent.signature()``), reusing the recorded
  ``TraceEvent`` instead of building a new one;
* ``done`` / ``failure`` / ``discarded`` / ``outcome()`` — how the
  execution ended (``discarded``: an ``assume`` was false, see
  ``checker.program.assume``; ``discarded_by`` says where).
* ``looping`` — a state recurred (``runtime.revisit``): the execution can
  go round a cycle forever; ``preemptions`` — switches so far away from a
  thread that could have gone on (as ``explore.bounded`` counts them).

A transition runs the thread's pending operation (only when enabled), sends
its result into the generator (for unmodified code a ``ThreadSteps``, see
``runtime.code_threads``) and runs to the next ``yield``; everything in
between is atomic.  Enabledness, effects and footprints come from the
operations (program layer); this module sequences them, keeps the virtual
clock and captures output.

An operation may need several transitions (``PENDING``): then the generator
is not resumed.  The execution ends when every non-daemon thread has
finished (daemon threads stop where they are); a deadlock is a non-daemon
thread unfinished with nothing able to run and no deadline pending.

Timing modes (DESIGN.md section 2): ``ideal``, runnable threads always run
before time advances (TICK only when no thread is enabled); ``any-delay``,
TICK whenever a deadline lies in the future, so a timeout may fire while
other threads could run (timers still expire in deadline order).
"""

from __future__ import annotations

import re
import sys
from typing import Any
from collections.abc import Callable, Hashable, Mapping

from ..errors import ModelError
from ..program import context
from ..program.assume import Discarded, outside_a_step
from ..program.footprint import READ, WRITE, Access
from ..program.operation import PENDING, Operation
from ..program.scenario import TIMINGS, Scenario
from ..program.thread import Thread
from . import failures
from .capture import StepOutput
from .code_threads import CodeThreads
from .schedule import TICK, Choice
from .state import execution_key
from .thread_run import START, ThreadRun, make_generator
from .outcomes import outcome_of
from .revisit import Revisits
from .trace import Discard, Failure, Outcome, Trace, TraceEvent, unique_label
from .visibility import Visibility
from .yields import check_yielded
from .watchdog import Heartbeat

_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
_new = tuple.__new__  # _new(Access, fields): an Access without the keyword-handling constructor
#: Label of the runtime's own cross-thread state in footprints (fields ``objects``,
#: ``thread names``, ``threads``); presentation hides its accesses.
RUNTIME = "runtime"


class Execution(CodeThreads):
    """Runs one scenario from its initial state; see the module docstring."""

    def __init__(
        self, scenario: Scenario, params: Mapping[str, Any], timing: str = "ideal", heartbeat: Heartbeat | None = None,
        *, locating: bool = False,
    ):
        if timing not in TIMINGS:
            raise ModelError(f"unknown timing mode {timing!r}", hint=f"use one of: {', '.join(TIMINGS)}")
        self.scenario = scenario
        self.params = dict(params)
        self.timing = timing
        self.now = 0.0
        self.runs: list[ThreadRun] = []
        self.trace = Trace()
        self.failure: Failure | None = None
        self.discarded_by: Discard | None = None  # the false assume() that ended the execution
        self.output: list[str] = []
        self._objects: list[object] = []
        self._labels: set[str] = set()
        self._checks: list[tuple[str, Callable[[], Any], str]] = []
        self._thread_counter = 0
        self._footprint: list[Access] | None = None  # the accesses of the running step
        self.last_key: tuple | None = None  # determinism key of the last step (see replay_step)
        self._issued: list[Operation] = []
        self._current: ThreadRun | None = None
        self._sink, self._finished_all = StepOutput(), False
        self._enabled: tuple[Choice, ...] | None = None  # available() of the current state, once computed
        # changes no footprint shows; a replay made to locate one (locating=True) does not locate again
        self._visibility = Visibility(None if locating else lambda: Execution(scenario, params, timing, locating=True))
        self._heartbeat = heartbeat  # the step budget's view of the running step (runtime.watchdog)
        self.revisits = Revisits()  # tells a loop (a state recurs) from a long execution
        self.preemptions, self._previous = 0, None  # the last choice taken
        if heartbeat is not None:
            heartbeat.scenario = scenario.name
        self.setup_code_threads(scenario)
        previous = context.install(self)
        try:
            self._stdout = self.register(object(), "stdout")[0]
            self._clock = self.register(object(), "clock")[0]
            # the state threading itself keeps across threads: which objects exist (creation order
            # decides labels), the Thread-N counter, and the start order (thread index and ident)
            self._runtime = self.register(object(), RUNTIME)[0]
            main = Thread._main(self)
        finally:
            context.install(previous)
        self._add_run(main)

    # ------------------------------------------------------------------
    # Hooks for the program layer (see checker.program.context.Hooks)
    # ------------------------------------------------------------------
    def register(self, obj: object, label: str, exact: bool = False) -> tuple[int, str]:
        unique = label if exact else unique_label(label, self._labels)
        self._objects.append(obj)
        self._touch_runtime("objects", len(self._objects))
        return len(self._objects) - 1, unique

    def _touch_runtime(self, field: str, value: Any) -> None:
        """Write the runtime's own cross-thread state (see ``RUNTIME``)."""
        fp = self._footprint
        if fp is not None:
            fp.append(_new(Access, (self._runtime, RUNTIME, field, WRITE, str(value), None, True)))

    def escape(self, value: Any, how: str) -> None:
        if self._footprint is not None and self.front is None:  # unmodified code: the tracer sees such changes
            self._visibility.escape(value, how, self.current_thread().name)

    def record(
        self, obj: int, label: str, field: str, kind: str, value: Any, line: int | None, sync: bool = True
    ) -> None:
        fp = self._footprint
        if fp is not None:
            text = value if isinstance(value, str) else repr(value)
            if " at 0x" in text:  # default reprs carry addresses that differ between replays
                text = _ADDRESS.sub("", text)
            fp.append(_new(Access, (obj, label, field, kind, text, line, sync)))

    def current_thread(self) -> Thread:
        run = self._current if self._current is not None else self.runs[0]
        return run.thread

    def default_thread_name(self, target: object) -> str:
        self._thread_counter += 1
        self._touch_runtime("thread names", self._thread_counter)
        base = f"Thread-{self._thread_counter}"
        name = getattr(target, "__name__", None)
        return f"{base} ({name})" if name else base

    def issued(self, op: Operation) -> int | None:
        if self._current is None:
            raise ModelError(
                f"{type(op).__name__} created outside a step",
                hint="blocking calls belong inside thread bodies or the scenario body",
            )
        self._issued.append(op)
        return context.model_line()

    def read_clock(self) -> float:
        """The virtual clock, recorded as a read (for deadlines set mid-wait)."""
        self.record(self._clock, "clock", "now", READ, f"{self.now:g}", None)
        return self.now

    def start_thread(self, thread: Thread) -> None:
        if self.front is None:  # unmodified code: the tracer sees what threads share
            self._visibility.thread_started(thread, self.current_thread().name, self.scenario.func)
        self._add_run(thread)
        self._touch_runtime("threads", len(self.runs))

    def add_check(self, kind: str, predicate: Callable[[], Any], message: str) -> None:
        self._checks.append((kind, predicate, message))

    def discard(self, where: str | None) -> None:
        if self._current is None:
            raise outside_a_step(where)
        if self.discarded_by is None:
            self.discarded_by = Discard(self._current.thread.name, where)

    # ------------------------------------------------------------------
    # The interface to strategies
    # ------------------------------------------------------------------
    @property
    def done(self) -> bool:
        return self.failure is not None or self._finished_all or self.discarded_by is not None

    @property
    def looping(self) -> bool:
        """A state of this execution recurred (``runtime.revisit``): it can
        go round that cycle forever, so strategies stop extending it."""
        return self.revisits.found is not None

    @property
    def discarded(self) -> bool:
        """An ``assume`` was false: the execution is neither a failure nor an outcome."""
        return self.discarded_by is not None

    def available(self) -> tuple[Choice, ...]:
        """Choices possible now, threads in start order, TICK last."""
        if self.done:
            return ()
        if self._enabled is not None:  # state changes only in step(), which clears it
            return self._enabled
        enabled: list[Choice] = []
        future = False
        now = self.now
        for run in self.runs:
            if run.finished:
                continue
            op = run.pending
            if op is START or op is None:
                enabled.append((run.index, 0))
                continue
            deadline = op.deadline
            if op.ready() or (deadline is not None and deadline <= now):
                if op.alternatives == 1:
                    enabled.append((run.index, 0))
                else:
                    enabled.extend((run.index, alt) for alt in range(op.alternatives))
            elif deadline is not None:
                future = True
        if future and (self.timing == "any-delay" or not enabled):
            enabled.append(TICK)
        self._enabled = tuple(enabled)
        return self._enabled

    def step(self, choice: Choice) -> TraceEvent:
        """Run one transition (``choice`` in ``available()``); its determinism
        key (``TraceEvent.signature()``) is left in ``last_key``."""
        return self.replay_step(choice, None, None)  # type: ignore[return-value]

    def replay_step(self, choice: Choice, recorded: TraceEvent | None, key: tuple | None) -> TraceEvent | None:
        """The fast path for re-running a step recorded earlier from this
        same state as ``recorded``, with key ``key``: the transition runs as
        in ``step`` (footprint, output, checks, visibility guard) but when
        its key equals ``key``, ``recorded`` itself goes into the trace and
        None is returned.  Otherwise (the model is nondeterministic, or no
        recording) the new full ``TraceEvent`` is appended and returned."""
        previous, self._previous = self._previous, choice
        if previous is not None and previous[0] != choice[0] and previous != TICK:  # preempted if it could go on
            self.preemptions += any(c[0] == previous[0] for c in self.available())
        self._enabled = None
        raw = self._tick() if choice == TICK else self._run_thread(self.runs[choice[0]], choice[1])
        self.last_key = (raw[1], raw[3], raw[4], raw[5], raw[7], raw[8], raw[11])  # signature(): see trace.py
        same = recorded is not None and self.last_key == key
        self.trace.events.append(event := recorded if same else TraceEvent.from_raw(raw))  # type: ignore[arg-type]
        if self.failure is None and self.discarded_by is None:
            self._after_step()
        if self.done:
            self._visibility.at_end(self.trace, self.scenario.name)
        elif len(self.trace.events) >= self.revisits.next_at:
            self.revisits.observe(len(self.trace.events), self.state_key)
        return None if same else event

    @property
    def has_invariants(self) -> bool:
        """An ``invariant`` was declared (its reads are in no footprint: never reorder writes around it)."""
        return any(kind == "invariant" for kind, _, _ in self._checks)

    def outcome(self) -> Outcome:
        return outcome_of(self._objects, "".join(self.output), self.failure)

    def state_key(self) -> Hashable | None:
        """The canonical key of the current state (see ``runtime.state``), or
        None when it cannot be computed safely."""
        threads = [
            (r.thread._id, r.finished,
             r.pending.key() if isinstance(r.pending, Operation) else ("start" if r.pending is START else None), r.gen)
            for r in self.runs
        ]
        # the Thread-N counter is state too: it names the next default-named thread
        return execution_key((self.now, self._thread_counter), self._objects, threads, "".join(self.output))

    # ------------------------------------------------------------------
    # Transitions
    # ------------------------------------------------------------------
    def _add_run(self, thread: Thread) -> None:
        run = ThreadRun(thread, len(self.runs))
        thread._index = run.index
        thread._ident = run.index + 1
        self.runs.append(run)
        self.trace.threads.append(thread._name)

    def _tick(self) -> tuple:
        deadlines = [
            r.pending.deadline
            for r in self.runs
            if not r.finished and isinstance(r.pending, Operation) and r.pending.deadline is not None
            and r.pending.deadline > self.now
        ]
        before, self.now = self.now, min(deadlines)
        access = _new(Access, (self._clock, "clock", "now", WRITE, f"{self.now:g}", None, True))
        return (
            len(self.trace.events), -1, "clock", 0, f"clock {before:g} -> {self.now:g}", "", False,
            (access,), "", "", None, None, self.now, False, 0, "",
        )

    def _run_thread(self, run: ThreadRun, alt: int) -> tuple:
        """Run one thread's transition; returns ``TraceEvent``'s fields."""
        footprint: list[tuple] = []
        self._footprint = footprint
        self._current = run
        self._issued = []
        start_line = run.line
        op = run.pending
        send: Any = None
        throw: BaseException | None = None
        timed_out = False
        operation = ""
        previous = context.install(self)
        hb = self._heartbeat
        if hb is not None:
            hb.serial += 1
            hb.run = run
        saved_stdout, sys.stdout = sys.stdout, self._sink  # what the step prints becomes part of it
        try:
            if op is START:
                operation = "start"
                run.thread._touch(READ, "started")
                run.gen = make_generator(run, self.scenario, self.params)
                self.adopt(run)
                code = getattr(run.gen, "gi_code", None)
                run.file = code.co_filename if code else ""
                start_line = code.co_firstlineno if code else None
            elif op is not None:
                operation = op.describe()
                try:  # a Barrier action or wait_for predicate may print
                    if op.ready():
                        send = op.perform(alt)
                    else:
                        timed_out = True
                        self.record(self._clock, "clock", "now", READ, f"{self.now:g}", None)
                        send = op.expire()
                except (Exception, Discarded) as exc:  # raised in the thread, like CPython (or assume() in a predicate)
                    throw = exc
            op_accesses = len(footprint)
            if send is PENDING and throw is None:  # next phase of a multi-step operation: still blocked
                result = ""
            else:
                result = "" if op is START or op is None or throw is not None else repr(send)
                self._resume(run, send, throw)
        finally:
            sys.stdout = saved_stdout
            context.install(previous)
            self._current = None
            self._footprint = None
        if hb is not None:
            hb.run = None  # left set when the step raised: an interrupt then says where it was
        if self.discarded_by is not None:
            self.failure = None  # what ran after a false assume() (a finally: that raised) is not part of it
        raised = ""
        if self.failure is not None and self.failure.kind in ("exception", "assertion"):
            raised = f"{self.failure.exception}: {self.failure.message}"
        if self._visibility.watch.entries:  # (what after_step checks first; spares the call on most steps)
            self._visibility.after_step(self.trace, (run.index, alt), run.thread.name,
                                        f"{run.file}:{run.line or start_line}")
        output = self._sink.take()
        if output:
            footprint.append(_new(Access, (self._stdout, "stdout", "text", WRITE, output, run.line, True)))
            self.output.append(output)
        return (
            len(self.trace.events), run.index, run.thread.name, alt, operation, result, timed_out,
            tuple(footprint), output, run.file, start_line, run.line, self.now, run.finished, op_accesses, raised,
        )

    def _resume(self, run: ThreadRun, send: Any, throw: BaseException | None) -> None:
        """Run ``run``'s generator to its next yield (or its end)."""
        gen = run.gen
        try:  # sys.stdout is the step's sink (_run_thread)
            yielded = gen.throw(throw) if throw is not None else gen.send(send)
        except StopIteration:
            self._finish(run)
            return
        except Discarded:  # the thread stays unfinished: the step ended the execution early
            return
        except ModelError:
            raise
        except Exception as exc:
            self._note_line(run)
            if run.index == 0 and run.pending is START:
                raise failures.setup_error(self.scenario.name, exc) from None
            self.failure = failures.from_exception(exc, run.thread.name)
            run.finished = True
            return
        self._note_line(run)
        self._accept_yield(run, yielded)

    def _note_line(self, run: ThreadRun) -> None:
        frame = getattr(run.gen, "gi_frame", None)
        if frame is not None:
            run.line = frame.f_lineno

    def _finish(self, run: ThreadRun) -> None:
        run.finished = True
        run.pending = None
        run.thread._finished = True
        run.thread._touch(WRITE, "finished")
        check_yielded(self._issued, run, None)

    def _accept_yield(self, run: ThreadRun, yielded: Any) -> None:
        check_yielded(self._issued, run, yielded)
        if yielded is None:
            run.pending = None
            return
        if yielded.timeout is not None:
            yielded.deadline = self.now + yielded.timeout
            self.record(self._clock, "clock", "now", READ, f"{self.now:g}", run.line)
        run.pending = yielded

    def _after_step(self) -> None:
        for kind, predicate, message in self._checks:
            if kind == "invariant" and not self._holds(kind, predicate, message):
                return
        for r in self.runs:
            if not r.finished and not r.thread.daemon:
                if not self.available():
                    self.failure = failures.deadlock_of(self.runs)
                return
        for kind, predicate, message in self._checks:  # every non-daemon thread finished (daemons stop at exit)
            if kind == "final" and not self._holds(kind, predicate, message):
                return
        self._finished_all = True

    def _holds(self, kind: str, predicate: Callable[[], Any], message: str) -> bool:
        """Evaluate a property; its reads are not part of any footprint."""
        previous = context.install(self)  # self._footprint is None: nothing recorded
        try:
            value = predicate()
        except ModelError:
            raise
        except Exception as exc:
            self.failure = Failure("invariant", f"{kind} check {message!r} raised {type(exc).__name__}: {exc}")
            return False
        finally:
            context.install(previous)
        if not value:
            label = "invariant" if kind == "invariant" else "final-state check"
            self.failure = failures.from_property(label, message, value)
            return False
        return True

