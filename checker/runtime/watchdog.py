"""The step budget: a step that runs too long is stopped with an error.

A step runs model code up to its next ``yield``; a loop without a ``yield``
(``while not flag: pass``) or a real ``threading`` primitive that blocks
(``threading.Lock().acquire()`` taken by two model threads, which all run on
the checker's one OS thread) would otherwise hang the checker forever.

``Watchdog`` is a context manager around an exploration.  Executions report
each step to its ``Heartbeat`` (two attribute writes per step); a
background thread wakes a few times per budget and, when one step has run
longer than the budget, interrupts it:

* on the main thread, with a signal (``SIGUSR1``) whose handler raises
  ``StepInterrupted`` -- this also interrupts a blocked real lock, since
  CPython runs signal handlers while a lock wait is interrupted.  The
  handler is installed once and stays: it raises only while a watchdog has
  fired and otherwise passes the signal to the handler that was there
  before (a late signal never meets the default action, which would end
  the process);
* on any other thread, with ``PyThreadState_SetAsyncExc``, after
  releasing the real locks the stuck frames hold references to (so a
  blocked ``acquire`` returns and the exception is raised).

Either interrupt is sent again while the same step still runs, because an
exception raised inside a garbage-collector callback is swallowed by
CPython.  Time when the watching thread itself did not run on time (the
process or the machine was suspended or starved) does not count towards the
budget, so a paused laptop or an overloaded CI machine does not turn a
normal step into a "stuck" one.

Leaving the ``with`` block then turns ``StepInterrupted`` into a
``ModelError`` naming the scenario, the model thread, the ``file:line``
where it was stuck and, for a real primitive, the checker counterpart.  A
``KeyboardInterrupt`` during a step gets the same description as its
``step`` attribute.
"""

from __future__ import annotations

import ctypes
import linecache
import queue
import signal
import sys
import sysconfig
import threading
import time
import _thread
from typing import Any

from ..errors import ModelError
from .watch import real_name, real_primitive

DEFAULT_STEP_TIMEOUT = 5.0
_PACKAGE_DIR = __file__.rsplit("/runtime/", 1)[0]
_THREADING_FILES = {threading.__file__, queue.__file__}
# installed libraries and the standard library: a frame there is the model's only when no frame of
# the user's own files is on the stack (a gc callback a library registered runs on top of any step)
_LIBRARY_DIRS = tuple(sorted({sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib", "purelib", "platlib")}))


class StepInterrupted(BaseException):
    """Raised into a step that ran past its budget (never caught by
    ``except Exception`` in model code)."""


class Heartbeat:
    """The step running now: ``run`` (a ``ThreadRun``) of ``scenario``, or
    None between steps; ``serial`` counts steps."""

    __slots__ = ("serial", "run", "scenario")

    def __init__(self) -> None:
        self.serial = 0
        self.run: Any = None
        self.scenario = ""


class Watchdog:
    """See the module docstring.  ``timeout`` None or 0: no budget."""

    def __init__(self, timeout: float | None):
        self.timeout = timeout or None
        self.heartbeat = Heartbeat()
        self.error: ModelError | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._target = threading.get_ident()
        self._on_main = threading.current_thread() is threading.main_thread()

    def __enter__(self) -> Watchdog:
        if self.timeout is None:
            return self
        if self._on_main:
            _install_handler()
        self._thread = threading.Thread(target=self._watch, name="checker-step-watchdog", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, kind: Any, exc: Any, tb: Any) -> None:
        self._stop.set()
        if self._thread is not None:
            try:
                self._thread.join()
            except StepInterrupted:  # delivered just as the step ended
                kind = StepInterrupted
        _FIRED.discard(self._target)
        if not self._on_main and self.error is not None:  # drop an interrupt not delivered yet
            _drain_async(self._target)
        if kind is not None and issubclass(kind, StepInterrupted) and self.error is not None:
            raise self.error from None
        if kind is not None and issubclass(kind, KeyboardInterrupt) and self.heartbeat.run is not None:
            exc.step = describe_step(self.heartbeat, tb)

    # -- the watching thread ------------------------------------------------
    def _watch(self) -> None:
        assert self.timeout is not None
        hb = self.heartbeat
        poll = min(self.timeout / 4, 0.5)
        seen, stalled, last = -1, 0.0, time.monotonic()
        while not self._stop.wait(poll):
            now = time.monotonic()
            # a poll that came far too late means this process (or the machine) was not running --
            # suspended, starved -- and that time is nobody's step: count at most two polls' worth
            elapsed, last = min(now - last, 2 * poll), now
            if hb.run is None or hb.serial != seen:
                seen, stalled = hb.serial, 0.0
                continue
            stalled += elapsed
            if stalled >= self.timeout:
                try:
                    self.error = stuck_error(hb, _stuck_frame(hb, self._target), self.timeout)
                except Exception as exc:  # never leave a stuck step unreported
                    self.error = ModelError(f"a step of scenario {hb.scenario} ran for more than {self.timeout:g} s "
                                            f"(and describing where failed: {exc!r})")
                self._interrupt()
                # again while the same step still runs: the model (or a gc callback it triggered) may
                # have swallowed the interrupt; a late one raises StepInterrupted inside the ``with``
                # block, which __exit__ turns into the same error
                stalled = 0.0

    def _interrupt(self) -> None:
        frame = sys._current_frames().get(self._target)
        if self._on_main:
            _FIRED.add(self._target)
            signal.pthread_kill(self._target, signal.SIGUSR1)
            return
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self._target), ctypes.py_object(StepInterrupted))
        for lock in _real_locks(frame):
            try:
                lock.release()
            except RuntimeError:
                pass


class _Drained(BaseException):
    """Delivered to the watched thread to take back an undelivered interrupt."""


def _drain_async(target: int) -> None:
    """Replace an interrupt not delivered yet with one that is caught here.

    (Setting no exception, ``SetAsyncExc(id, NULL)``, would leave CPython's
    interpreter-wide "async exception pending" signal set, since only the
    delivery of one clears it; on 3.11 traced code then never gets past its
    next instruction, in any thread.)  Runs on ``target`` itself."""
    try:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), ctypes.py_object(_Drained))
        for _ in range(100):  # loop back-edges check the eval breaker: it is delivered here
            pass
    except _Drained:
        pass


def _stuck_frame(hb: Heartbeat, target: int) -> Any:
    """Where the running step is: the checker's thread, or for unmodified
    code the model thread's own OS thread (``runtime.real_steps``)."""
    frames = sys._current_frames()
    body = getattr(getattr(hb.run, "gen", None), "_ident", None)
    return frames.get(body) if body in frames else frames.get(target)


_FIRED: set[int] = set()  # threads a watchdog is interrupting now
_previous_handler: Any = None
_installed = False


def _install_handler() -> None:
    global _installed, _previous_handler
    if not _installed:
        _previous_handler = signal.signal(signal.SIGUSR1, _on_signal)
        _installed = True


def _on_signal(signum: int, frame: Any) -> None:
    if threading.get_ident() in _FIRED:
        raise StepInterrupted()
    if callable(_previous_handler):
        _previous_handler(signum, frame)


def _model_frame(frame: Any) -> Any:
    """The innermost frame of model code: not the checker's, not the
    standard library's ``threading``/``queue``, and not an installed
    library's unless no frame of the user's own files is on the stack (a
    garbage-collector callback registered by a library, such as a test
    framework's timing hook, may be what runs at the instant the step is
    sampled)."""
    fallback = None
    while frame is not None:
        name = frame.f_code.co_filename
        generated = name.startswith("<") and not name.startswith("<ipython")  # dataclass methods, exec'd code
        if not name.startswith(_PACKAGE_DIR) and name not in _THREADING_FILES and not generated:
            if not name.startswith(_LIBRARY_DIRS):
                return frame
            fallback = fallback or frame
        frame = frame.f_back
    return fallback


def _blocking_real(frame: Any) -> str | None:
    """The real primitive a stuck thread waits in, as "threading.Lock", or None."""
    model = _model_frame(frame)
    inner, outermost = frame, None
    while inner is not None and inner is not model:  # the threading/queue call the model line made
        if inner.f_code.co_filename in _THREADING_FILES:  # (Event.wait, not the Condition.wait inside it)
            owner = inner.f_locals.get("self")
            if owner is not None and real_primitive(owner):
                outermost = owner
        inner = inner.f_back
    if outermost is not None:
        return real_name(outermost)
    for value in _near_values(model):
        if real_primitive(value) and (not hasattr(value, "locked") or value.locked()):
            return real_name(value)
    return None


def _near_values(frame: Any) -> list[Any]:
    """The locals of ``frame``, their attributes and items: where the real
    object a stuck line calls is most likely to be found.  Model objects
    are not looked into: this runs on the watchdog's thread while the step
    runs, and any access to them would be recorded in the step."""
    if frame is None:
        return []
    out = []
    for value in frame.f_locals.values():
        out.append(value)
        t = type(value)
        if getattr(t, "_checker_object", False) or isinstance(value, (type, threading.Thread)):
            continue
        if t is list or t is tuple:
            out.extend(value)
            continue
        try:
            state = object.__getattribute__(value, "__dict__")
        except AttributeError:
            continue
        if type(state) is dict:
            out.extend(state.values())
    return out


def _real_locks(frame: Any) -> list[Any]:
    """Locked real locks the stuck model line may wait on: in the frames from
    the innermost one to the model's own (never beyond it: the frames that
    called the checker hold locks of their own, like a thread's state lock)."""
    model = _model_frame(frame)
    found = []
    while frame is not None:
        values = _near_values(frame) if frame is model else list(frame.f_locals.values())
        found.extend(v for v in values if isinstance(v, _thread.LockType) and v.locked())
        if frame is model:
            break
        frame = frame.f_back
    return found


def describe_step(hb: Heartbeat, frame_or_tb: Any = None) -> str:
    """``thread t of scenario s at file:line: source``."""
    run = hb.run
    frame = getattr(frame_or_tb, "tb_frame", frame_or_tb)
    if frame_or_tb is not None and hasattr(frame_or_tb, "tb_next"):
        tb = frame_or_tb
        while tb.tb_next is not None:
            tb = tb.tb_next
        frame = tb.tb_frame
    model = _model_frame(frame)
    where = f"{model.f_code.co_filename}:{model.f_lineno}" if model is not None else f"{run.file}:{run.line}"
    code = linecache.getline(model.f_code.co_filename, model.f_lineno).strip() if model is not None else ""
    return f"thread {run.thread.name} of scenario {hb.scenario} at {where}" + (f": {code}" if code else "")


def stuck_error(hb: Heartbeat, frame: Any, timeout: float) -> ModelError:
    model = _model_frame(frame)
    real = _blocking_real(frame) if frame is not None else None
    where = f"{model.f_code.co_filename}:{model.f_lineno}" if model is not None else None
    what = describe_step(hb, frame)
    if real is not None:
        counterpart = real_counterpart_of(real)
        return ModelError(
            f"{what} waits in a real {real}, which blocks the checker's own thread (model threads all run "
            "on it, so no other thread can ever release it)",
            where=where,
            hint=f"use {counterpart} from checker and yield its blocking calls (`yield lock.acquire()`)",
        )
    if getattr(getattr(hb.run, "gen", None), "_ident", None) is not None:  # unmodified code (runtime.real_steps)
        return ModelError(
            f"{what} ran one step for more than {timeout:g} s without touching anything another thread can see",
            where=where,
            hint="a loop that touches only its own variables never lets another thread run; raise the budget "
            "with @scenario(step_timeout=...) or --step-timeout if the step is just slow")
    return ModelError(
        f"{what} ran one step for more than {timeout:g} s without reaching a `yield`",
        where=where,
        hint="a loop that waits for another thread must yield in its body (`while not flag.value: yield`); "
        "raise the budget with @scenario(step_timeout=...) or --step-timeout if the step is just slow",
    )


def real_counterpart_of(display: str) -> str:
    """``threading.Event`` -> ``checker.Event``."""
    return "checker." + display.rsplit(".", 1)[-1].replace("SimpleQueue", "Queue")
