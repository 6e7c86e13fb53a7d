"""``Event``: CPython's ``threading.Event`` as a model primitive.

State: one boolean ``flag``.  ``set``/``clear`` write it, ``is_set`` and every
``wait`` read it.  ``wait(timeout)`` returns the flag: True when it was set in
time, False when the timeout expired first (CPython 3.11 semantics; a
negative timeout does not block).
"""

from __future__ import annotations

import warnings

from . import context
from .footprint import READ, WRITE
from .operation import non_negative_timeout
from .primitive import BlockingOp, Primitive


class Event(Primitive):
    def __init__(self, *, name: str | None = None) -> None:
        self._register("event", name=name)
        self._flag = False

    def _touch(self, kind: str) -> None:
        context.hooks().record(self._id, self._label, "flag", kind, repr(self._flag), None)

    def is_set(self) -> bool:
        self._touch(READ)
        return self._flag

    def isSet(self) -> bool:
        """Deprecated alias of ``is_set`` (warns like CPython does)."""
        warnings.warn("isSet() is deprecated, use is_set() instead", DeprecationWarning, stacklevel=2)
        return self.is_set()

    def set(self) -> None:
        self._flag = True
        self._touch(WRITE)

    def clear(self) -> None:
        self._flag = False
        self._touch(WRITE)

    def wait(self, timeout: float | None = None) -> Wait:
        """Returns an operation to yield; its result is the flag (bool)."""
        return Wait(self, non_negative_timeout(timeout))

    def _state(self) -> tuple:
        return ("event", self._flag)

    def __repr__(self) -> str:
        return f"<Event {self._label}: {'set' if self._flag else 'unset'}>"


class Wait(BlockingOp):
    """Two steps when it times out: CPython's ``Event.wait`` returns what its
    condition wait returned, fixed when the timeout fired even if the flag
    is set before the thread continues."""

    def __init__(self, event: Event, timeout: float | None):
        super().__init__()
        self.event = event
        self.timeout = timeout

    def ready(self) -> bool:
        return self.phase == "timed-out" or self.event._flag

    def perform(self, alt: int) -> bool:
        if self.phase == "timed-out":
            return False
        self.event._touch(READ)
        return True

    def expire(self) -> object:
        self.event._touch(READ)
        return self.time_out()

    def describe(self) -> str:
        arg = "" if self.timeout is None else f"{self.timeout:g}"
        return f"{self.event._label}.wait({arg})"

    def waiting_for(self) -> str:
        return f"waits for {self.event._label} to be set"

    def resource(self) -> str:
        return f"event {self.event._label}"
