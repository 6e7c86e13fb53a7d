"""Deposits through a thread pool: unmodified ``concurrent.futures`` code.

The bank code and the pool are written as anyone would write them; the
only addition is the ``@scenario`` functions.  ``ThreadPoolExecutor``,
``submit`` and ``with pool:`` (which waits for the work, as
``shutdown(wait=True)``) are the checker's counterparts of CPython's
(docs/unmodified.md), so the pool's two workers interleave at every access
to the account, and ``balance += amount`` is a read and a write with a
scheduling point between them.

* ``deposits``: two deposits run by the pool's workers without a lock:
  one overwrites the other (the lost update, with the workers' names
  ``ThreadPoolExecutor-0_0`` and ``ThreadPoolExecutor-0_1`` in the trace).
* ``locked_deposits``: the account takes its lock around the update:
  proven over every class of interleavings, and ``map`` returns the
  balances each deposit saw.

    python -m checker models/futures_threads.py
"""

import threading
from concurrent.futures import ThreadPoolExecutor

from checker import scenario


class Account:
    def __init__(self, balance):
        self.balance = balance


def deposit(account, amount):
    account.balance += amount


class LockedAccount(Account):
    def __init__(self, balance):
        super().__init__(balance)
        self.lock = threading.Lock()


def locked_deposit(account, amount):
    with account.lock:
        account.balance += amount
        return account.balance


@scenario(expect="assertion")
def deposits():
    account = Account(100)
    with ThreadPoolExecutor(max_workers=2) as pool:
        pool.submit(deposit, account, 50)
        pool.submit(deposit, account, 25)
    assert account.balance == 175, f"balance {account.balance}, expected 175"


@scenario
def locked_deposits():
    account = LockedAccount(100)
    with ThreadPoolExecutor(max_workers=2) as pool:
        seen = list(pool.map(locked_deposit, [account, account], [50, 25]))
    assert account.balance == 175, f"balance {account.balance}, expected 175"
    assert max(seen) == 175, f"the deposits saw {seen}"
