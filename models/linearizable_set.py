"""Add-if-absent: "if the key is missing, add it" as a method of a
thread-safe set.

* ``CheckThenAct``: the membership test and the insertion are two steps;
  two threads can both add 1 and both report that they added it.
* ``Locked``: the test and the insertion under one lock.  Linearizable.

    python -m checker models/linearizable_set.py
"""

from checker import Lock, SharedDict, linearizability, operation


class SetSpec:
    def __init__(self):
        self.items = set()

    def add_if_absent(self, x):
        if x in self.items:
            return False
        self.items.add(x)
        return True

    def contains(self, x):
        return x in self.items


@linearizability(spec=SetSpec, threads=2, operations=1, key="x", expect="violation")
class CheckThenAct:
    def __init__(self):
        self.d = SharedDict()

    @operation(x=[1, 2])
    def add_if_absent(self, x):
        if x in self.d:
            return False
        yield                         # another thread may add x here
        self.d[x] = True
        return True

    @operation(x=[1, 2])
    def contains(self, x):
        yield
        return x in self.d


@linearizability(spec=SetSpec, threads=2, operations=1, key="x")
class Locked:
    def __init__(self):
        self.d = SharedDict()
        self.lock = Lock()

    @operation(x=[1, 2])
    def add_if_absent(self, x):
        yield self.lock.acquire()
        try:
            if x in self.d:
                return False
            yield
            self.d[x] = True
            return True
        finally:
            self.lock.release()

    @operation(x=[1, 2])
    def contains(self, x):
        yield
        return x in self.d
