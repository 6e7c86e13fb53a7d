"""Two accounts and a transfer between them.  ``transfer(amount)`` moves
money from ``a`` to ``b`` when ``a`` has enough and says whether it did;
``total()`` is the money in the bank (always 10).

* ``Unlocked``: the transfer checks the balance, withdraws and deposits in
  separate steps, and ``total`` adds the two balances in two reads: a total
  taken mid-transfer sees 10 missing, and two transfers can both pass the
  balance check.
* ``Locked``: both methods under one lock.  Linearizable.

    python -m checker models/linearizable_bank.py
"""

from checker import Lock, Shared, linearizability, operation


class BankSpec:
    def __init__(self):
        self.a, self.b = 10, 0

    def transfer(self, amount):
        if self.a < amount:
            return False
        self.a -= amount
        self.b += amount
        return True

    def total(self):
        return self.a + self.b


class Bank:
    def __init__(self):
        self.accounts = Shared(a=10, b=0)
        self.lock = Lock()


@linearizability(spec=BankSpec, threads=2, operations=1, expect="violation")
class Unlocked(Bank):
    @operation(amount=[10, 5])
    def transfer(self, amount):
        if self.accounts.a < amount:
            return False
        yield
        self.accounts.a -= amount
        yield
        self.accounts.b += amount
        return True

    @operation
    def total(self):
        a = self.accounts.a
        yield
        return a + self.accounts.b


@linearizability(spec=BankSpec, threads=2, operations=1)
class Locked(Bank):
    @operation(amount=[10, 5])
    def transfer(self, amount):
        yield self.lock.acquire()
        try:
            if self.accounts.a < amount:
                return False
            self.accounts.a -= amount
            yield
            self.accounts.b += amount
            return True
        finally:
            self.lock.release()

    @operation
    def total(self):
        yield self.lock.acquire()
        a = self.accounts.a
        yield
        total = a + self.accounts.b
        self.lock.release()
        return total
