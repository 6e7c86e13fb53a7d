"""``Semaphore`` and ``BoundedSemaphore``: CPython's, counter and all.

State: the counter ``value`` and the FIFO of waiters of CPython's internal
condition.  ``yield sem.acquire(blocking=True, timeout=None)`` follows
``threading.Semaphore.acquire``: if the counter is positive, decrement it
and return True; otherwise a non-blocking call returns False, a blocking one
joins the waiter list and sleeps until a ``release`` notifies it (then it
checks the counter again: a thread that did not wait may have taken the unit
first) or its timeout passes (then it takes a unit if one is free, else
returns False).  ``release(n=1)`` is immediate: add ``n`` and notify ``n``
waiters.  CPython's errors: ``ValueError`` for a negative initial value, for
``n < 1``, for a timeout on a non-blocking call, and (bounded) "Semaphore
released too many times".  Footprint: the field ``value`` (the waiter list
changes only with it or with the waiter's own steps).
"""

from __future__ import annotations

from typing import Any

from . import context
from .footprint import READ, WRITE
from .operation import PENDING
from .primitive import Acquirable, BlockingOp, WaitList


class Semaphore(Acquirable):
    def __init__(self, value: int = 1, *, name: str | None = None) -> None:
        if value < 0:
            raise ValueError("semaphore initial value must be >= 0")
        self._register("sem", 3 if type(self) is not Semaphore else 2, name=name)
        self._value = value
        self._waiters = WaitList(self)
        self._holders: list[Any] = []  # who took units (for deadlock explanations only)

    def _touch_value(self, kind: str) -> None:
        self._touch("value", kind, self._value)

    def acquire(self, blocking: bool = True, timeout: float | None = None) -> SemAcquire:
        """Returns an operation to yield; its result is True when a unit was taken."""
        if not blocking and timeout is not None:
            raise ValueError("can't specify timeout for non-blocking acquire")
        return SemAcquire(self, blocking, None if timeout is None else float(timeout))

    def release(self, n: int = 1) -> None:
        """Immediate: add ``n`` units and wake up to ``n`` waiters."""
        if n < 1:
            raise ValueError("n must be one or more")
        self._check_bound(n)
        self._value += n
        me = context.hooks().current_thread()
        for _ in range(n):
            if me in self._holders:
                self._holders.remove(me)
            elif self._holders:
                self._holders.pop(0)
        self._touch_value(WRITE)
        self._waiters.notify(n)

    def _check_bound(self, n: int) -> None:
        pass

    def _take(self, thread: Any) -> None:
        self._value -= 1
        self._holders.append(thread)
        self._touch_value(WRITE)

    def _state(self) -> tuple:
        holders = tuple(t._index for t in self._holders)  # named in deadlock messages
        return (type(self).__name__, self._value, self._waiters.state(), holders)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._label}: value={self._value}>"


class BoundedSemaphore(Semaphore):
    """A semaphore whose value may never exceed its initial value."""

    def __init__(self, value: int = 1, *, name: str | None = None) -> None:
        super().__init__(value, name=name)
        self._initial_value = value

    def _check_bound(self, n: int) -> None:
        if self._value + n > self._initial_value:
            self._touch_value(READ)
            raise ValueError("Semaphore released too many times")

    def __repr__(self) -> str:
        return f"<BoundedSemaphore {self._label}: value={self._value}/{self._initial_value}>"


class SemAcquire(BlockingOp):
    """Phases: ``start`` (take a unit or join the waiters), ``waiting``."""

    def __init__(self, sem: Semaphore, blocking: bool, timeout: float | None):
        super().__init__()
        self.sem = sem
        self.blocking = blocking
        self.wait_timeout = timeout
        self.endtime: float | None = None

    def ready(self) -> bool:
        return self.phase == "start" or self.notified

    def perform(self, alt: int) -> Any:
        sem = self.sem
        if sem._value > 0:
            sem._take(self.thread)
            return True
        sem._touch_value(READ)
        if not self.blocking:
            return False
        if self.wait_timeout is not None:
            now = context.hooks().read_clock()
            if self.phase == "start":
                self.endtime = now + self.wait_timeout
            elif self.endtime - now <= 0:  # type: ignore[operator]
                return False
        return self._enqueue()

    def _enqueue(self) -> Any:
        self.sem._waiters.append(self)
        self.phase = "waiting"
        if self.endtime is None:
            self.deadline = None
        else:
            self.start_deadline(self.endtime - context.hooks().read_clock())
        return PENDING

    def expire(self) -> bool:
        # timed out: leave the waiter list, then CPython's loop checks once more
        self.sem._waiters.remove(self)
        if self.sem._value > 0:
            self.sem._take(self.thread)
            return True
        self.sem._touch_value(READ)
        return False

    def key(self) -> tuple:
        return super().key() + (self.endtime,)

    def describe(self) -> str:
        name = self.sem._label
        if not self.blocking:
            return f"{name}.acquire(blocking=False)"
        if self.wait_timeout is not None:
            return f"{name}.acquire(timeout={self.wait_timeout:g})"
        return f"{name}.acquire()"

    def waiting_for(self) -> str:
        holders = sorted({t.name for t in self.sem._holders})
        by = f" (units held by {', '.join(holders)})" if holders else ""
        return f"waits for {self.sem._label} to be released{by}"

    def waits_on(self) -> list[Any] | None:
        holders = [t for t in dict.fromkeys(self.sem._holders) if t is not self.thread]
        return holders or None

    def resource(self) -> str:
        return f"semaphore {self.sem._label}"
