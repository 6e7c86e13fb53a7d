"""``RLock``: CPython's ``threading.RLock`` (the C ``_thread.RLock``).

State: ``owner`` (a model thread or None) and the recursion ``count``.
``yield rlock.acquire()`` returns True at once when the running thread
already owns it (the count goes up), otherwise when the lock is free;
``acquire(blocking=False)`` and ``acquire(timeout=t)`` return False when
another thread keeps it.  ``release()`` by a thread that does not own it
raises ``RuntimeError: cannot release un-acquired lock``; the last release
frees it.  Footprint: the field ``state``.  CPython 3.11's RLock has no
``locked()`` method, so neither has this one.
"""

from __future__ import annotations

from typing import Any

from . import context
from .footprint import READ, WRITE
from .primitive import Acquirable, BlockingOp


class RLock(Acquirable):
    def __init__(self, *, name: str | None = None) -> None:
        self._register("rlock", name=name)
        self._owner: Any = None
        self._count = 0

    def _touch_state(self, kind: str) -> None:
        owner = "unlocked" if self._owner is None else f"owned by {self._owner.name} x{self._count}"
        self._touch("state", kind, owner)

    def acquire(self, blocking: bool = True, timeout: float = -1) -> RAcquire:
        """Returns an operation to yield; its result is True when acquired."""
        if not blocking and timeout != -1:
            raise ValueError("can't specify a timeout for a non-blocking call")
        if timeout < 0 and timeout != -1:
            raise ValueError("timeout value must be positive")
        return RAcquire(self, blocking, None if timeout == -1 else float(timeout))

    def release(self) -> None:
        """Immediate.  Only the owner may release; the last release frees it."""
        me = context.hooks().current_thread()
        if self._owner is not me:
            self._touch_state(READ)
            raise RuntimeError("cannot release un-acquired lock")
        self._count -= 1
        if self._count == 0:
            self._owner = None
        self._touch_state(WRITE)

    # -- what Condition needs ---------------------------------------------
    def _is_owned(self, thread: Any) -> bool:
        return self._owner is thread

    def _release_save(self) -> Any:
        """Release completely whatever the recursion level; returns it."""
        saved = (self._count, self._owner)
        self._owner, self._count = None, 0
        self._touch_state(WRITE)
        return saved

    def _can_restore(self, thread: Any) -> bool:
        return self._owner is None

    def _acquire_restore(self, saved: Any) -> None:
        self._count, self._owner = saved
        self._touch_state(WRITE)

    def _owners(self) -> list[Any]:
        return [self._owner] if self._owner is not None else []

    def _recursion_count(self) -> int:
        """Like CPython's: the count if the running thread owns it, else 0."""
        self._touch_state(READ)
        return self._count if self._owner is context.hooks().current_thread() else 0

    def _state(self) -> tuple:
        return ("rlock", None if self._owner is None else self._owner._index, self._count)

    def __repr__(self) -> str:
        if self._owner is None:
            return f"<RLock {self._label}: unlocked>"
        return f"<RLock {self._label}: owner={self._owner.name} count={self._count}>"


class RAcquire(BlockingOp):
    def __init__(self, lock: RLock, blocking: bool, timeout: float | None):
        super().__init__()
        self.lock = lock
        self.blocking = blocking
        self.timeout = timeout if blocking else 0.0

    def ready(self) -> bool:
        return self.phase == "timed-out" or self.lock._owner is None or self.lock._owner is self.thread

    def perform(self, alt: int) -> bool:
        if self.phase == "timed-out":
            return False
        lock = self.lock
        if lock._owner is self.thread:
            lock._count += 1
        else:
            lock._owner, lock._count = self.thread, 1
        lock._touch_state(WRITE)
        return True

    def expire(self) -> object:
        self.lock._touch_state(READ)
        return self.time_out()

    def describe(self) -> str:
        name = self.lock._label
        if not self.blocking:
            return f"{name}.acquire(blocking=False)"
        if self.timeout is not None:
            return f"{name}.acquire(timeout={self.timeout:g})"
        return f"{name}.acquire()"

    def waiting_for(self) -> str:
        owner = self.lock._owner
        return f"waits for {self.lock._label}" + (f" held by {owner.name}" if owner is not None else "")

    def waits_on(self) -> list[Any] | None:
        return self.lock._owners() or None

    def resource(self) -> str:
        return f"rlock {self.lock._label}"
