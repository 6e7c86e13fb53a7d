"""Producer/consumer on a Condition, and the lost wakeup of ``if`` vs ``while``.

Consumers take items from a shared box guarded by a ``Condition``; the
producer adds items one at a time and calls ``notify()`` after each.

* ``with_while``: each consumer re-checks ``while box.items == 0`` after
  ``wait()`` returns.  Every interleaving is correct.
* ``with_if``: a consumer checks ``if box.items == 0`` only once.  When it
  is woken, another consumer may already have taken the item (it got the
  lock first, between the notify and the waiter's re-acquire), and the woken
  consumer takes from an empty box: the checker finds that interleaving.

``wait()`` releases the lock, sleeps until notified and then *re-acquires*
the lock before returning -- the re-acquire is a separate blocking point,
which is exactly where another thread can slip in.

    python -m checker models/producer_consumer.py
"""

from checker import Condition, Lock, Shared, Thread, scenario


def consume(box, cond, lock, recheck):
    yield lock.acquire()
    try:
        if recheck:
            while box.items == 0:
                yield cond.wait()
        elif box.items == 0:
            yield cond.wait()
        assert box.items > 0, f"{box.items} items left, but a consumer was woken to take one"
        box.items -= 1
        box.consumed += 1
    finally:
        lock.release()


def produce(box, cond, lock, count):
    for _ in range(count):
        yield lock.acquire()
        box.items += 1
        cond.notify()
        lock.release()


def run(consumers, recheck):
    lock = Lock()
    cond = Condition(lock)
    box = Shared(items=0, consumed=0)
    threads = [Thread(name=f"c{i}", target=consume, args=(box, cond, lock, recheck)) for i in range(consumers)]
    threads.append(Thread(name="p", target=produce, args=(box, cond, lock, consumers)))
    for t in threads:
        t.start()
    for t in threads:
        yield t.join()
    assert box.consumed == consumers, f"{box.consumed} of {consumers} items consumed"


@scenario(expect="safe")
def with_while(consumers=2):
    """Consumers wait in a while loop: always correct."""
    yield from run(consumers, recheck=True)


@scenario(expect="assertion")
def with_if(consumers=2):
    """Consumers wait under an if: a woken consumer can find the box empty."""
    yield from run(consumers, recheck=False)
