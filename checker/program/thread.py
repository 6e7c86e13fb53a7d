"""``Thread`` and ``current_thread``: CPython's thread API over step programs.

A thread's target must be a generator function (each ``yield`` ends an atomic
step).  ``start()`` is immediate; ``join()`` returns an operation to yield.
Names follow CPython: ``Thread-N (target)`` unless given, ``MainThread`` for
the scenario body.  Footprint: start, finishing and ``is_alive``/``join``
access the thread's field ``state``; ``ident`` reads it too (it is set by
``start``); ``name`` reads and writes the field ``name``.  Other attributes
of a thread (a subclass's own) are handed to the thread at ``start()`` and
may not be assigned after it: no footprint would show that change.
"""

from __future__ import annotations

import inspect
import warnings
from typing import Any
from collections.abc import Callable, Iterable, Mapping

from ..errors import ModelError
from . import context
from .footprint import READ, WRITE
from .operation import Operation, non_negative_timeout


def describe_callable(fn: object) -> str:
    code = getattr(fn, "__code__", None)
    where = f" ({code.co_filename}:{code.co_firstlineno})" if code else ""
    return f"{getattr(fn, '__qualname__', repr(fn))}{where}"


class Thread:
    """A model thread.  Mirrors ``threading.Thread``'s constructor."""

    _checker_object = True
    #: The body is a step program (a generator).  ``program.unmodified``'s
    #: ``threading.Thread`` runs ordinary code instead (on its own OS thread).
    _steps = True

    def __init__(
        self,
        group: None = None,
        target: Callable[..., Any] | None = None,
        name: str | None = None,
        args: Iterable[Any] = (),
        kwargs: Mapping[str, Any] | None = None,
        *,
        daemon: bool | None = None,
    ) -> None:
        h = context.hooks("Thread()")
        if group is not None:
            raise AssertionError("group argument must be None for now")
        if self._steps and target is not None and not inspect.isgeneratorfunction(target):
            raise ModelError(
                f"thread target {describe_callable(target)} is not a generator function",
                where=context.caller_location(1),
                hint="a thread's body is a step program: put `yield` where another thread may run "
                "(a bare `yield` is enough), and yield blocking calls such as `yield lock.acquire()`",
            )
        self._target = target
        self._args = tuple(args)
        self._kwargs = dict(kwargs or {})
        self._started = False
        self._finished = False
        if daemon is None:  # CPython: inherit from the creating thread
            daemon = h.current_thread().daemon
        self._daemon = bool(daemon)
        self._ident: int | None = None
        self._index: int | None = None
        self._name = str(name) if name is not None else h.default_thread_name(target)
        self._id, self._label = h.register(self, self._name)

    @classmethod
    def _main(cls, h: context.Hooks) -> Thread:
        """The scenario body's thread (created by the runtime)."""
        self = cls.__new__(cls)
        self._target, self._args, self._kwargs = None, (), {}
        self._started, self._finished, self._daemon = True, False, False
        self._name = "MainThread"
        self._id, self._label = h.register(self, "MainThread")
        self._index = 0
        self._ident = 1
        return self

    # -- identity ------------------------------------------------------------
    @property
    def name(self) -> str:
        h = context.active()
        if h is not None:
            h.record(self._id, self._label, "name", READ, self._name, None)
        return self._name  # type: ignore[return-value]

    @name.setter
    def name(self, value: str) -> None:
        self._name = str(value)
        h = context.active()
        if h is not None:
            h.record(self._id, self._label, "name", WRITE, self._name, None)

    @property
    def ident(self) -> int | None:
        """Set when the thread starts (its start order, 1 for MainThread)."""
        if context.active() is not None:
            self._touch(READ, self._state_name())
        return self._ident

    @property
    def native_id(self) -> int | None:
        return self.ident

    def __setattr__(self, name: str, value: Any) -> None:
        if name[0] != "_" and self.__dict__.get("_started") and context.active() is not None:
            if not isinstance(getattr(type(self), name, None), property):
                raise ModelError(
                    f"assigning {self._name}.{name} after the thread started",
                    where=context.model_location(),
                    hint="other threads could read it without the checker seeing the write: keep data the "
                    "threads share in a Shared object",
                )
        object.__setattr__(self, name, value)

    def getName(self) -> str:
        warnings.warn("getName() is deprecated, get the name attribute instead", DeprecationWarning, stacklevel=2)
        return self.name

    def setName(self, name: str) -> None:
        warnings.warn("setName() is deprecated, set the name attribute instead", DeprecationWarning, stacklevel=2)
        self.name = name

    @property
    def daemon(self) -> bool:
        """A daemon thread does not keep the execution alive: the execution
        ends when every non-daemon thread has finished."""
        return self._daemon

    @daemon.setter
    def daemon(self, value: bool) -> None:
        if self._started:
            raise RuntimeError("cannot set daemon status of active thread")
        self._daemon = bool(value)

    def isDaemon(self) -> bool:
        warnings.warn("isDaemon() is deprecated, get the daemon attribute instead", DeprecationWarning, stacklevel=2)
        return self.daemon

    def setDaemon(self, daemonic: bool) -> None:
        warnings.warn("setDaemon() is deprecated, set the daemon attribute instead", DeprecationWarning, stacklevel=2)
        self.daemon = daemonic

    # -- lifecycle -------------------------------------------------------------
    def run(self) -> Any:
        """The step program; by default ``target(*args, **kwargs)``.  A subclass
        may override it with a generator method."""
        if self._target is None:
            return iter(())
        return self._target(*self._args, **self._kwargs)

    def start(self) -> None:
        """Immediate: the thread becomes runnable; its first step runs later."""
        h = context.hooks("Thread.start()")
        if self._started:
            raise RuntimeError("threads can only be started once")
        if self._steps and type(self).run is not Thread.run and not inspect.isgeneratorfunction(type(self).run):
            raise ModelError(
                f"{type(self).__name__}.run is not a generator function",
                where=context.caller_location(1),
                hint="make run() a step program: add `yield` where other threads may run",
            )
        self._started = True
        self._touch(WRITE, "started")
        h.start_thread(self)

    def join(self, timeout: float | None = None) -> Join:
        """Returns an operation to yield; its result is None (as in CPython)."""
        if not self._started:
            raise RuntimeError("cannot join thread before it is started")
        if self is context.hooks().current_thread():
            raise RuntimeError("cannot join current thread")
        return Join(self, non_negative_timeout(timeout))

    def is_alive(self) -> bool:
        self._touch(READ, self._state_name())
        return self._started and not self._finished

    def _state_name(self) -> str:
        return "finished" if self._finished else ("started" if self._started else "initial")

    def _touch(self, kind: str, value: str) -> None:
        context.hooks().record(self._id, self._label, "state", kind, value, None)

    def _state(self) -> tuple:
        return ("thread", self._started, self._finished, self._name)

    def __repr__(self) -> str:
        return f"<Thread({self.name}, {self._state_name()})>"


class Join(Operation):
    def __init__(self, thread: Thread, timeout: float | None):
        super().__init__()
        self.thread = thread
        self.timeout = timeout

    def ready(self) -> bool:
        return self.thread._finished

    def perform(self, alt: int) -> None:
        self.thread._touch(READ, "finished")
        return None

    def expire(self) -> None:
        self.thread._touch(READ, self.thread._state_name())
        return None

    def describe(self) -> str:
        arg = "" if self.timeout is None else f"timeout={self.timeout:g}"
        return f"{self.thread.name}.join({arg})"

    def waiting_for(self) -> str:
        return f"waits for thread {self.thread.name} to finish"

    def waits_on(self) -> list[Any]:
        return [self.thread]

    def resource(self) -> str:
        return f"thread {self.thread.name}"


def current_thread() -> Thread:
    """The model thread running the current step."""
    return context.hooks("current_thread()").current_thread()


def currentThread() -> Thread:
    """Deprecated alias of ``current_thread`` (warns like CPython does)."""
    warnings.warn(
        "currentThread() is deprecated, use current_thread() instead", DeprecationWarning, stacklevel=2
    )
    return current_thread()
