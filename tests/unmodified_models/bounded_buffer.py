"""models/bounded_buffer.py as plain threading code: a bounded buffer on
semaphores, written with lists (``append``, ``pop(0)``: one builtin call
each, as the step program's tuple read-and-replace is one step).
"""

import threading

from checker import invariant, scenario


def producer(buf, slots, filled, lock, count, lock_first):
    for i in range(count):
        if lock_first:
            lock.acquire()
            slots.acquire()
        else:
            slots.acquire()
            lock.acquire()
        buf.append(i)
        lock.release()
        filled.release()


def consumer(buf, slots, filled, lock, count, got):
    for _ in range(count):
        filled.acquire()
        lock.acquire()
        item = buf.pop(0)
        lock.release()
        slots.release()
        got.append(item)


def run(size, count, lock_first):
    buf = []
    got = []
    slots = threading.BoundedSemaphore(size)
    filled = threading.Semaphore(0)
    lock = threading.Lock()
    invariant(lambda: len(buf) <= size, "the buffer never holds more than size items")
    p = threading.Thread(name="producer", target=producer, args=(buf, slots, filled, lock, count, lock_first))
    c = threading.Thread(name="consumer", target=consumer, args=(buf, slots, filled, lock, count, got))
    p.start()
    c.start()
    p.join()
    c.join()
    print(f"buf(items={tuple(buf)!r}); got(items={tuple(got)!r})")
    assert got == list(range(count)), f"consumed {tuple(got)}"


@scenario(expect="safe")
def semaphores(size=1, count=2):
    run(size, count, lock_first=False)


@scenario(expect="deadlock")
def lock_first(size=1, count=2):
    run(size, count, lock_first=True)
