"""Running a model on real CPython threads: does the model match reality?

``run_real(scenario, params, runs=...)`` runs the *same* scenario code many
times on real ``threading`` threads and tallies the outcomes, in the same
``Outcome`` form as the checker's (shared state, output, failure summary),
so the check layer can compare them with what the checker predicts
(``checker.check.fidelity``).

How a model maps onto real threads (``RealHooks`` replaces the execution's
hooks while the scenario runs):

* every primitive the model constructs is its real counterpart
  (``real_counterparts``): ``yield lock.acquire()`` calls the real
  ``acquire`` -- blocking the real thread -- and yields its result, which
  the runner sends straight back;
* each model ``Thread`` runs its step program on a real thread; ``yield
  t.join(timeout)``, ``yield sleep(secs)`` and ``yield choose(options)`` are
  performed by the runner (real join, real sleep, a random option);
* a bare ``yield`` -- and every other yield -- is a short random pause
  (``pause`` seconds at most), so the real scheduler gets a chance to
  interleave there;
* virtual seconds are ``scale`` real seconds (sleeps and every timeout);
* ``print`` is captured per thread, a line at a time;
* the run ends when every non-daemon model thread has finished (then the
  outcome is taken at once); a run whose threads have not finished after
  ``hang_after`` real seconds is a deadlock (its blocked threads are left
  behind: they are daemon threads, the process can still exit).

A run in which an ``assume`` is false is discarded, as in the checker: it
ends there and is not tallied (``RealHooks.run`` returns None).

A failure is the first uncaught exception of any thread (as in the checker);
real threads go on after it, so only the failure is comparable (the check
layer compares failing outcomes by their failure alone).  ``invariant``
predicates are checked at every yield and ``final`` ones at the end.
"""

from __future__ import annotations

import random
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from ..errors import ModelError
from ..program import context
from ..program.assume import Discarded
from ..program.choice import Choose
from ..program.operation import Operation
from ..program.scenario import Scenario
from ..program.thread import Join, Thread
from ..program.timing import Sleep
from . import failures
from .outcomes import outcome_of
from .real_counterparts import counterpart
from .trace import Failure, Outcome, unique_label


class LineOutput:
    """``sys.stdout`` during a real run: each thread's text joins the output a
    whole line at a time (``print`` writes the text and the newline
    separately); threads that are not part of the run are ignored."""

    def __init__(self, members: Callable[[], bool]) -> None:
        self.members = members
        self.lines: list[str] = []
        self.lock = threading.Lock()
        self.pending = threading.local()

    def write(self, text: str) -> int:
        if not self.members():
            return len(text)
        buf = getattr(self.pending, "text", "") + text
        if "\n" in buf:
            done, _, rest = buf.rpartition("\n")
            with self.lock:
                self.lines.append(done + "\n")
            buf = rest
        self.pending.text = buf
        return len(text)

    def flush_thread(self) -> None:
        buf = getattr(self.pending, "text", "")
        if buf:
            with self.lock:
                self.lines.append(buf)
            self.pending.text = ""

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def text(self) -> str:
        with self.lock:
            return "".join(self.lines)


_ABANDONED: list[Any] = []  # generators of left-behind threads, kept so they are never closed


class RealHooks:
    """The hooks model objects see during a real-threads run."""

    def __init__(self, scale: float, pause: float, rng: random.Random):
        self.scale, self.pause, self.rng = scale, pause, rng
        self.guard = threading.Lock()
        self.objects: list[object] = []
        self.labels: set[str] = set()
        self.by_ident: dict[int, Thread] = {}
        self.real: dict[int, threading.Thread] = {}  # id(model thread) -> real thread
        self.checks: list[tuple[str, Any, str]] = []
        self.failure: Failure | None = None
        self.discarded: str | None = None  # where a false assume() discarded the run
        self.thread_counter = 0
        self.over = False  # the run's outcome was taken: its threads must not run model code any more
        self.in_step = 0  # threads running model code now (between two yields)
        self.started = time.monotonic()
        self.output = LineOutput(lambda: threading.get_ident() in self.by_ident)
        self.register(object(), "stdout")
        self.register(object(), "clock")
        self.main = Thread._main(self)

    # -- the Hooks protocol ------------------------------------------------
    def register(self, obj: object, label: str) -> tuple[int, str]:
        with self.guard:
            unique = unique_label(label, self.labels)
            self.objects.append(obj)
            return len(self.objects) - 1, unique

    def record(self, *args: Any, **kwargs: Any) -> None:
        pass

    def current_thread(self) -> Thread:
        thread = self.by_ident.get(threading.get_ident())
        if thread is None:
            raise ModelError("a thread that is not part of this real-threads run used model objects")
        return thread

    @property
    def now(self) -> float:
        return (time.monotonic() - self.started) / self.scale

    def read_clock(self) -> float:
        return self.now

    def issued(self, op: Operation) -> int | None:
        return None

    def default_thread_name(self, target: object) -> str:
        with self.guard:
            self.thread_counter += 1
            base = f"Thread-{self.thread_counter}"
        name = getattr(target, "__name__", None)
        return f"{base} ({name})" if name else base

    def add_check(self, kind: str, predicate: Any, message: str) -> None:
        self.checks.append((kind, predicate, message))

    def discard(self, where: str | None) -> None:
        with self.guard:
            if self.discarded is None:
                self.discarded = where or "?"

    def counterpart(self, cls: type, args: tuple, kwargs: dict) -> Any:
        return counterpart(cls, args, kwargs, self.scale)

    def start_thread(self, thread: Thread) -> None:
        self._launch(thread, thread.run)

    # -- driving step programs on real threads ---------------------------------
    def _launch(self, thread: Thread, body: Callable[[], Any]) -> None:
        ready = threading.Event()

        def main() -> None:
            self.by_ident[threading.get_ident()] = thread
            ready.set()
            try:
                self._drive(thread, body)
            finally:
                self.output.flush_thread()
                thread._finished = True

        real = threading.Thread(target=main, name=thread.name, daemon=True)
        self.real[id(thread)] = real
        thread._ident = len(self.real)
        thread._index = len(self.real) - 1
        real.start()
        ready.wait()

    def _drive(self, thread: Thread, body: Callable[[], Any]) -> None:
        try:
            gen = body()
        except Discarded:
            return
        except Exception as exc:
            self._fail(failures.from_exception(exc, thread.name))
            return
        if not hasattr(gen, "send"):
            return  # a plain-function scenario body: it ran as one step
        value: Any = None
        error: BaseException | None = None
        while True:
            with self.guard:
                if self.over:  # left behind by a finished run: its model code never runs again
                    _ABANDONED.append(gen)  # (nor its finally blocks, which closing it would run)
                    return
                self.in_step += 1
            try:
                yielded = gen.throw(error) if error is not None else gen.send(value)
            except (StopIteration, Discarded):
                return
            except Exception as exc:
                self._fail(failures.from_exception(exc, thread.name))
                return
            finally:
                with self.guard:
                    self.in_step -= 1
            value, error = None, None
            if isinstance(yielded, Operation):
                try:
                    value = self._perform(yielded)
                except Exception as exc:
                    error = exc
            else:
                value = yielded  # None, or the result of a real call that already ran
            time.sleep(self.rng.random() * self.pause)  # every yield is a scheduling point
            self._check_invariants()

    def _perform(self, op: Operation) -> Any:
        if isinstance(op, Sleep):
            time.sleep(op.timeout * self.scale)  # type: ignore[operator]
            return None
        if isinstance(op, Join):
            real = self.real[id(op.thread)]
            real.join(None if op.timeout is None else op.timeout * self.scale)
            return None
        if isinstance(op, Choose):
            return op.options[self.rng.randrange(len(op.options))]
        raise ModelError(f"{op.describe()} has no real-threads counterpart")

    def _fail(self, failure: Failure) -> None:
        with self.guard:
            if self.failure is None:
                self.failure = failure

    def _check_invariants(self) -> None:
        for kind, predicate, message in self.checks:
            if kind == "invariant":
                self._holds(kind, predicate, message)

    def _holds(self, kind: str, predicate: Any, message: str) -> None:
        try:
            value = predicate()
        except Exception as exc:
            self._fail(Failure("invariant", f"{kind} check {message!r} raised {type(exc).__name__}: {exc}"))
            return
        if not value:
            label = "invariant" if kind == "invariant" else "final-state check"
            self._fail(failures.from_property(label, message, value))

    # -- one run -------------------------------------------------------------
    def run(self, scenario: Scenario, params: Mapping[str, Any], hang_after: float) -> Outcome | None:
        """The run's outcome, or None when an ``assume`` discarded it."""
        def body() -> Any:
            return scenario.func(**params)

        previous_out = sys.stdout
        previous = context.install(self)
        sys.stdout = self.output  # type: ignore[assignment]
        try:
            self._launch(self.main, body)
            end = time.monotonic() + hang_after
            while not self._all_done():
                if self.failure is not None or self.discarded is not None or time.monotonic() > end:
                    break
                time.sleep(0.0005)
            if self.discarded is not None:
                return None
            if self.failure is None and not self._all_done():
                self._fail(failures.deadlock(self._stuck()))
            if self.failure is None:
                for kind, predicate, message in self.checks:
                    if kind == "final":
                        self._holds(kind, predicate, message)
            return self.outcome()
        finally:
            self._end(hang_after)
            sys.stdout = previous_out
            context.install(previous)

    def _end(self, wait: float) -> None:
        """Stop this run's threads from running model code again, and wait
        (at most ``wait`` seconds) for those in the middle of a step: a
        left-behind thread (its run hung, or ended at a failure) must never
        run model code while the process does something else, since model
        objects reach whatever hooks are installed then -- the next run's,
        or an exploration's."""
        with self.guard:
            self.over = True
        end = time.monotonic() + wait
        while self.in_step and time.monotonic() < end:
            time.sleep(0.0005)

    def _all_done(self) -> bool:
        return all(t._finished or t.daemon or not t._started for t in self._threads())

    def _threads(self) -> list[Thread]:
        return [o for o in self.objects if isinstance(o, Thread)] + [self.main]

    def _stuck(self) -> list[tuple[str, str]]:
        return [(t.name, "did not finish") for t in self._threads() if t._started and not t._finished]

    def outcome(self) -> Outcome:
        return outcome_of(list(self.objects), self.output.text(), self.failure)


def run_real(
    scenario: Scenario,
    params: Mapping[str, Any] | None = None,
    runs: int = 100,
    timing_scale: float = 0.02,
    *,
    pause: float = 0.001,
    hang_after: float = 2.0,
    seed: int | None = None,
) -> Counter[Outcome]:
    """Run ``scenario`` ``runs`` times on real threads; count each outcome
    (runs an ``assume`` discarded are not counted).

    ``timing_scale``: real seconds per virtual second; ``pause``: the
    longest random pause at a bare ``yield``; ``hang_after``: real seconds
    after which an unfinished run counts as a deadlock; ``seed`` seeds the
    pauses and ``choose`` (real scheduling stays nondeterministic).
    """
    bound = scenario.bind(params or {})
    rng = random.Random(seed)
    tally: Counter[Outcome] = Counter()
    for _ in range(runs):
        hooks = RealHooks(timing_scale, pause, random.Random(rng.random()))
        outcome = hooks.run(scenario, bound, hang_after)
        if outcome is not None:
            tally[outcome] += 1
    return tally
