"""``Lock``: CPython's ``threading.Lock`` as a model primitive.

State: ``locked`` (a bool) plus the thread that acquired it, kept only to
explain deadlocks (a CPython Lock has no owner: any thread may release it).
Footprint: every operation reads or writes the field ``state``.
"""

from __future__ import annotations

from typing import Any

from . import context
from .footprint import READ, WRITE
from .primitive import Acquirable, BlockingOp


class Lock(Acquirable):
    """A non-reentrant lock.  ``yield lock.acquire(...)``; ``lock.release()``."""

    def __init__(self, *, name: str | None = None) -> None:
        self._register("lock", name=name)
        self._locked = False
        self._holder: Any = None

    # -- state access with footprint --------------------------------------
    def _touch(self, kind: str) -> None:
        context.hooks().record(self._id, self._label, "state", kind, "locked" if self._locked else "unlocked", None)

    def _touch_state(self, kind: str) -> None:
        self._touch(kind)

    def _take(self) -> None:
        self._locked = True
        self._holder = context.hooks().current_thread()
        self._touch(WRITE)

    # -- threading API ----------------------------------------------------
    def acquire(self, blocking: bool = True, timeout: float = -1) -> Acquire:
        """Returns an operation to yield; its result is True when acquired."""
        if not blocking and timeout != -1:
            raise ValueError("can't specify a timeout for a non-blocking call")
        if timeout < 0 and timeout != -1:
            raise ValueError("timeout value must be positive")
        return Acquire(self, blocking, None if timeout == -1 else float(timeout))

    def release(self) -> None:
        """Immediate (never blocks).  Raises RuntimeError when not locked."""
        if not self._locked:
            self._touch(READ)
            raise RuntimeError("release unlocked lock")
        self._locked = False
        self._holder = None
        self._touch(WRITE)

    def locked(self) -> bool:
        self._touch(READ)
        return self._locked

    # -- what Condition needs (CPython's _is_owned/_release_save/_acquire_restore)
    def _is_owned(self, thread: Any) -> bool:
        """A plain Lock has no owner: CPython's Condition treats it as owned
        whenever it is locked, by any thread."""
        return self._locked

    def _release_save(self) -> Any:
        self.release()
        return None

    def _can_restore(self, thread: Any) -> bool:
        return not self._locked

    def _acquire_restore(self, saved: Any) -> None:
        self._take()

    def _owners(self) -> list[Any]:
        return [self._holder] if self._holder is not None else []

    def _state(self) -> tuple:
        """Hashable internal state (for state keys).  The holder is only for
        explanations, but deadlock messages (part of outcomes) name it."""
        return ("lock", self._locked, None if self._holder is None else self._holder._index)

    def __repr__(self) -> str:
        return f"<Lock {self._label}: {'locked' if self._locked else 'unlocked'}>"


class Acquire(BlockingOp):
    """Two steps when it times out (CPython decides False when the timeout
    fires; the thread continues later, when others may have run)."""

    def __init__(self, lock: Lock, blocking: bool, timeout: float | None):
        super().__init__()
        self.lock = lock
        self.blocking = blocking
        self.timeout = timeout if blocking else 0.0

    def ready(self) -> bool:
        return self.phase == "timed-out" or not self.lock._locked

    def perform(self, alt: int) -> bool:
        if self.phase == "timed-out":
            return False
        self.lock._take()
        return True

    def expire(self) -> object:
        self.lock._touch(READ)
        return self.time_out()

    def describe(self) -> str:
        if not self.blocking:
            return f"{self.lock._label}.acquire(blocking=False)"
        if self.timeout is not None:
            return f"{self.lock._label}.acquire(timeout={self.timeout:g})"
        return f"{self.lock._label}.acquire()"

    def waiting_for(self) -> str:
        holder = self.lock._holder
        by = f" held by {holder.name}" if holder is not None else ""
        return f"waits for {self.lock._label}{by}"

    def waits_on(self) -> list[Any] | None:
        holder = self.lock._holder
        return [holder] if holder is not None else None

    def resource(self) -> str:
        return f"lock {self.lock._label}"
