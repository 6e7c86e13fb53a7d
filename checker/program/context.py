"""The narrow channel through which model objects reach the running execution.

The program layer must not import the runtime (imports go one way: runtime
imports program).  Instead the runtime installs an object implementing
``Hooks`` while it runs scenario code, and model objects (shared objects,
primitives, operations) call it to register themselves, record accesses and
ask which thread is running.  Outside an execution ``hooks()`` raises a
``ModelError`` that explains where model objects may be created.
"""

from __future__ import annotations

import linecache
import re
import sys
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import ModelError

if TYPE_CHECKING:  # pragma: no cover
    from .operation import Operation
    from .thread import Thread


class Hooks(Protocol):
    """What the runtime offers to model objects during an execution."""

    def register(self, obj: object, label: str) -> tuple[int, str]:
        """Give ``obj`` its creation index and a unique display label."""

    def record(
        self, obj: int, label: str, field: str, kind: str, value: Any, line: int | None, sync: bool = True
    ) -> None:
        """Add one access to the running transition's footprint (``sync``:
        a primitive's internal state rather than shared data)."""

    def current_thread(self) -> "Thread":
        """The model thread whose step is running."""

    def now(self) -> float:
        """The virtual clock."""

    def start_thread(self, thread: "Thread") -> None:
        """Make ``thread`` runnable (its first step has not run yet)."""

    def issued(self, op: "Operation") -> int | None:
        """Note that ``op`` was created in the running step and must be
        yielded; returns the model source line that created it."""

    def default_thread_name(self, target: object) -> str:
        """CPython's ``Thread-N (target)`` with N counted per execution."""

    def add_check(self, kind: str, predicate: Any, message: str) -> None:
        """Register an invariant (checked after every step) or a final-state
        predicate (checked when every thread has finished)."""


_active: Hooks | None = None


def install(h: Hooks | None) -> Hooks | None:
    """Set the active hooks; return the previous ones (for restoring)."""
    global _active
    previous, _active = _active, h
    return previous


def hooks(what: str = "this") -> Hooks:
    """The active hooks, or a ModelError saying ``what`` must run in a scenario."""
    h = _active
    if h is None:
        raise ModelError(
            f"{what} can only be used while the checker runs a scenario",
            where=caller_location(2),
            hint="create shared objects, primitives and threads inside the @scenario function "
            "(or in code it calls), not at module level",
        )
    return h


def active() -> Hooks | None:
    return _active


def caller_location(depth: int = 1) -> str:
    """``file:line`` of the frame ``depth`` levels above the caller."""
    frame = sys._getframe(depth + 1)
    return f"{frame.f_code.co_filename}:{frame.f_lineno}"


_ASSIGNED = re.compile(r"^\s*(?:[\w.]+\.)?(\w+)\s*(?::[^=]+)?=[^=]")


def guess_label(depth: int, fallback: str) -> str:
    """The name a constructor call is being assigned to, e.g. ``counter`` for
    ``counter = Shared(value=0)`` or ``lock`` for ``self.lock = Lock()``.

    Reads the caller's source line; returns ``fallback`` when the call is not a
    simple assignment.  Only used for display labels, never for semantics.
    """
    frame = sys._getframe(depth + 1)
    line = linecache.getline(frame.f_code.co_filename, frame.f_lineno)
    match = _ASSIGNED.match(line)
    return match.group(1) if match else fallback
