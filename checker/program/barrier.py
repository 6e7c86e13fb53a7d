"""``Barrier``: CPython's ``threading.Barrier``, including reuse, ``reset``,
``abort``, the ``action`` and timeouts; ``BrokenBarrierError`` is
``threading.BrokenBarrierError`` itself, so ``except`` clauses work unchanged.

State (CPython's): ``count`` threads inside ``wait`` and ``state``: 0
filling, 1 draining (released, the waiters are leaving), -1 resetting, -2
broken.  ``index = yield barrier.wait(timeout=None)``:

1. (enter) block while the barrier drains or resets; raise
   ``BrokenBarrierError`` if it is broken; take the arrival ``index``
   (0 for the first thread to arrive).  The last of ``parties`` threads runs
   ``action`` (if it raises, the barrier breaks and the exception propagates)
   and releases everybody (draining);
2. (wait) the others sleep until the barrier is released, reset or broken;
   on a timeout (``timeout`` or the barrier's default) the barrier breaks.
   Released: return ``index``; reset or broken: raise ``BrokenBarrierError``.
   The last thread to leave a draining or resetting barrier refills it.

``reset()``, ``abort()`` are immediate; ``parties``, ``n_waiting`` and
``broken`` read the state.  All of CPython's barrier code runs under one
internal lock that no thread holds across a step, and every state change is
followed by ``notify_all``, so "a waiter may continue once its predicate
holds" is exactly CPython's behaviour.  Footprint: the field ``state``.
"""

from __future__ import annotations

import threading
from typing import Any
from collections.abc import Callable

from .footprint import READ, WRITE
from .operation import PENDING
from .primitive import BlockingOp, Primitive

BrokenBarrierError = threading.BrokenBarrierError

_FILLING, _DRAINING, _RESETTING, _BROKEN = 0, 1, -1, -2
_NAMES = {0: "filling", 1: "draining", -1: "resetting", -2: "broken"}


class Barrier(Primitive):
    def __init__(
        self, parties: int, action: Callable[[], Any] | None = None, timeout: float | None = None, *,
        name: str | None = None,
    ):
        self._register("barrier", name=name)
        self._parties = parties
        self._action = action
        self._timeout = timeout
        self._state_value = _FILLING
        self._count = 0

    def _touch_state(self, kind: str) -> None:
        self._touch("state", kind, f"{_NAMES[self._state_value]} {self._count}/{self._parties}")

    def wait(self, timeout: float | None = None) -> BarrierWait:
        """Returns an operation to yield; its result is the arrival index."""
        return BarrierWait(self, self._timeout if timeout is None else timeout)

    def reset(self) -> None:
        """Immediate: back to the empty state; current waiters get BrokenBarrierError."""
        if self._count > 0:
            if self._state_value in (_FILLING, _BROKEN):
                self._state_value = _RESETTING
        else:
            self._state_value = _FILLING
        self._touch_state(WRITE)

    def abort(self) -> None:
        """Immediate: break the barrier; waiters (and later callers) get BrokenBarrierError."""
        self._state_value = _BROKEN
        self._touch_state(WRITE)

    @property
    def parties(self) -> int:
        return self._parties

    @property
    def n_waiting(self) -> int:
        self._touch_state(READ)
        return self._count if self._state_value == _FILLING else 0

    @property
    def broken(self) -> bool:
        self._touch_state(READ)
        return self._state_value == _BROKEN

    def _exit(self) -> None:
        """A thread leaves ``wait``: the last one out refills the barrier."""
        self._count -= 1
        if self._count == 0 and self._state_value in (_RESETTING, _DRAINING):
            self._state_value = _FILLING
        self._touch_state(WRITE)

    def _state(self) -> tuple:
        return ("barrier", self._state_value, self._count)

    def __repr__(self) -> str:
        if self._state_value == _BROKEN:
            return f"<Barrier {self._label}: broken>"
        return f"<Barrier {self._label}: waiters={self._count if self._state_value == _FILLING else 0}/{self._parties}>"


class BarrierWait(BlockingOp):
    """Phases: ``start`` (enter and arrive), ``waiting`` (for release)."""

    def __init__(self, barrier: Barrier, timeout: float | None):
        super().__init__()
        self.barrier = barrier
        self.wait_timeout = None if timeout is None else float(timeout)
        self.index: int | None = None

    def ready(self) -> bool:
        state = self.barrier._state_value
        if self.phase == "start":
            return state not in (_RESETTING, _DRAINING)
        return state != _FILLING

    def perform(self, alt: int) -> Any:
        b = self.barrier
        if self.phase == "start":
            return self._arrive(b)
        broken = b._state_value < 0
        b._exit()
        if broken:
            raise BrokenBarrierError
        return self.index

    def _arrive(self, b: Barrier) -> Any:
        if b._state_value < 0:
            b._touch_state(READ)
            raise BrokenBarrierError
        self.index = b._count
        b._count += 1
        if self.index + 1 == b._parties:
            try:
                if b._action:
                    b._action()
                b._state_value = _DRAINING
            except BaseException:
                b._state_value = _BROKEN
                b._exit()
                raise
            b._exit()
            return self.index
        b._touch_state(WRITE)
        self.phase = "waiting"
        self.start_deadline(self.wait_timeout)
        return PENDING

    def expire(self) -> Any:
        b = self.barrier
        b._state_value = _BROKEN
        b._exit()
        raise BrokenBarrierError

    def key(self) -> tuple:
        return super().key() + (self.index,)

    def describe(self) -> str:
        arg = "" if self.wait_timeout is None else f"{self.wait_timeout:g}"
        return f"{self.barrier._label}.wait({arg})"

    def waiting_for(self) -> str:
        b = self.barrier
        if self.phase == "start":
            return f"waits for {b._label} to finish draining"
        return f"waits at {b._label} ({b._count} of {b._parties} arrived)"

    def resource(self) -> str:
        return f"barrier {self.barrier._label}"
