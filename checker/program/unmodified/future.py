"""``concurrent.futures.Future`` for unmodified code (``futures_module``).

CPython 3.11's ``Future`` (``concurrent/futures/_base.py``) as a
primitive: the state CPython keeps under the future's condition (its
state, result, exception and done-callbacks) is recorded as the fields
``state`` and ``callbacks``; each public call is a scheduling point and
then one atomic step, as the condition's lock makes it.  ``result`` and
``exception`` wait with ``_Until``, an operation of the checker (virtual
timeouts, deadlock reports, ``--timing any-delay``), which ``wait`` and
``as_completed`` use too: it ends when enough of its futures are done
(``_ENOUGH``: the events CPython's waiters count) or at its deadline.
A result, an exception and a done-callback are handed to other threads:
they are shared from then on (``sharing``).  Callbacks run in the thread
that completes the future (or at once when it is done), as model code.
"""

from __future__ import annotations

import concurrent.futures as _real
import itertools
import linecache
import re
from collections.abc import Callable
from typing import Any

from .. import context
from ..footprint import READ, WRITE
from ..operation import non_negative_timeout
from ..primitive import BlockingOp, Primitive
from .points import block, point
from .tracer import call_model, entry

FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED = _real.FIRST_COMPLETED, _real.FIRST_EXCEPTION, _real.ALL_COMPLETED
PENDING, RUNNING, CANCELLED, FINISHED = "PENDING", "RUNNING", "CANCELLED", "FINISHED"
NOTIFIED = "CANCELLED_AND_NOTIFIED"  # a worker saw the cancel
_CANCELLED = (CANCELLED, NOTIFIED)
_DONE = (CANCELLED, NOTIFIED, FINISHED)  # what done() says
_COMPLETED = (NOTIFIED, FINISHED)  # what wait() and as_completed() count (CPython's waiters)
_stamps = itertools.count()  # completion order (only compared within one execution)
_WITH = re.compile(r"\bas\s+(\w+)\s*:")


def _name(fallback: str) -> str:
    """The model's name for the object being made (``pool = ...``, ``with ... as pool:``)."""
    frame = context.model_frame()
    if frame is None:
        return fallback
    found = _WITH.search(linecache.getline(frame.f_code.co_filename, frame.f_lineno))
    return found.group(1) if found else context.assigned_name(frame, fallback)


def _share(value: Any) -> None:
    """``value`` is handed to another thread: shared from now on (an
    exception without its traceback, whose frames reach the checker's)."""
    sharing = getattr(context.active(), "sharing", None)
    tb = getattr(value, "__traceback__", None)
    if sharing is None:
        return
    if tb is not None:
        value.__traceback__ = None
    try:
        sharing.publish(value)
    finally:
        if tb is not None:
            value.__traceback__ = tb

class Future(Primitive):
    """``concurrent.futures.Future`` (an executor's, or made by the model)."""

    def __init__(self) -> None:
        self._register("future", name=_name("future"))
        self._state, self._result, self._exception = PENDING, None, None
        self._callbacks: list[Callable[[Future], Any]] = []
        self._stamp, self._runner, self._call = 0, None, ()

    def __hash__(self) -> int:
        return self._id  # CPython: the address; sets of futures then iterate alike in every replay

    def _describe(self) -> str:
        if self._state != FINISHED:
            return self._state[:9].lower()  # pending, running, cancelled
        if self._exception is not None:
            return f"finished raised {type(self._exception).__name__}"
        return "finished returned None" if self._result is None else f"finished returned {type(self._result).__name__}"

    def _touch_state(self, kind: str) -> None:
        self._touch("state", kind, self._describe())

    def _set(self, state: str) -> None:
        self._state, self._stamp = state, next(_stamps)
        self._touch_state(WRITE)

    def __repr__(self) -> str:
        if context.active() is not None and self._id >= 0:
            self._touch_state(READ)
        return f"<Future {self._label} state={self._describe()}>"

    def _ask(self, states: tuple[str, ...]) -> bool:
        point()
        self._touch_state(READ)
        return self._state in states

    def cancelled(self) -> bool:
        return self._ask(_CANCELLED)

    def running(self) -> bool:
        return self._ask((RUNNING,))

    def done(self) -> bool:
        return self._ask(_DONE)

    def _wait(self, timeout: float | None, call: str) -> None:
        block(_Until, [self], _ENOUGH["result"], timeout, f"{self._label}.{call}")
        if self._state in _CANCELLED:
            raise _real.CancelledError()
        if self._state != FINISHED:
            raise TimeoutError()

    def result(self, timeout: float | None = None) -> Any:
        self._wait(timeout, "result()")
        if self._exception:
            raise self._exception
        return self._result

    def exception(self, timeout: float | None = None) -> BaseException | None:
        self._wait(timeout, "exception()")
        return self._exception

    def cancel(self) -> bool:
        return point() and self._cancel()

    def _cancel(self) -> bool:
        if self._state != PENDING:
            self._touch_state(READ)
            return self._state in _CANCELLED
        self._set(CANCELLED)
        self._invoke_callbacks()
        return True

    def add_done_callback(self, fn: Callable[[Future], Any]) -> None:
        if point():
            _share(fn)
            self._touch_state(READ)
            if self._state in _DONE:
                return self._call_back(fn)
            self._callbacks.append(fn)
            self._touch("callbacks", WRITE, len(self._callbacks))

    @entry
    def _call_back(self, fn: Callable[[Future], Any]) -> None:
        try:
            call_model(fn, (self,), {})
        except Exception:  # CPython logs it (to stderr) and goes on
            pass

    def _invoke_callbacks(self) -> None:
        self._touch("callbacks", READ, len(self._callbacks))
        for fn in list(self._callbacks):
            self._call_back(fn)

    def set_running_or_notify_cancel(self) -> bool:
        return point() and self._start()

    def _start(self) -> bool:
        if self._state == CANCELLED:
            self._set(NOTIFIED)
            return False
        if self._state != PENDING:
            self._touch_state(READ)
            raise RuntimeError("Future in unexpected state")
        self._runner = context.hooks().current_thread()
        self._set(RUNNING)
        return True

    def set_result(self, result: Any) -> None:
        if point():
            self._finish(result, None)

    def set_exception(self, exception: BaseException | None) -> None:
        if point():
            self._finish(None, exception)

    def _finish(self, result: Any, exception: BaseException | None) -> None:
        if self._state in _DONE:
            self._touch_state(READ)
            raise _real.InvalidStateError(f"{self._state}: {self!r}")
        _share(result)
        _share(exception)
        self._result, self._exception = result, exception
        self._set(FINISHED)
        self._invoke_callbacks()


def _completed(f: Future) -> bool:
    return f._state in _COMPLETED


def _raised(f: Future) -> bool:
    return f._state == FINISHED and f._exception is not None


#: when a wait ends (for wait() and as_completed(): the events CPython's waiters count)
_ENOUGH: dict[str, Callable[[list[Future]], bool]] = {
    FIRST_COMPLETED: lambda fs: any(map(_completed, fs)), ALL_COMPLETED: lambda fs: all(map(_completed, fs)),
    FIRST_EXCEPTION: lambda fs: any(map(_raised, fs)) or all(map(_completed, fs)),
    "result": lambda fs: fs[0]._state in _DONE}


class _Until(BlockingOp):
    """Wait until ``enough(futures)`` or the timeout; the caller then looks
    at the futures, in the same step (``perform`` reads them all)."""

    def __init__(self, futures: list[Future], enough: Callable[[list[Future]], bool], timeout: float | None,
                 what: str) -> None:
        super().__init__()
        self.futures, self.enough, self.what = futures, enough, what
        self.timeout = non_negative_timeout(timeout)

    def ready(self) -> bool:
        return self.phase == "timed-out" or self.enough(self.futures)

    def perform(self, alt: int) -> None:
        for f in self.futures:
            f._touch_state(READ)

    def expire(self) -> object:
        self.perform(0)
        return self.time_out()

    def describe(self) -> str:
        return self.what

    def waiting_for(self) -> str:
        return f"waits in {self.what} for {', '.join(f._label for f in self.futures)}"

    def waits_on(self) -> list[Any] | None:
        runners = [f._runner for f in self.futures if f._state == RUNNING]
        return runners if len(runners) == len(self.futures) else None  # a pending one: any thread could

    def resource(self) -> str:
        return "future " + ", ".join(f._label for f in self.futures)

