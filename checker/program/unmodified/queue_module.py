"""The ``queue`` a model file of unmodified code imports.

``Queue``, ``LifoQueue``, ``PriorityQueue`` and ``SimpleQueue`` are built
on the step-program queues (``checker.program.queues``, held as ``_p``),
which follow CPython's ``queue.Queue`` line by line: ``put``/``get`` block
(with ``block=`` and ``timeout=``), ``put_nowait``/``get_nowait`` raise
``queue.Full``/``queue.Empty`` (the real exception classes), ``task_done``
and ``join`` count unfinished tasks.  An item put into a queue is shared
from then on (``sharing``): the thread that gets it may touch it.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from .. import context
from .. import queues as _queues
from .points import block as wait_for, point
from .threading_module import _label, counterpart_module


class Queue:
    _checker_object = True
    _kind: Any = _queues.Queue

    def __init__(self, maxsize: int = 0) -> None:
        self._p = type(self)._kind(maxsize, name=_label("queue"))

    @property
    def maxsize(self) -> int:
        return self._p.maxsize

    def put(self, item: Any, block: bool = True, timeout: float | None = None) -> None:
        _share(item)
        wait_for(self._p.put, item, block, timeout)

    def get(self, block: bool = True, timeout: float | None = None) -> Any:
        return wait_for(self._p.get, block, timeout)

    def put_nowait(self, item: Any) -> None:
        if point():
            _share(item)
            self._p.put_nowait(item)

    def get_nowait(self) -> Any:
        point()
        return self._p.get_nowait()

    def task_done(self) -> None:
        if point():
            self._p.task_done()

    def join(self) -> None:
        wait_for(self._p.join)

    def qsize(self) -> int:
        point()
        return self._p.qsize()

    def empty(self) -> bool:
        point()
        return self._p.empty()

    def full(self) -> bool:
        point()
        return self._p.full()

    @property
    def unfinished_tasks(self) -> int:
        point()
        return self._p.unfinished_tasks

    def __repr__(self) -> str:
        return repr(self._p)


class LifoQueue(Queue):
    _kind = _queues.LifoQueue


class PriorityQueue(Queue):
    _kind = _queues.PriorityQueue


class SimpleQueue(Queue):
    """Unbounded, without ``task_done``/``join`` (as CPython's)."""

    def __init__(self) -> None:
        super().__init__(0)

    def task_done(self) -> None:
        raise AttributeError("'SimpleQueue' object has no attribute 'task_done'")

    def join(self) -> None:
        raise AttributeError("'SimpleQueue' object has no attribute 'join'")


def _share(item: Any) -> None:
    """An item handed to another thread through the queue is shared."""
    sharing = getattr(context.active(), "sharing", None)
    if sharing is not None:
        sharing.publish(item)


_SUPPORTED = {"Queue": Queue, "LifoQueue": LifoQueue, "PriorityQueue": PriorityQueue, "SimpleQueue": SimpleQueue,
              "Empty": _queues.Empty, "Full": _queues.Full}


def module() -> ModuleType:
    """A fresh ``queue`` module object of counterparts."""
    return counterpart_module("queue", _SUPPORTED)
