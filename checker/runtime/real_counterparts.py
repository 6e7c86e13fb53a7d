"""The real ``threading``/``queue`` object behind each model primitive, for
the real-threads runner (``real_threads``).

Each wrapper holds the real CPython object and offers the model's API with
the real behaviour: a blocking call blocks the real thread right where the
model code calls it and returns the real result, which the model then
yields (the runner sends it straight back).  Timeouts are virtual seconds,
multiplied by the run's ``scale`` to get real seconds; errors are CPython's
own, raised by the real objects.  ``COUNTERPARTS`` maps each model class to
its wrapper's factory.
"""

from __future__ import annotations

import queue
import threading
from typing import Any
from collections.abc import Callable

from ..program.barrier import Barrier
from ..program.condition import Condition
from ..program.event import Event
from ..program.lock import Lock
from ..program.queues import LifoQueue, PriorityQueue, Queue
from ..program.rlock import RLock
from ..program.semaphore import BoundedSemaphore, Semaphore


def _scaled(timeout: float | None, scale: float) -> float | None:
    return None if timeout is None else timeout * scale


class _Real:
    """Base: the real object is ``self.real``; unknown attributes go to it."""

    def __init__(self, real: Any, scale: float):
        self.real = real
        self.scale = scale

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    def __enter__(self) -> Any:
        return self.real.__enter__()

    def __exit__(self, *exc: Any) -> Any:
        return self.real.__exit__(*exc)

    def __repr__(self) -> str:
        return f"<real {self.real!r}>"


class RealLock(_Real):
    """Lock and RLock: ``acquire(blocking, timeout)`` with a scaled timeout."""

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        if timeout == -1 or timeout < 0:
            return self.real.acquire(blocking, timeout)  # CPython's own ValueErrors
        return self.real.acquire(blocking, timeout * self.scale)

    def release(self) -> None:
        self.real.release()


class RealCondition(_Real):
    def acquire(self, *args: Any, **kwargs: Any) -> bool:
        return self.lock_wrapper.acquire(*args, **kwargs)

    def release(self) -> None:
        self.real.release()

    def wait(self, timeout: float | None = None) -> bool:
        return self.real.wait(_scaled(timeout, self.scale))

    def wait_for(self, predicate: Callable[[], Any], timeout: float | None = None) -> Any:
        return self.real.wait_for(predicate, _scaled(timeout, self.scale))


class RealEvent(_Real):
    def wait(self, timeout: float | None = None) -> bool:
        return self.real.wait(_scaled(timeout, self.scale))


class RealSemaphore(_Real):
    def acquire(self, blocking: bool = True, timeout: float | None = None) -> bool:
        return self.real.acquire(blocking, _scaled(timeout, self.scale))

    def release(self, n: int = 1) -> None:
        self.real.release(n)


class RealBarrier(_Real):
    def wait(self, timeout: float | None = None) -> int:
        return self.real.wait(_scaled(timeout, self.scale))


class RealQueue(_Real):
    def put(self, item: Any, block: bool = True, timeout: float | None = None) -> None:
        return self.real.put(item, block, _scaled(timeout, self.scale))

    def get(self, block: bool = True, timeout: float | None = None) -> Any:
        return self.real.get(block, _scaled(timeout, self.scale))


def _condition(args: tuple, kwargs: dict, scale: float) -> RealCondition:
    lock = kwargs.get("lock", args[0] if args else None)
    wrapper = lock if isinstance(lock, RealLock) else RealLock(threading.RLock(), scale)
    cond = RealCondition(threading.Condition(wrapper.real), scale)
    cond.lock_wrapper = wrapper
    return cond


def _barrier(args: tuple, kwargs: dict, scale: float) -> RealBarrier:
    names = ("parties", "action", "timeout")
    bound = dict(zip(names, args), **kwargs)
    bound["timeout"] = _scaled(bound.get("timeout"), scale)
    return RealBarrier(threading.Barrier(**bound), scale)


Factory = Callable[[tuple, dict, float], Any]

COUNTERPARTS: dict[type, Factory] = {
    Lock: lambda a, k, s: RealLock(threading.Lock(*a, **k), s),
    RLock: lambda a, k, s: RealLock(threading.RLock(*a, **k), s),
    Condition: _condition,
    Event: lambda a, k, s: RealEvent(threading.Event(*a, **k), s),
    Semaphore: lambda a, k, s: RealSemaphore(threading.Semaphore(*a, **k), s),
    BoundedSemaphore: lambda a, k, s: RealSemaphore(threading.BoundedSemaphore(*a, **k), s),
    Barrier: _barrier,
    Queue: lambda a, k, s: RealQueue(queue.Queue(*a, **k), s),
    LifoQueue: lambda a, k, s: RealQueue(queue.LifoQueue(*a, **k), s),
    PriorityQueue: lambda a, k, s: RealQueue(queue.PriorityQueue(*a, **k), s),
}


def counterpart(cls: type, args: tuple, kwargs: dict, scale: float) -> Any:
    """The real object for a model primitive class (or a subclass of one)."""
    kwargs = {k: v for k, v in kwargs.items() if k != "name"}  # the model's display name: not CPython's
    for klass in cls.__mro__:
        factory = COUNTERPARTS.get(klass)
        if factory is not None:
            return factory(args, kwargs, scale)
    raise TypeError(f"no real counterpart for {cls.__name__}")
