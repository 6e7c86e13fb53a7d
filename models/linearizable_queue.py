"""A bounded queue built on a ``Condition``: ``put`` waits (at most one
virtual second) while the queue is full, ``get`` while it is empty; each
returns what happened.

* ``PeekThenRemove``: ``get`` reads the head under the lock, lets go of
  the lock, then takes it again to remove the head.  Two ``get``\\ s can
  return the same item.
* ``UnderOneLock``: the check, the wait and the removal under one
  acquisition of the condition's lock.  Linearizable.

    python -m checker models/linearizable_queue.py
"""

from checker import Condition, Shared, linearizability, operation

CAPACITY = 1


class QueueSpec:
    def __init__(self):
        self.items = []

    def put(self, x):
        if len(self.items) >= CAPACITY:
            return False
        self.items.append(x)
        return True

    def get(self):
        return self.items.pop(0) if self.items else None


class BoundedQueue:
    def __init__(self):
        self.q = Shared(items=())
        self.cond = Condition()

    @operation(x=[1, 2])
    def put(self, x):
        yield self.cond.acquire()
        try:
            if len(self.q.items) >= CAPACITY:
                yield self.cond.wait(1)
            if len(self.q.items) >= CAPACITY:
                return False
            self.q.items = self.q.items + (x,)
            self.cond.notify()
            return True
        finally:
            self.cond.release()


@linearizability(spec=QueueSpec, threads=2, operations=1, init=1, expect="violation")
class PeekThenRemove(BoundedQueue):
    @operation
    def get(self):
        yield self.cond.acquire()
        if not self.q.items:
            yield self.cond.wait(1)
        head = self.q.items[0] if self.q.items else None
        self.cond.release()
        if head is None:
            return None
        yield self.cond.acquire()          # the head may be gone by now
        self.q.items = self.q.items[1:]
        self.cond.notify()
        self.cond.release()
        return head


@linearizability(spec=QueueSpec, threads=2, operations=1, init=1)
class UnderOneLock(BoundedQueue):
    @operation
    def get(self):
        yield self.cond.acquire()
        try:
            if not self.q.items:
                yield self.cond.wait(1)
            if not self.q.items:
                return None
            head, self.q.items = self.q.items[0], self.q.items[1:]
            self.cond.notify()
            return head
        finally:
            self.cond.release()
