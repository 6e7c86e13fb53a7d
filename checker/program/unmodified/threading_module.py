"""The ``threading`` a model file of unmodified code imports.

Each class mirrors CPython's API and is built on the step-program
primitive of the same name (``checker.program``), held as ``_p``: the
primitive keeps the state, the footprint and the explanations; the
counterpart turns its operations into blocking calls (``points.block``)
and puts a scheduling point before each non-blocking call that touches
it (``points.point``).  ``with lock:`` works.  ``Thread`` is the
step-program ``Thread`` whose body is ordinary code (``_steps = False``):
the runtime runs it on its own OS thread.

What is not here is refused by name when the model uses it (``module``'s
``__getattr__``), never run as the real thing.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any
from collections.abc import Callable

from ...errors import ModelError
from .. import barrier as _barrier
from .. import condition as _condition
from .. import context
from .. import event as _event
from .. import lock as _lock
from .. import rlock as _rlock
from .. import semaphore as _semaphore
from .. import thread as _thread_steps
from .points import block, point
from .tracer import call_model, entry, refusals
from _thread import get_ident as _get_ident


def _label(fallback: str, name: str | None = None) -> str:
    return name or context.guess_label(2, fallback)


class _Acquirable:
    _checker_object = True
    _p: Any

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        return block(self._p.acquire, blocking, timeout)

    def release(self) -> None:
        if point():
            self._p.release()

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()

    def __repr__(self) -> str:
        return repr(self._p)


class Lock(_Acquirable):
    def __init__(self) -> None:
        self._p = _lock.Lock(name=_label("lock"))

    def locked(self) -> bool:
        point()
        return self._p.locked()

    acquire_lock = _Acquirable.acquire
    release_lock = _Acquirable.release
    locked_lock = locked


class RLock(_Acquirable):
    def __init__(self) -> None:
        self._p = _rlock.RLock(name=_label("rlock"))


class Condition(_Acquirable):
    def __init__(self, lock: Lock | RLock | None = None) -> None:
        if lock is not None and not isinstance(lock, (Lock, RLock)):
            raise ModelError(f"Condition() needs a threading.Lock or RLock, got {type(lock).__name__}",
                             where=context.model_location())
        self._p = _condition.Condition(None if lock is None else lock._p, name=_label("cond"))

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        return block(self._p.acquire, blocking, timeout)

    def wait(self, timeout: float | None = None) -> bool:
        return block(self._p.wait, timeout)

    @entry
    def wait_for(self, predicate: Callable[[], Any], timeout: float | None = None) -> Any:
        """CPython's loop, on the model thread (so the predicate's reads are traced)."""
        end = None
        wait = timeout
        result = call_model(predicate, (), {})
        while not result:
            if wait is not None:
                if end is None:
                    end = _now() + wait
                else:
                    wait = end - _now()
                    if wait <= 0:
                        break
            self.wait(wait)
            result = call_model(predicate, (), {})
        return result

    def notify(self, n: int = 1) -> None:
        if point():
            self._p.notify(n)

    def notify_all(self) -> None:
        if point():
            self._p.notify_all()

    notifyAll = notify_all


class Semaphore(_Acquirable):
    _kind: Callable[..., Any] = _semaphore.Semaphore

    def __init__(self, value: int = 1) -> None:
        self._p = type(self)._kind(value, name=_label("sem"))

    def acquire(self, blocking: bool = True, timeout: float | None = None) -> bool:  # type: ignore[override]
        return block(self._p.acquire, blocking, timeout)

    def release(self, n: int = 1) -> None:  # type: ignore[override]
        if point():
            self._p.release(n)


class BoundedSemaphore(Semaphore):
    _kind = _semaphore.BoundedSemaphore


class Event:
    _checker_object = True

    def __init__(self) -> None:
        self._p = _event.Event(name=_label("event"))

    def is_set(self) -> bool:
        point()
        return self._p.is_set()

    isSet = is_set

    def set(self) -> None:
        if point():
            self._p.set()

    def clear(self) -> None:
        if point():
            self._p.clear()

    def wait(self, timeout: float | None = None) -> bool:
        return block(self._p.wait, timeout)

    def __repr__(self) -> str:
        return repr(self._p)


class Barrier:
    _checker_object = True

    def __init__(self, parties: int, action: Callable[[], Any] | None = None, timeout: float | None = None):
        if action is not None:
            raise ModelError("threading.Barrier(action=...) is not supported in unmodified models yet",
                             where=context.model_location(),
                             hint="call the action in the thread that gets index 0 from barrier.wait()")
        self._p = _barrier.Barrier(parties, None, timeout, name=_label("barrier"))

    def wait(self, timeout: float | None = None) -> int:
        return block(self._p.wait, timeout)

    def reset(self) -> None:
        if point():
            self._p.reset()

    def abort(self) -> None:
        if point():
            self._p.abort()

    @property
    def parties(self) -> int:
        return self._p.parties

    @property
    def n_waiting(self) -> int:
        point()
        return self._p.n_waiting

    @property
    def broken(self) -> bool:
        point()
        return self._p.broken


class Thread(_thread_steps.Thread):
    """``threading.Thread``: ``target`` (or an overriding ``run``) is
    ordinary code.  Attributes a subclass sets are plain data the tracer
    sees; ``join`` blocks."""

    _steps = False

    def __setattr__(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)

    @entry
    def run(self) -> None:
        if self._target is not None:
            call_model(self._target, self._args, self._kwargs)

    def start(self) -> None:
        if point():
            context.hooks().sharing.publish_thread(self)  # type: ignore[attr-defined]
        super().start()

    def join(self, timeout: float | None = None) -> None:  # type: ignore[override]
        block(super().join, timeout)

    def is_alive(self) -> bool:
        point()
        return super().is_alive()


def current_thread() -> Any:
    return context.hooks("threading.current_thread()").current_thread()


def get_ident() -> int:
    return current_thread()._ident


def _now() -> float:
    point()
    return context.hooks().read_clock()


_SUPPORTED = {
    "Thread": Thread, "Lock": Lock, "RLock": RLock, "Condition": Condition, "Semaphore": Semaphore,
    "BoundedSemaphore": BoundedSemaphore, "Event": Event, "Barrier": Barrier,
    "BrokenBarrierError": _barrier.BrokenBarrierError, "current_thread": current_thread,
    "currentThread": current_thread, "get_ident": get_ident, "get_native_id": get_ident,
    "TIMEOUT_MAX": 9223372036.0,
}


def unsupported(module: str, name: str) -> AttributeError:
    """The error for a name of ``module`` the counterpart lacks.  Inside an
    execution the execution also ends with a ``ModelError`` naming the
    line (the model's code could catch the ``AttributeError``)."""
    message = f"{module}.{name} is not supported in unmodified models yet"
    if context.active() is not None and not name.startswith("__"):
        refusals.setdefault(_get_ident(), ModelError(
            message, where=context.model_location(),
            hint=f"the supported names are listed in docs/unmodified.md; step programs (checker.Thread, ...) "
            f"cover more of {module}"))
    return AttributeError(f"module {module!r} has no attribute {name!r} ({message})")


def counterpart_module(name: str, names: dict[str, Any]) -> ModuleType:
    """A module object named ``name`` holding ``names``; any other
    attribute is ``unsupported``."""
    m = ModuleType(name, f"checker's counterparts of {name} (unmodified models)")
    m.__dict__.update(names)

    def __getattr__(attribute: str) -> Any:
        raise unsupported(name, attribute)

    m.__getattr__ = __getattr__  # type: ignore[attr-defined]
    return m


def module() -> ModuleType:
    """A fresh ``threading`` module object of counterparts."""
    return counterpart_module("threading", _SUPPORTED)
