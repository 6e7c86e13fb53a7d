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

The threads get what they share as arguments (``args=``), so the only
scheduling points are the accesses to the lists themselves.

    python -m checker models/free_threading.py
    python -m checker models/free_threading.py::audit --semantics free-threading
"""

import threading

from checker import scenario


def transfer(balances, amount):
    """Move ``amount`` from the first account to the second in one slice
    assignment: atomic under the GIL and under the list's own lock."""
    balances[:] = [balances[0] - amount, balances[1] + amount]


def total(balances, seen):
    seen.append(sum(balances))  # one step under the GIL; one per element without it


def total_of_copy(balances, seen):
    seen.append(sum(list(balances)))  # list() copies under the list's lock


def look(items, found):
    found.append(3 in items)


def run_both(first, first_args, second, second_args):
    a = threading.Thread(target=first, args=first_args)
    b = threading.Thread(target=second, args=second_args)
    a.start()
    b.start()
    a.join()
    b.join()


@scenario(semantics="both", expect={"gil": "safe", "free-threading": "violation"})
def membership():
    items = [1, 2, 3]
    found = []
    run_both(look, (items, found), items.pop, (0,))
    assert found == [True], f"3 in items was {found[0]}"


@scenario(semantics="both", expect={"gil": "safe", "free-threading": "violation"})
def audit():
    balances = [50, 50]
    seen = []
    run_both(total, (balances, seen), transfer, (balances, 10))
    assert seen == [100], f"the auditor saw a total of {seen[0]}"


@scenario(semantics="both")
def audit_copy():
    balances = [50, 50]
    seen = []
    run_both(total_of_copy, (balances, seen), transfer, (balances, 10))
    assert seen == [100], f"the auditor saw a total of {seen[0]}"
