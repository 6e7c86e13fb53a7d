"""account(depositors, withdrawers): a port of SCTBench's ``account_bad``
(ESBMC "concurrent software benchmarks"; Thomson, Donaldson, Betts, PPoPP
2014 / TOPC 2016), with any number of depositors and withdrawers (the
original has one of each).

A checker thread, started first, takes the account's lock and, if every
deposit and withdrawal is done, asserts the balance.  Its formula is wrong
(it subtracts the deposits), which only shows when it runs after all the
others -- an ordering its authors did not think of because it starts first.

Bug depth 1 in the sense of PCT's change points (every other thread ahead
of the checker: one priority assignment, no change point), but the
ordering constraints are one per other thread.  All threads take the same
lock, so the lock orders (factorially many) are the traces.

    python -m checker benchmarks/models/bugs/account.py --strategy pct --depth 1 --runs 1000 --seed 1
"""

from checker import Lock, Shared, Thread, scenario

X, Y, Z = 1, 2, 4  # opening balance, each deposit, each withdrawal


def deposit(account, lock):
    yield lock.acquire()
    account.balance = account.balance + Y
    account.deposits += 1
    lock.release()


def withdraw(account, lock):
    yield lock.acquire()
    account.balance = account.balance - Z
    account.withdrawals += 1
    lock.release()


def check_result(account, lock, depositors, withdrawers):
    yield lock.acquire()
    if account.deposits == depositors and account.withdrawals == withdrawers:
        expected = X - Y * depositors - Z * withdrawers  # BAD: deposits add, they do not subtract
        assert account.balance == expected, f"balance {account.balance}, expected {expected}"
    lock.release()


@scenario(expect="violation")
def account(depositors=4, withdrawers=4):
    """A checker started first, then the deposits and withdrawals."""
    acct = Shared(_name="account", balance=X, deposits=0, withdrawals=0)
    lock = Lock()
    threads = [Thread(name="check", target=check_result, args=(acct, lock, depositors, withdrawers))]
    threads += [Thread(name=f"dep{i}", target=deposit, args=(acct, lock)) for i in range(depositors)]
    threads += [Thread(name=f"wd{i}", target=withdraw, args=(acct, lock)) for i in range(withdrawers)]
    for t in threads:
        t.start()
    for t in threads:
        yield t.join()
