"""Dining philosophers(N): N philosophers around a table, a fork (lock)
between each two.  Each takes the fork on the left, then the one on the
right, eats, and puts both down.

* ``philosophers(n)``: everyone takes left first: the circular wait
  deadlocks (expected).
* ``ordered_philosophers(n)``: each takes the lower-numbered fork first,
  which breaks the cycle: safe.

    python -m checker benchmarks/models/philosophers.py --param n=3
"""

from checker import Lock, Shared, Thread, scenario


def dine(k, first, second, table):
    yield first.acquire()
    yield second.acquire()
    table.meals += 1
    second.release()
    first.release()


def seat(n, table, ordered):
    forks = [Lock() for _ in range(n)]
    for k in range(n):
        left, right = k, (k + 1) % n
        if ordered and right < left:
            left, right = right, left
        Thread(target=dine, args=(k, forks[left], forks[right], table), name=f"p{k}").start()


@scenario(expect="deadlock")
def philosophers(n=3):
    """Left fork first: all can hold their left fork and wait forever."""
    table = Shared(_name="table", meals=0)
    seat(n, table, ordered=False)


@scenario
def ordered_philosophers(n=3):
    """Lower-numbered fork first: no circular wait."""
    table = Shared(_name="table", meals=0)
    seat(n, table, ordered=True)
