"""models/reusable_barrier.py as plain threading code: threading.Barrier
reused over rounds keeps the threads in step; a home-made barrier of a
count and an Event does not.

As in the step program the main thread does not join, so nothing prints
the final state; the invariant watches it.  The step program's
``self.count.arrived += 1`` is one step, here a read and a write (under
the lock).
"""

import threading

from checker import invariant, scenario


class Progress:
    def __init__(self, names):
        for n in names:
            setattr(self, n, 0)


def worker(name, barrier, progress, rounds):
    for r in range(rounds):
        setattr(progress, name, r)               # working on round r
        index = barrier.wait()
        if index == 0:
            print(f"round {r} complete")


class HomeMadeBarrier:
    """Counts arrivals under a lock; the last one sets the event (never cleared
    in time for the next round: the bug)."""

    def __init__(self, parties):
        self.parties = parties
        self.arrived = 0
        self.lock = threading.Lock()
        self.done = threading.Event()

    def arrive(self):
        with self.lock:
            self.arrived += 1
            last = self.arrived == self.parties
            if last:
                self.arrived = 0
                self.done.set()
        self.done.wait()
        if last:
            self.done.clear()


def worker_home_made(name, barrier, progress, rounds):
    for r in range(rounds):
        setattr(progress, name, r)
        barrier.arrive()


def in_step(progress, names):
    rounds = [getattr(progress, n) for n in names]
    return max(rounds) - min(rounds) <= 1


def run(parties, rounds, make_barrier, body):
    names = [f"t{i}" for i in range(parties)]
    progress = Progress(names)
    barrier = make_barrier(parties)
    invariant(lambda: in_step(progress, names), "no thread is two rounds ahead of another")
    for n in names:
        threading.Thread(name=n, target=body, args=(n, barrier, progress, rounds)).start()


@scenario(expect="safe")
def barrier(parties=2, rounds=3):
    run(parties, rounds, threading.Barrier, worker)


@scenario(expect="invariant")
def counter_and_event(parties=2, rounds=3):
    run(parties, rounds, HomeMadeBarrier, worker_home_made)
