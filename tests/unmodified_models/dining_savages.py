"""models/dining_savages.py as plain threading code: savages eat from a pot
the cook refills when woken; without the mutex two savages take the last
serving.

Taking a serving is a read and a write where the step program's
``pot.servings -= 1`` is one step (finer: unguarded, two savages can both
take the last serving and leave the pot at 0, an outcome the step program
also reaches another way).  The cook is a daemon thread left blocked
on ``empty_pot`` when the main thread ends, as in the step program.
"""

import threading

from checker import scenario


class Pot:
    def __init__(self, servings):
        self.servings = servings


def savage(pot, m, mutex, empty_pot, full_pot):
    if mutex is not None:
        mutex.acquire()
    if pot.servings == 0:
        empty_pot.release()           # wake the cook ...
        full_pot.acquire()            # ... and wait for the refill
    left = pot.servings - 1           # take a serving: the assert checks what this savage wrote,
    pot.servings = left               # as the step program's assert in the same step as the write does
    assert left >= 0, f"took a serving from an empty pot ({left} left)"
    if mutex is not None:
        mutex.release()
    # eat


def cook(pot, m, empty_pot, full_pot):
    while True:
        empty_pot.acquire()
        pot.servings = m
        full_pot.release()


def run(savages, m, guarded):
    pot = Pot(m)
    mutex = threading.Semaphore(1) if guarded else None
    empty_pot, full_pot = threading.Semaphore(0), threading.Semaphore(0)
    threading.Thread(target=cook, args=(pot, m, empty_pot, full_pot), name="cook", daemon=True).start()
    ts = [threading.Thread(target=savage, args=(pot, m, mutex, empty_pot, full_pot), name=f"s{i}")
          for i in range(savages)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    print(f"pot(servings={pot.servings!r})")


@scenario(expect="assertion")
def unguarded_pot(savages=2, m=1):
    run(savages, m, guarded=False)


@scenario(expect="safe")
def mutex(savages=2, m=1):
    run(savages, m, guarded=True)
