"""Dining philosophers: deadlock found and explained, and a fixed lock order
proven safe.

``n`` philosophers sit around a table with one fork (a ``Lock``) between
each pair.  Each takes the fork on the left, then the one on the right, eats,
and puts both down.

* ``left_then_right``: if every philosopher takes the left fork before any
  takes the right one, nobody can continue.  The checker reports the
  deadlock with its wait-for cycle: p0 -> lock fork1 -> p1 -> lock fork2 ->
  p2 -> lock fork0 -> p0.
* ``ordered_forks``: every philosopher takes the lower-numbered fork first
  (a global lock order); no cycle of waits can form, and the checker proves
  that over every interleaving.

    python -m checker models/dining_philosophers.py
"""

from checker import Lock, Shared, Thread, scenario


def philosopher(first, second, meals, eaten):
    for _ in range(meals):
        yield first.acquire()
        yield second.acquire()
        eaten.count += 1
        second.release()
        first.release()


def dinner(n, meals, ordered):
    forks = [Lock(name=f"fork{i}") for i in range(n)]  # names used in traces and the deadlock cycle
    eaten = Shared(count=0)
    threads = []
    for i in range(n):
        left, right = forks[i], forks[(i + 1) % n]
        if ordered and (i + 1) % n < i:
            left, right = right, left
        threads.append(Thread(name=f"p{i}", target=philosopher, args=(left, right, meals, eaten)))
    for t in threads:
        t.start()
    for t in threads:
        yield t.join()
    assert eaten.count == n * meals, f"{eaten.count} meals eaten, expected {n * meals}"


@scenario(expect="deadlock")
def left_then_right(n=3, meals=1):
    """Everyone takes the left fork first: all can hold one fork and wait forever."""
    yield from dinner(n, meals, ordered=False)


@scenario(expect="safe")
def ordered_forks(n=3, meals=1):
    """Everyone takes the lower-numbered fork first: no deadlock is possible."""
    yield from dinner(n, meals, ordered=True)
