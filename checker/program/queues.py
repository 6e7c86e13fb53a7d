"""``Queue``, ``LifoQueue``, ``PriorityQueue``: CPython's ``queue`` module.

``Empty`` and ``Full`` are ``queue.Empty`` and ``queue.Full`` themselves, so
``except queue.Empty`` in a model works unchanged.

State: the items, ``unfinished_tasks``, and the FIFO waiter lists of
CPython's two internal conditions ``not_empty`` and ``not_full``.
``yield q.get(block=True, timeout=None)`` / ``yield q.put(item, ...)``
follow ``queue.Queue`` line by line: take (or add) at once when possible;
otherwise a non-blocking call (or one whose timeout is not positive) raises
``Empty``/``Full``, a blocking one joins the waiter list and sleeps until a
put (get) notifies it -- then checks again, since another thread may have
been quicker -- or its timeout passes (then it tries once more, and raises if
it still cannot).  ``get_nowait``/``put_nowait``, ``task_done``, ``qsize``,
``empty`` and ``full`` are immediate; ``yield q.join()`` blocks until every
item put has been marked done.  A negative timeout raises CPython's
``ValueError``.  Footprint: the fields ``items`` and ``tasks``.
"""

from __future__ import annotations

import heapq
import queue as _queue
from typing import Any

from . import context
from .footprint import READ, WRITE
from .operation import Operation, PENDING
from .primitive import BlockingOp, Primitive, WaitList
from .shared import needs_watch

Empty = _queue.Empty
Full = _queue.Full


class Queue(Primitive):
    """FIFO queue; ``maxsize <= 0`` means unbounded."""

    def __init__(self, maxsize: int = 0, *, name: str | None = None) -> None:
        self._register("queue", 3 if type(self).__init__ is not Queue.__init__ else 2, name=name)
        self._maxsize = maxsize
        self._items: list[Any] = []
        self._unfinished = 0
        self._not_empty = WaitList(self, "not_empty")
        self._not_full = WaitList(self, "not_full")

    @property
    def maxsize(self) -> int:
        """Fixed at construction, as in CPython (not part of any footprint)."""
        return self._maxsize

    # -- representation (the part LifoQueue/PriorityQueue change) ------------
    def _put(self, item: Any) -> None:
        self._items.append(item)

    def _get(self) -> Any:
        return self._items.pop(0)

    # -- footprint -------------------------------------------------------------
    def _touch_items(self, kind: str) -> None:
        self._touch("items", kind, tuple(self._items))

    def _touch_tasks(self, kind: str) -> None:
        self._touch("tasks", kind, self._unfinished)

    def _is_full(self) -> bool:
        return 0 < self._maxsize <= len(self._items)

    def _do_put(self, item: Any) -> None:
        if needs_watch(item):
            context.hooks().escape(item, f"an item put into {self._label}")
        self._put(item)
        self._unfinished += 1
        self._touch_items(WRITE)
        self._touch_tasks(WRITE)
        self._not_empty.notify(1)

    def _do_get(self) -> Any:
        item = self._get()
        self._touch_items(WRITE)
        self._not_full.notify(1)
        return item

    # -- blocking calls (yield them) -----------------------------------------------
    def put(self, item: Any, block: bool = True, timeout: float | None = None) -> Put:
        """Returns an operation to yield; its result is None."""
        if self.maxsize > 0 and block and timeout is not None and timeout < 0:
            raise ValueError("'timeout' must be a non-negative number")
        return Put(self, item, block, timeout)

    def get(self, block: bool = True, timeout: float | None = None) -> Get:
        """Returns an operation to yield; its result is the item."""
        if block and timeout is not None and timeout < 0:
            raise ValueError("'timeout' must be a non-negative number")
        return Get(self, block, timeout)

    def join(self) -> QueueJoin:
        """Returns an operation to yield: it completes when every item put
        has been marked done with ``task_done()``."""
        return QueueJoin(self)

    # -- immediate calls --------------------------------------------------------
    def put_nowait(self, item: Any) -> None:
        if self._is_full():
            self._touch_items(READ)
            raise Full
        self._do_put(item)

    def get_nowait(self) -> Any:
        if not self._items:
            self._touch_items(READ)
            raise Empty
        return self._do_get()

    def task_done(self) -> None:
        unfinished = self._unfinished - 1
        if unfinished < 0:
            self._touch_tasks(READ)
            raise ValueError("task_done() called too many times")
        self._unfinished = unfinished
        self._touch_tasks(WRITE)

    def qsize(self) -> int:
        self._touch_items(READ)
        return len(self._items)

    def empty(self) -> bool:
        self._touch_items(READ)
        return not self._items

    def full(self) -> bool:
        self._touch_items(READ)
        return self._is_full()

    @property
    def unfinished_tasks(self) -> int:
        self._touch_tasks(READ)
        return self._unfinished

    def _state(self) -> tuple:
        return (type(self).__name__, tuple(repr(x) for x in self._items), self._unfinished,
                self._not_empty.state(), self._not_full.state())

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._label}: {self._items!r}>"


class LifoQueue(Queue):
    """Last in, first out."""

    def _get(self) -> Any:
        return self._items.pop()


class PriorityQueue(Queue):
    """Lowest item first (``heapq`` order, as CPython)."""

    def _put(self, item: Any) -> None:
        heapq.heappush(self._items, item)

    def _get(self) -> Any:
        return heapq.heappop(self._items)


class _QueueOp(BlockingOp):
    """Shared by put and get: try at once; else wait on ``waiters`` for a
    notify or the deadline, and try again (CPython's ``while`` loop)."""

    error: type = Exception

    def __init__(self, q: Queue, block: bool, timeout: float | None):
        super().__init__()
        self.q = q
        self.block = block
        self.wait_timeout = None if timeout is None else float(timeout)
        self.endtime: float | None = None

    def ready(self) -> bool:
        return self.phase == "start" or self.notified

    def blocked(self) -> bool:
        raise NotImplementedError

    def complete(self) -> Any:
        raise NotImplementedError

    def waiters(self) -> WaitList:
        raise NotImplementedError

    def perform(self, alt: int) -> Any:
        if not self.blocked():
            return self.complete()
        self.q._touch_items(READ)
        if not self.block:
            raise self.error
        if self.wait_timeout is not None:
            now = context.hooks().read_clock()
            if self.endtime is None:
                self.endtime = now + self.wait_timeout
            if self.endtime - now <= 0:
                raise self.error
            self.deadline = self.endtime
        self.waiters().append(self)
        self.phase = "waiting"
        return PENDING

    def expire(self) -> Any:
        self.waiters().remove(self)
        if not self.blocked():
            return self.complete()
        self.q._touch_items(READ)
        raise self.error

    def resource(self) -> str:
        return f"queue {self.q._label}"

    def key(self) -> tuple:
        return super().key() + (self.endtime,)


class Put(_QueueOp):
    error = Full

    def __init__(self, q: Queue, item: Any, block: bool, timeout: float | None):
        super().__init__(q, block, timeout)
        self.item = item

    def blocked(self) -> bool:
        return self.q._is_full()

    def complete(self) -> None:
        self.q._do_put(self.item)
        return None

    def waiters(self) -> WaitList:
        return self.q._not_full

    def describe(self) -> str:
        args = [repr(self.item)] + ([] if self.block else ["block=False"])
        if self.wait_timeout is not None:
            args.append(f"timeout={self.wait_timeout:g}")
        return f"{self.q._label}.put({', '.join(args)})"

    def waiting_for(self) -> str:
        return f"waits for room in {self.q._label} (full, maxsize {self.q.maxsize})"


class Get(_QueueOp):
    error = Empty

    def blocked(self) -> bool:
        return not self.q._items

    def complete(self) -> Any:
        return self.q._do_get()

    def waiters(self) -> WaitList:
        return self.q._not_empty

    def describe(self) -> str:
        args = [] if self.block else ["block=False"]
        if self.wait_timeout is not None:
            args.append(f"timeout={self.wait_timeout:g}")
        return f"{self.q._label}.get({', '.join(args)})"

    def waiting_for(self) -> str:
        return f"waits for an item in {self.q._label} (empty)"


class QueueJoin(Operation):
    def __init__(self, q: Queue):
        super().__init__()
        self.q = q

    def ready(self) -> bool:
        return self.q._unfinished == 0

    def perform(self, alt: int) -> None:
        self.q._touch_tasks(READ)
        return None

    def describe(self) -> str:
        return f"{self.q._label}.join()"

    def waiting_for(self) -> str:
        return f"waits for {self.q._unfinished} unfinished task(s) of {self.q._label}"

    def resource(self) -> str:
        return f"queue {self.q._label} (join)"
