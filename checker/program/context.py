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
import sysconfig
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

    def current_thread(self) -> Thread:
        """The model thread whose step is running."""

    now: float
    """The virtual clock (not recorded: use ``read_clock`` inside a step)."""

    def read_clock(self) -> float:
        """The virtual clock, recorded as a read in the running transition."""

    def start_thread(self, thread: Thread) -> None:
        """Make ``thread`` runnable (its first step has not run yet)."""

    def issued(self, op: Operation) -> int | None:
        """Note that ``op`` was created in the running step and must be
        yielded; returns the model source line that created it."""

    def default_thread_name(self, target: object) -> str:
        """CPython's ``Thread-N (target)`` with N counted per execution."""

    def add_check(self, kind: str, predicate: Any, message: str) -> None:
        """Register an invariant (checked after every step) or a final-state
        predicate (checked when every thread has finished)."""

    def discard(self, where: str | None) -> None:
        """``assume`` found its condition false at ``where`` (``file:line``):
        the execution is discarded when the running step ends.  Outside a
        thread's step (an ``invariant`` or ``final`` predicate) a
        ``ModelError``."""

    def escape(self, value: Any, how: str) -> None:
        """``value``, a plain mutable object (see ``shared.needs_watch``),
        became reachable by other threads (``how``: ``"counter.items"``, ``"the
        args of thread w1"``): changing it in place from now on is an error,
        since no footprint would show the change."""

    def parking(self, op: Operation | None) -> Any:
        """Unmodified code only (``program.unmodified``): the function that
        parks the calling model thread at a scheduling point, called as
        ``park(op, frame)``; it returns when the thread runs again, with the
        result of ``op`` (waited for and performed by the execution), or
        raises what ``op`` raised.  None when ``op`` is None and no other
        thread is unfinished (not a scheduling point).  The caller drops
        its reference to the hooks before it parks (a parked thread must
        not keep its execution alive)."""

    def identify(self, obj: object, label: str, exact: bool = False, provisional: bool = False) -> tuple[int, str]:
        """Unmodified code only: the creation index and label of ``obj``,
        registering it (as ``register``) the first time this execution
        sees it; ``exact``: keep ``label`` even if another object has it
        (closure cells are labelled by their function); ``provisional``:
        the first label that is not provisional replaces it."""

    sharing: Any
    """Unmodified code only: what this execution's threads share
    (``program.unmodified.sharing.Sharing``)."""


_active: Hooks | None = None


class ThreadAbandoned(BaseException):
    """Raised in a model thread of unmodified code whose execution ended
    without it (``runtime.real_steps``): its ``finally:`` blocks run while
    it unwinds, and counterparts do nothing then."""


#: OS thread idents whose model thread is unwinding (``ThreadAbandoned``).
unwinding: set[int] = set()


def install(h: Hooks | None) -> Hooks | None:
    """Set the active hooks; return the previous ones (for restoring)."""
    global _active
    previous, _active = _active, h
    return previous


def hooks(what: str = "this") -> Hooks:
    """The active hooks, or a ModelError saying ``what`` must run in a scenario.

    A model thread left unfinished when its execution is discarded (blocked
    in a deadlock, or stopped by a failure) is closed by the garbage
    collector; its ``finally:`` blocks then run outside any execution, with
    ``GeneratorExit`` in flight.  Raising ``GeneratorExit`` again ends such a
    block quietly (``generator.close()`` expects exactly that) instead of
    printing "Exception ignored" for a ``lock.release()`` in a finally."""
    h = _active
    if h is None:
        if sys.exc_info()[0] is GeneratorExit:
            raise GeneratorExit
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


_PACKAGE_DIR = __file__.rsplit("/program/", 1)[0]
_STDLIB_DIR = sysconfig.get_paths()["stdlib"]


def model_location() -> str | None:
    """``file:line`` of the innermost frame that is the user's code: not the
    checker's and not the standard library's (``copy``, ``pickle``, ...)."""
    frame = sys._getframe(1)
    while frame is not None:
        name = frame.f_code.co_filename
        stdlib = name.startswith(_STDLIB_DIR) and "site-packages" not in name
        if not name.startswith(_PACKAGE_DIR) and not stdlib:
            return f"{name}:{frame.f_lineno}"
        frame = frame.f_back
    return None


def model_frame() -> Any:
    """The innermost frame that is model code (not checker's), or None."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame = frame.f_back
    return frame


def model_line() -> int | None:
    """The line of the innermost frame that is model code (not checker's)."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame = frame.f_back
    return frame.f_lineno if frame is not None else None


_ASSIGNED = re.compile(r"^\s*(?:[\w.]+\.)?(\w+)\s*(?::[^=]+)?=[^=]")


def guess_label(depth: int, fallback: str) -> str:
    """The name a constructor call is being assigned to, e.g. ``counter`` for
    ``counter = Shared(value=0)``, ``lock`` for ``self.lock = Lock()`` and
    ``b`` for the second call in ``a, b = Lock(), Lock()``.

    Reads the caller's source line (and, for tuple assignments, the column of
    the running call); returns ``fallback`` when the call is not a simple
    assignment.  Only used for display labels, never for semantics.
    """
    return assigned_name(sys._getframe(depth + 1), fallback)


def assigned_name(frame: Any, fallback: str) -> str:
    """``guess_label`` for the call running in ``frame``."""
    line = linecache.getline(frame.f_code.co_filename, frame.f_lineno)
    if "," in line.split("=", 1)[0] or ";" in line:
        return _column_target(frame, line) or fallback
    match = _ASSIGNED.match(line)
    return match.group(1) if match else fallback


def _column_target(frame: object, line: str) -> str | None:
    """For ``a, b = X(), Y()`` or ``a = X(); b = Y()``: the target whose value
    expression contains the call being executed (found by the instruction's
    column)."""
    import ast

    try:
        body = ast.parse(line.strip()).body
        positions = list(frame.f_code.co_positions())  # type: ignore[attr-defined]
        column = positions[frame.f_lasti // 2][2]  # type: ignore[attr-defined]
    except (SyntaxError, IndexError, AttributeError):
        return None
    if column is None:
        return None
    indent = len(line) - len(line.lstrip())
    for node in body:
        if not isinstance(node, ast.Assign) or len(node.targets) != 1:
            continue
        target, value = node.targets[0], node.value
        pairs = (zip(target.elts, value.elts) if isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple)
                 else [(target, value)])
        for t, v in pairs:
            if v.col_offset + indent <= column < v.end_col_offset + indent:  # type: ignore[operator]
                return t.id if isinstance(t, ast.Name) else getattr(t, "attr", None)
    return None
