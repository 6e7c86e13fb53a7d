"""What every synchronisation primitive shares.

``Primitive`` is the base class of ``Lock``, ``RLock``, ``Condition``,
``Semaphore``, ``Event``, ``Barrier`` and the queues:

* registration with the running execution (creation index and a display
  label guessed from the assignment, ``lock = Lock()`` -> ``lock``);
* ``_touch(field, kind, value)``: record a read or write of one of the
  primitive's internal fields in the running transition's footprint (always
  ``sync=True``: synchronisation state, not shared data);
* assigning or deleting a public attribute of a primitive while a scenario
  runs is refused (it would be shared data no footprint shows);
* ``with prim:`` (``Acquirable``) is rejected with the idiom to use instead (a generator
  cannot block inside ``__enter__``);
* under a real-threads run (``checker.runtime.real_threads``) constructing a
  primitive returns its real ``threading``/``queue`` counterpart instead: the
  active hooks' ``counterpart(cls, args, kwargs)`` decides.  The model
  execution's hooks have no ``counterpart``, so nothing changes there.

``WaitList`` is CPython's ``Condition._waiters``: the FIFO of blocked
operations that ``notify(n)`` wakes from the front.  Conditions, semaphores
and queues use it so that *which* waiter a notify wakes is exactly CPython's.
"""

from __future__ import annotations

from typing import Any

from ..errors import ModelError
from . import context
from .footprint import READ, WRITE
from .operation import PENDING, Operation

__all__ = ["Acquirable", "Primitive", "WaitList", "BlockingOp", "READ", "WRITE"]


class Primitive:
    _checker_object = True

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        make = getattr(context.hooks(f"{cls.__name__}()"), "counterpart", None)
        if make is not None:
            real = make(cls, args, kwargs)
            if real is not None:
                return real  # not an instance of cls: __init__ is skipped
        return object.__new__(cls)

    def _register(self, fallback: str, depth: int = 2, name: str | None = None) -> None:
        """Register with the execution under ``name`` (the ``name=`` the
        model gave), else a label guessed from the model line ``depth``
        frames up (``lock = Lock()`` -> ``lock``), else ``fallback``."""
        h = context.hooks(f"{type(self).__name__}()")
        if name is not None and (not isinstance(name, str) or not name):
            raise ModelError(f"name= of {type(self).__name__}() must be a non-empty string, got {name!r}",
                             where=context.model_location())
        self._id, self._label = h.register(self, name if name is not None else context.guess_label(depth, fallback))

    def _touch(self, field: str, kind: str, value: Any) -> None:
        context.hooks().record(self._id, self._label, field, kind, value, None)

    def __setattr__(self, name: str, value: Any) -> None:
        if name[0] != "_" and context.active() is not None:
            self._refuse_attribute(name)
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        if name[0] != "_" and context.active() is not None:
            self._refuse_attribute(name)
        object.__delattr__(self, name)

    def _refuse_attribute(self, name: str) -> None:
        """Attributes a model adds to a primitive are not part of any
        footprint: another thread reading them would look independent."""
        label = self.__dict__.get("_label", type(self).__name__.lower())
        raise ModelError(
            f"assigning {label}.{name}: attributes added to a {type(self).__name__} are not recorded, so other "
            "threads reading them would look independent of the write",
            where=context.model_location(),
            hint="keep data the threads share in a Shared object (or a SharedDict keyed by the primitive's name)",
        )


class Acquirable(Primitive):
    """A primitive CPython lets you use in ``with`` (locks, conditions,
    semaphores): the model rejects it, showing the idiom to use instead."""

    _acquire_hint = "acquire()"

    def __enter__(self) -> None:
        name = self._label
        raise ModelError(
            f"`with {name}:` cannot block inside a step program",
            where=context.caller_location(1),
            hint=f"write `yield {name}.{self._acquire_hint}` then `try:` ... `finally: {name}.release()` "
            "(see docs/primitives.md, 'The with-statement idiom')",
        )

    def __exit__(self, *exc: object) -> None:  # pragma: no cover - __enter__ always raises
        return None


class WaitList:
    """FIFO of waiting operations (CPython's ``Condition._waiters``).

    It is a field (``name``) of its primitive: joining or leaving the list
    writes it, a notify reads it (and writes it when it wakes somebody), so
    the order in which threads join -- which decides who a notify wakes --
    is a dependency the explorer sees."""

    __slots__ = ("ops", "owner", "name")
    _checker_object = True

    def __init__(self, owner: Primitive, name: str = "waiters") -> None:
        self.ops: list[BlockingOp] = []
        self.owner, self.name = owner, name

    def __len__(self) -> int:
        return len(self.ops)

    def _touch(self, kind: str) -> None:
        self.owner._touch(self.name, kind, tuple(op.thread.name for op in self.ops))

    def append(self, op: BlockingOp) -> None:
        op.notified = False
        self.ops.append(op)
        self._touch(WRITE)

    def remove(self, op: BlockingOp) -> None:
        if op in self.ops:
            self.ops.remove(op)
            self._touch(WRITE)
        else:
            self._touch(READ)

    def notify(self, n: int) -> int:
        """Wake the first ``n`` waiters (each leaves the list); returns how many."""
        woken = self.ops[: max(n, 0)]
        del self.ops[: len(woken)]
        for op in woken:
            op.wake()
        self._touch(WRITE if woken else READ)
        return len(woken)

    def state(self) -> tuple:
        """Who waits, in order, as thread indices (for state keys)."""
        return tuple((op.thread._index, op.phase) for op in self.ops)

    def threads(self) -> list[Any]:
        return [op.thread for op in self.ops]


class BlockingOp(Operation):
    """An operation that may take several steps (see ``operation.PENDING``):
    ``phase`` names the step it is at, ``notified`` whether a notify woke it.
    ``thread`` is the model thread that issued it."""

    phase = "start"

    def __init__(self) -> None:
        super().__init__()
        self.thread = context.hooks().current_thread()
        self.notified = False

    def wake(self) -> None:
        self.notified = True

    def start_deadline(self, timeout: float | None) -> None:
        """Set ``deadline`` ``timeout`` seconds from the virtual now (a
        timeout <= 0 expires at once); None: no deadline."""
        if timeout is None:
            self.deadline = None
        else:
            self.deadline = context.hooks().read_clock() + max(timeout, 0.0)

    def time_out(self) -> object:
        """``expire`` for an operation whose result CPython fixes when the
        timeout fires: move to the ``timed-out`` phase (ready at once; its
        ``perform`` returns the timeout result) and stay blocked for now."""
        self.phase, self.deadline = "timed-out", None
        return PENDING

    def key(self) -> tuple:
        return super().key() + (self.phase, self.notified)
