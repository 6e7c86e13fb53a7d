"""Dining savages (The Little Book of Semaphores, 5.1): savages eat from a
pot of ``m`` servings; the savage who finds it empty wakes the cook, who
refills it.  Nobody may take a serving from an empty pot.

* ``unguarded_pot``: savages check the pot and take a serving in two
  steps, without a mutex: two savages see the last serving and both take
  it (the pot goes negative).
* ``mutex``: the check, the wake-up and the take happen under one mutex;
  the cook refills only when woken.  Proven.

    python -m checker models/dining_savages.py
"""

from checker import Semaphore, Shared, Thread, scenario


def savage(pot, m, mutex, empty_pot, full_pot):
    if mutex is not None:
        yield mutex.acquire()
    if pot.servings == 0:
        empty_pot.release()           # wake the cook ...
        yield full_pot.acquire()      # ... and wait for the refill
    yield
    pot.servings -= 1                 # take a serving
    assert pot.servings >= 0, f"took a serving from an empty pot ({pot.servings} left)"
    if mutex is not None:
        mutex.release()
    yield                             # eat


def cook(pot, m, empty_pot, full_pot):
    while True:
        yield empty_pot.acquire()
        pot.servings = m
        full_pot.release()


def run(savages, m, guarded):
    pot = Shared(servings=m)
    mutex = Semaphore(1, name="mutex") if guarded else None
    empty_pot, full_pot = Semaphore(0, name="empty_pot"), Semaphore(0, name="full_pot")
    Thread(target=cook, args=(pot, m, empty_pot, full_pot), name="cook", daemon=True).start()
    ts = [Thread(target=savage, args=(pot, m, mutex, empty_pot, full_pot), name=f"s{i}") for i in range(savages)]
    for t in ts:
        t.start()
    for t in ts:
        yield t.join()


@scenario(expect="assertion")
def unguarded_pot(savages=2, m=1):
    yield from run(savages, m, guarded=False)


@scenario(expect="safe")
def mutex(savages=2, m=1):
    yield from run(savages, m, guarded=True)
