"""A bounded buffer on semaphores (the textbook solution), and the order of
acquisitions that deadlocks it.

``slots`` counts free places, ``filled`` counts items, and a ``Lock``
protects the buffer itself.  The producer takes a free slot, then the lock;
the consumer takes an item, then the lock.

* ``semaphores``: every item produced is consumed in order, the buffer never
  holds more than ``size`` items (an invariant checked after every step).
* ``lock_first``: the producer takes the lock *before* waiting for a free
  slot.  With the buffer full, it sleeps holding the lock, and the consumer
  can never take the lock to make room: a deadlock, and the report shows the
  wait-for cycle producer -> semaphore slots -> consumer -> lock -> producer.

    python -m checker models/bounded_buffer.py
"""

from checker import BoundedSemaphore, Lock, Semaphore, Shared, Thread, invariant, scenario


def producer(buf, slots, filled, lock, count, lock_first):
    for i in range(count):
        if lock_first:
            yield lock.acquire()
            yield slots.acquire()
        else:
            yield slots.acquire()
            yield lock.acquire()
        buf.items = buf.items + (i,)
        lock.release()
        filled.release()


def consumer(buf, slots, filled, lock, count, got):
    for _ in range(count):
        yield filled.acquire()
        yield lock.acquire()
        item, buf.items = buf.items[0], buf.items[1:]
        lock.release()
        slots.release()
        got.items = got.items + (item,)


def run(size, count, lock_first):
    buf = Shared(items=())
    got = Shared(items=())
    slots = BoundedSemaphore(size)
    filled = Semaphore(0)
    lock = Lock()
    invariant(lambda: len(buf.items) <= size, "the buffer never holds more than size items")
    p = Thread(name="producer", target=producer, args=(buf, slots, filled, lock, count, lock_first))
    c = Thread(name="consumer", target=consumer, args=(buf, slots, filled, lock, count, got))
    p.start()
    c.start()
    yield p.join()
    yield c.join()
    assert got.items == tuple(range(count)), f"consumed {got.items}"


@scenario(expect="safe")
def semaphores(size=1, count=2):
    """Slot first, then the lock: correct for every interleaving."""
    yield from run(size, count, lock_first=False)


@scenario(expect="deadlock")
def lock_first(size=1, count=2):
    """The lock first, then a slot: the producer sleeps holding the lock."""
    yield from run(size, count, lock_first=True)
