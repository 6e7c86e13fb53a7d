"""Operations: what a thread *yields* when it may block or branch.

A primitive's blocking call (``lock.acquire()``, ``event.wait(2)``,
``thread.join()``, ``sleep(1)``, ``choose(...)``) does nothing by itself: it
returns an ``Operation`` that the thread must ``yield``.  The runtime then
performs it when it is enabled and sends the result back into the generator,
so ``ok = yield lock.acquire(timeout=1)`` reads like the threading code it
models.

Contract for a subclass (one class per kind of operation):

* ``ready()``: may the operation complete now, without timing out?  Pure:
  it reads primitive state and changes nothing.
* ``perform(alt)``: the effect when ``ready()``; returns the value sent to the
  thread.  It records its footprint through ``context.hooks().record``.
* ``expire()``: the effect when the deadline has passed and ``ready()`` is
  False (a timeout); returns the timeout's value (``False`` for a wait).
* ``timeout``: seconds from issue to deadline, or None for no deadline.  The
  runtime turns it into ``deadline`` when the operation is yielded.
* ``alternatives``: how many ways the operation can complete (``choose``);
  1 for everything else.
* ``describe()`` / ``waiting_for()``: text for traces and deadlock reports.
* ``waits_on()`` / ``resource()``: for deadlock explanations, the threads
  that could end the wait (a lock's holder, the joined thread), or None when
  any thread could (whoever sets an event, notifies a condition, puts into a
  queue); and what is waited for (``"lock first"``).

An operation may take more than one step: ``perform``/``expire`` return
``PENDING`` when the operation has moved to its next phase and the thread
stays blocked in it (a timed-out ``Condition.wait`` that must still re-acquire
its lock; a ``wait_for`` whose predicate is still false).  The generator is
not resumed; the operation may change its own ``deadline`` for the next phase.

The explorer never looks inside operations; it only sees which threads are
enabled and what each transition's footprint was.
"""

from __future__ import annotations

from typing import Any

from ..errors import ModelError
from . import context


class _Pending:
    def __repr__(self) -> str:
        return "PENDING"


#: Returned by ``perform``/``expire``: the thread stays blocked in the operation.
PENDING: Any = _Pending()


class Operation:
    """Base class; see the module docstring for the contract."""

    _checker_object = True

    timeout: float | None = None
    alternatives: int = 1

    def __init__(self) -> None:
        self.deadline: float | None = None
        self.line = context.hooks(type(self).__name__).issued(self)

    # -- semantics -------------------------------------------------------
    def ready(self) -> bool:
        raise NotImplementedError

    def perform(self, alt: int) -> Any:
        raise NotImplementedError

    def expire(self) -> Any:
        raise NotImplementedError(f"{type(self).__name__} has no timeout")

    def key(self) -> tuple:
        """Hashable identity of the pending operation for state keys: its
        description and deadline (primitives are named by description)."""
        return (type(self).__name__, self.describe(), self.deadline)

    # -- text --------------------------------------------------------------
    def describe(self) -> str:
        raise NotImplementedError

    def waiting_for(self) -> str:
        return f"waits in {self.describe()}"

    def waits_on(self) -> list[Any] | None:
        """The model threads that could end this wait (owners of what it
        waits for), or None when any other thread could."""
        return None

    def resource(self) -> str:
        """What the operation waits for, e.g. ``"lock first"``."""
        return self.describe()

    def __repr__(self) -> str:
        return f"<operation {self.describe()}>"

    def __bool__(self) -> bool:
        raise ModelError(
            f"{self.describe()} was used as a value; it is an operation that must be yielded",
            where=context.caller_location(1),
            hint=f"write `result = yield {self.describe()}` (the result is sent back by the checker)",
        )


def non_negative_timeout(timeout: float | None) -> float | None:
    """Clamp a wait/join timeout the way CPython's Condition.wait does: a
    negative timeout means "do not block"."""
    if timeout is None:
        return None
    return max(float(timeout), 0.0)
