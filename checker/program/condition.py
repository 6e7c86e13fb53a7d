"""``Condition``: CPython's ``threading.Condition`` over a Lock or an RLock.

State: the underlying lock (an ``RLock`` when none is given, as in CPython)
and the FIFO of waiters.  ``cond.acquire``/``cond.release`` are the lock's.

``yield cond.wait(timeout)`` follows CPython step by step:

1. (the thread's next step) check that the lock is owned -- for a plain
   ``Lock`` CPython only checks that it is *locked*, by anyone -- else raise
   ``RuntimeError: cannot wait on un-acquired lock``; join the end of the
   waiter list; release the lock completely (an RLock's recursion level is
   saved);
2. wait until a ``notify`` wakes it, or the timeout passes.  A notify with
   no waiter is lost; ``notify(n)`` wakes the first ``n`` waiters in order;
3. re-acquire the lock (restoring the recursion level): a separate blocking
   point, so a woken waiter runs only once the lock is free, and another
   thread may take the lock first and change the state -- which is why
   ``if`` instead of ``while`` around ``wait`` can fail.  The result is True
   when notified, False when the timeout fired.  As in CPython, a timed-out
   waiter stays in the waiter list until it holds the lock again, so a
   ``notify`` in between is spent on it (it still returns False).

``yield cond.wait_for(predicate, timeout)`` is CPython's loop: evaluate the
predicate (holding the lock); while false, wait for the time remaining and
evaluate it again; the result is the predicate's last value.

``notify``/``notify_all`` are immediate and raise ``RuntimeError: cannot
notify on un-acquired lock`` unless the lock is owned.  Footprint: the
field ``waiters`` plus the lock's ``state``.
"""

from __future__ import annotations

import warnings
from typing import Any
from collections.abc import Callable

from . import context
from .footprint import READ
from .lock import Lock
from .operation import PENDING
from .primitive import Acquirable, BlockingOp, WaitList
from .rlock import RLock


class Condition(Acquirable):
    def __init__(self, lock: Lock | RLock | None = None, *, name: str | None = None) -> None:
        if lock is not None and not isinstance(lock, (Lock, RLock)):
            raise TypeError(f"Condition needs a checker Lock or RLock, got {type(lock).__name__}")
        self._register("cond", name=name)
        if lock is None:
            lock = RLock()
            lock._label = f"{self._label}.lock"  # display name of the condition's own lock
        self._lock = lock
        self._waiters = WaitList(self)

    # the lock's own API, as CPython binds it
    def acquire(self, *args: Any, **kwargs: Any) -> Any:
        return self._lock.acquire(*args, **kwargs)

    def release(self) -> None:
        self._lock.release()

    def _touch_waiters(self, kind: str) -> None:
        self._touch("waiters", kind, len(self._waiters))

    def wait(self, timeout: float | None = None) -> CondWait:
        """Returns an operation to yield; its result is True when notified,
        False when the timeout expired."""
        return CondWait(self, None if timeout is None else float(timeout), None)

    def wait_for(self, predicate: Callable[[], Any], timeout: float | None = None) -> CondWait:
        """Returns an operation to yield; its result is the predicate's last value."""
        return CondWait(self, None if timeout is None else float(timeout), predicate)

    def notify(self, n: int = 1) -> None:
        """Immediate: wake up to ``n`` waiters (the longest waiting first)."""
        if not self._lock._is_owned(context.hooks().current_thread()):
            self._lock._touch_state(READ)
            raise RuntimeError("cannot notify on un-acquired lock")
        self._waiters.notify(n)

    def notify_all(self) -> None:
        self.notify(len(self._waiters))

    def notifyAll(self) -> None:
        """Deprecated alias of ``notify_all`` (warns like CPython does)."""
        warnings.warn("notifyAll() is deprecated, use notify_all() instead", DeprecationWarning, stacklevel=2)
        self.notify_all()

    def _state(self) -> tuple:
        return ("condition", self._waiters.state())

    def __repr__(self) -> str:
        return f"<Condition {self._label}({self._lock!r}, {len(self._waiters)})>"


class CondWait(BlockingOp):
    """``wait``/``wait_for``.  Phases: ``start`` (release and enqueue),
    ``waiting`` (for a notify or the deadline), ``timed-out`` (deadline
    passed, still in the waiter list, waiting for the lock), then done."""

    def __init__(self, cond: Condition, timeout: float | None, predicate: Callable[[], Any] | None):
        super().__init__()
        self.cond = cond
        self.wait_timeout = timeout
        self.predicate = predicate
        self.endtime: float | None = None
        self.saved: Any = None
        self.result: Any = None

    # -- enabledness -------------------------------------------------------
    def ready(self) -> bool:
        if self.phase == "start":
            return True
        if self.phase == "waiting" and not self.notified:
            return False
        return self.cond._lock._can_restore(self.thread)

    def wake(self) -> None:
        self.notified = True
        if self.phase == "waiting":
            self.deadline = None  # notified: the timeout no longer matters

    # -- effects -----------------------------------------------------------
    def perform(self, alt: int) -> Any:
        if self.phase == "start":
            return self._start()
        self._reacquire()
        if self.predicate is None:
            return self.phase == "waiting"  # notified: True; timed out: False
        return self._check_again(timed_out=self.phase == "timed-out")

    def expire(self) -> Any:
        # The timeout fired; the waiter stays in the list until it holds the lock.
        self.cond._touch_waiters(READ)
        self.phase, self.deadline = "timed-out", None
        return PENDING

    def _start(self) -> Any:
        if self.predicate is not None:
            self.result = self.predicate()
            if self.result:
                return self.result
            if self.wait_timeout is not None:
                self.endtime = context.hooks().read_clock() + self.wait_timeout
        return self._enqueue(self.wait_timeout)

    def _enqueue(self, timeout: float | None) -> Any:
        lock = self.cond._lock
        if not lock._is_owned(self.thread):
            lock._touch_state(READ)
            raise RuntimeError("cannot wait on un-acquired lock")
        self.cond._waiters.append(self)
        self.saved = lock._release_save()
        self.phase = "waiting"
        self.start_deadline(timeout)
        return PENDING

    def _reacquire(self) -> None:
        self.cond._lock._acquire_restore(self.saved)
        if self.phase == "timed-out":
            self.cond._waiters.remove(self)
        else:
            self.cond._touch_waiters(READ)

    def _check_again(self, timed_out: bool) -> Any:
        """wait_for's loop after a wait returned: re-evaluate the predicate;
        wait again for the time remaining, if any."""
        self.result = self.predicate()  # type: ignore[misc]
        if self.result:
            return self.result
        remaining = None
        if self.endtime is not None:
            remaining = self.endtime - context.hooks().read_clock()
            if remaining <= 0:
                return self.result
        return self._enqueue(remaining)

    def key(self) -> tuple:
        count = self.saved[0] if isinstance(self.saved, tuple) else None
        return super().key() + (self.endtime, count)

    # -- text ----------------------------------------------------------------
    def describe(self) -> str:
        name = self.cond._label
        arg = "" if self.wait_timeout is None else f"{self.wait_timeout:g}"
        if self.predicate is not None:
            pred = getattr(self.predicate, "__name__", "predicate")
            text = f"{name}.wait_for({pred}{', ' + arg if arg else ''})"
        else:
            text = f"{name}.wait({arg})"
        if self.phase == "start" and self.predicate is None:
            return f"{text}: releases {self.cond._lock._label}, waits"
        return text

    def waiting_for(self) -> str:
        if self.phase == "waiting" and not self.notified:
            return f"waits for a notify on {self.cond._label}"
        owners = self.cond._lock._owners()
        by = f" held by {owners[0].name}" if owners else ""
        return f"waits to re-acquire {self.cond._lock._label}{by} after {self.cond._label}.wait"

    def waits_on(self) -> list[Any] | None:
        if self.phase == "waiting" and not self.notified:
            return None
        return self.cond._lock._owners() or None

    def resource(self) -> str:
        if self.phase == "waiting" and not self.notified:
            return f"condition {self.cond._label}"
        return f"lock {self.cond._lock._label}"
