"""``ThreadSteps``: a model thread that runs ordinary code on an OS thread,
driven exactly like a step program's generator.

``Execution`` drives a thread with ``send(value)`` / ``throw(exc)`` and gets
back what the thread "yielded" at its next scheduling point: an
``Operation`` to wait for, or None for a plain scheduling point.  It gets
``StopIteration`` when the thread's body returned and the body's exception
when it raised.  ``ThreadSteps`` gives ordinary code (unmodified
``threading`` code, ``checker.program.unmodified``) that interface:

* the body runs on its own OS thread, but only while the execution's
  thread waits for it: ``send`` hands the baton over (the *go* lock) and
  blocks on the *back* lock until the body reaches ``park`` (a scheduling
  point) or ends.  Only one of the two ever runs, so the program layer's
  module-level hooks stay race-free;
* ``park(op)`` is called on the body's thread (through ``Hooks.block``):
  it hands ``op`` back as the yielded value and returns what the next
  ``send`` brings, or raises what ``throw`` brings;
* ``gi_frame`` is the frame the body is parked in (the user's code: its
  ``f_lineno`` is the line a trace shows), ``gi_code`` the body's code;
* ``close()`` abandons a parked body: ``ThreadAbandoned`` (a
  ``BaseException``) is raised at its parking point so its ``finally:``
  blocks run, with ``abandoning`` set so that counterparts and the tracer
  do nothing while it unwinds; then the OS thread ends.  When an
  execution is dropped, its parked bodies are queued (``abandon_later``)
  and closed before the next execution starts (``close_abandoned``).

``tracer`` is installed with ``sys.settrace`` on the body's thread only.
"""

from __future__ import annotations

import ctypes
import gc
import sys
import _thread
from collections.abc import Callable
from types import CodeType, FrameType
from typing import Any

from ..program.context import ThreadAbandoned, unwinding
from ..program.unmodified.tracer import entry, refusals

#: How long ``close`` waits for an abandoned body to unwind (seconds).
UNWIND_SECONDS = 5.0

_by_ident: dict[int, ThreadSteps] = {}
_TAKEN = ("taken", None)


def current_steps() -> ThreadSteps | None:
    """The ``ThreadSteps`` whose body runs on the calling OS thread."""
    return _by_ident.get(_thread.get_ident())


class ThreadSteps:
    """See the module docstring."""

    def __init__(self, body: Callable[[], Any], code: CodeType | None, tracer: Any = None, name: str = ""):
        self._body = body
        self._tracer = tracer
        self.gi_code = code
        self.gi_frame: FrameType | None = None
        self.name = name
        self.abandoning = False
        self.started = False
        self.ended = False
        self._go = _thread.allocate_lock()
        self._go.acquire()
        self._back = _thread.allocate_lock()
        self._back.acquire()
        self._inbox: tuple[str, Any] = ("send", None)
        self._outbox: tuple[str, Any] = ("return", None)
        self._ident: int | None = None

    # -- the generator interface (called by the execution's thread) ------------
    def send(self, value: Any) -> Any:
        return self._switch(("send", value))

    def throw(self, exc: BaseException) -> Any:
        return self._switch(("throw", exc))

    def close(self) -> None:
        """Abandon the body if it is parked (see the module docstring)."""
        if not self.started or self.ended:
            self.ended = True
            return
        self._abandon()
        self._inbox = ("throw", ThreadAbandoned())
        self._go.release()
        self._back.acquire(timeout=UNWIND_SECONDS)  # a body that will not unwind is left to the process's exit
        self.ended = True

    def _switch(self, message: tuple[str, Any]) -> Any:
        if self.ended:
            raise StopIteration
        self._inbox = message
        if not self.started:
            self.started = True
            _thread.start_new_thread(self._main, ())
        collecting = gc.isenabled()
        gc.disable()  # no collection (and no finalizer of the checker's) runs on the body's thread, traced
        self._go.release()
        try:
            self._back.acquire()
        except BaseException:  # interrupted while the body runs (a stuck step, Ctrl-C): stop the body too
            self._interrupt()
            self._back.acquire(timeout=UNWIND_SECONDS)
            self.ended = True
            raise
        finally:
            if collecting:
                gc.enable()
        (kind, payload), self._outbox = self._outbox, _TAKEN  # keep no exception: its traceback holds the execution
        if kind != "yield":
            self.ended = True
        refused = refusals.pop(self._ident, None) if refusals else None  # type: ignore[arg-type]
        if refused is not None:  # the tracer met something it cannot follow: the execution stops here
            raise refused
        if kind == "yield":
            return payload
        if kind == "raise":
            raise payload
        raise StopIteration

    def _abandon(self) -> None:
        self.abandoning = True
        if self._ident is not None:
            unwinding.add(self._ident)

    def _interrupt(self) -> None:
        self._abandon()
        if self._ident is not None:
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self._ident), ctypes.py_object(ThreadAbandoned))

    # -- the body's side (its own OS thread) -----------------------------------
    @entry  # the body it calls (a thread's run(), the scenario) is the model's code
    def _main(self) -> None:
        self._ident = _thread.get_ident()
        unwinding.discard(self._ident)  # a new OS thread may reuse the ident of one that unwound
        _by_ident[self._ident] = self
        self._go.acquire()
        try:
            kind, payload = self._inbox
            if kind == "throw":
                raise payload
            if self._tracer is not None:
                sys.settrace(self._tracer)
            try:
                self._body()
            finally:
                sys.settrace(None)
            self._outbox = ("return", None)
        except ThreadAbandoned:
            self._outbox = ("return", None)
        except SystemExit:  # CPython: sys.exit() in a thread ends that thread quietly (the main thread too, here)
            self._outbox = ("return", None)
        except Exception as exc:  # the execution reports it, as for a generator
            self._outbox = ("raise", exc)
        except BaseException as exc:  # KeyboardInterrupt, GeneratorExit raised by the model: its failure, not ours
            failure = RuntimeError(f"{type(exc).__name__} raised in a model thread")
            failure.__cause__ = exc
            self._outbox = ("raise", failure.with_traceback(exc.__traceback__))
        finally:
            _by_ident.pop(self._ident, None)
            unwinding.discard(self._ident)
            self.gi_frame = None
            self._back.release()

    def park(self, yielded: Any, frame: FrameType | None) -> Any:
        """A scheduling point: hand ``yielded`` to the execution and wait for
        the next step (on the body's thread).  ``frame`` is the user's frame
        parked here."""
        if self.abandoning:
            raise ThreadAbandoned()
        self.gi_frame = frame
        self._outbox = ("yield", yielded)
        self._back.release()
        self._go.acquire()
        (kind, payload), self._inbox = self._inbox, _TAKEN
        if kind == "throw":
            raise payload
        return payload


_abandoned: list[ThreadSteps] = []


def abandon_later(steps: list[ThreadSteps]) -> None:
    """Queue the parked bodies of a dropped execution (a finalizer may run
    in any thread, even during another execution's step, where unwinding a
    body could print into that step); ``close_abandoned`` closes them."""
    _abandoned.extend(s for s in steps if s.started and not s.ended)


def close_abandoned() -> None:
    """Close the queued bodies (between executions, on the checker's
    thread); what they print while unwinding goes nowhere."""
    while _abandoned:
        batch = list(_abandoned)
        _abandoned.clear()
        saved, sys.stdout = sys.stdout, _Discard()
        try:
            for s in batch:
                if not s.ended:
                    s.close()
        finally:
            sys.stdout = saved


class _Discard:
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


def active_bodies() -> int:
    """OS threads running or parked bodies now (for tests and leaks)."""
    return len(_by_ident)
