"""The tutorial's counter as written: unmodified ``threading`` code.

Nothing here is a step program: ``Counter``, ``f`` and the threads are
plain ``threading`` code, and the only thing added is the ``@scenario``
function that starts the threads and states what must hold.  The checker
runs each thread on its own OS thread, one at a time, and stops before
every access to something another thread can reach (docs/unmodified.md),
so ``self.value += 1`` is a read and a write with a scheduling point
between them.

* ``locked``: the tutorial's ``Counter`` with its ``Lock``: proven over
  every class of interleavings (6 for n=2, as the step program in
  ``models/counter.py``).
* ``unlocked``: the same counter without the lock: the lost update.

    python -m checker models/counter_threads.py
    python -m checker models/counter_threads.py::locked --param n=3
"""

import threading

from checker import scenario


class Counter:                      # the tutorial's code, unchanged
    def __init__(self):
        self.lock = threading.Lock()
        self.value = 0

    def increment(self):
        self.lock.acquire()
        self.value += 1
        self.lock.release()


class UnsafeCounter:
    def __init__(self):
        self.value = 0

    def increment(self):
        self.value += 1


def f(counter, n):
    for _ in range(n):
        counter.increment()


def run_two(counter, n):
    t = threading.Thread(target=f, args=(counter, n))
    s = threading.Thread(target=f, args=(counter, n))
    t.start()
    s.start()
    t.join()
    s.join()


@scenario
def locked(n=2):
    counter = Counter()
    run_two(counter, n)
    assert counter.value == 2 * n, f"final value {counter.value}, expected {2 * n}"


@scenario(expect="violation")
def unlocked(n=2):
    counter = UnsafeCounter()
    run_two(counter, n)
    assert counter.value == 2 * n, f"final value {counter.value}, expected {2 * n}"
