"""Is this counter class thread-safe?  Linearizability against a plain
sequential counter.

* ``RacyCounter``: ``inc`` reads, then writes, in two steps.  The smallest
  case the checker finds: t1 runs ``inc()``, t2 runs ``inc(); get()``, and
  ``get`` returns 1 -- no sequential order of two increments and a get
  returns 1 after both increments finished.
* ``LockedCounter``: ``inc`` under a ``Lock``.  Linearizable in every case
  of up to 2 threads x 2 operations, in every interleaving.

    python -m checker models/linearizable_counter.py
"""

from checker import Lock, Shared, linearizability, operation


class CounterSpec:
    """The sequential specification: plain Python."""

    def __init__(self):
        self.n = 0

    def inc(self):
        self.n += 1

    def get(self):
        return self.n


@linearizability(spec=CounterSpec, threads=2, operations=2, expect="violation")
class RacyCounter:
    def __init__(self):
        self.s = Shared(n=0)

    @operation
    def inc(self):
        v = self.s.n
        yield
        self.s.n = v + 1

    @operation
    def get(self):
        yield
        return self.s.n


@linearizability(spec=CounterSpec, threads=2, operations=2)
class LockedCounter:
    def __init__(self):
        self.s = Shared(n=0)
        self.lock = Lock()

    @operation
    def inc(self):
        yield self.lock.acquire()
        v = self.s.n
        yield
        self.s.n = v + 1
        self.lock.release()

    @operation
    def get(self):
        yield
        return self.s.n
