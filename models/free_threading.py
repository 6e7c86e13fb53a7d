"""Code that is correct only because of the GIL: unmodified ``threading`` code
checked under both memory models.

Under the GIL, ``3 in items`` and ``sum(balances)`` are one step each: no
other thread runs inside a builtin.  Python's free-threaded build (3.13t)
has no GIL: a list's per-object lock protects writers, but ``in``,
``index``, ``count`` and iteration read the list one element at a time,
without the lock (CPython's "Thread Safety Guarantees" page).  Each
scenario here declares ``semantics="both"``, so the checker explores it
under each model and says when code is safe only under the GIL
(docs/unmodified.md, section 8).

* ``membership``: a lookup while another thread removes an earlier item
  finds nothing under free-threading (it reads index 2 after the list
  shrank to two items).
* ``audit``: an auditor sums the balances while a transfer replaces them
  in one slice assignment: under free-threading the sum can mix the old
  first balance with the new second one.
* ``audit_copy``: the auditor copies the list first (``list(...)`` copies
  under the list's lock), then sums its copy: safe under both.

    python -m checker models/free_threading.py
    python -m checker models/free_threading.py::audit --semantics free-threading
"""

import threading

from checker import scenario


class Accounts:
    def __init__(self):
        self.balances = [50, 50]

    def transfer(self, amount):
        first, second = self.balances[0], self.balances[1]
        self.balances[:] = [first - amount, second + amount]  # one step: the list's lock is held

    def total(self):
        return sum(self.balances)  # one step under the GIL; one per element without it

    def total_of_copy(self):
        return sum(list(self.balances))  # list() copies under the lock


def run_both(first, second):
    a = threading.Thread(target=first)
    b = threading.Thread(target=second)
    a.start()
    b.start()
    a.join()
    b.join()


@scenario(semantics="both", expect={"gil": "safe", "free-threading": "violation"})
def membership():
    items = [1, 2, 3]
    found = []
    run_both(lambda: found.append(3 in items), lambda: items.pop(0))
    assert found == [True], f"3 in items was {found[0]}"


@scenario(semantics="both", expect={"gil": "safe", "free-threading": "violation"})
def audit():
    accounts = Accounts()
    seen = []
    run_both(lambda: seen.append(accounts.total()), lambda: accounts.transfer(10))
    assert seen == [100], f"the auditor saw a total of {seen[0]}"


@scenario(semantics="both")
def audit_copy():
    accounts = Accounts()
    seen = []
    run_both(lambda: seen.append(accounts.total_of_copy()), lambda: accounts.transfer(10))
    assert seen == [100], f"the auditor saw a total of {seen[0]}"
