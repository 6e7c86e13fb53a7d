"""A reusable barrier: threads work in rounds and nobody starts round r+1
before everybody has finished round r.

* ``barrier``: ``threading.Barrier`` reused for every round.  Each thread
  records the round it is in; the invariant "no two threads are more than
  one round apart, and nobody is ahead while somebody is still working on an
  earlier round's step" holds in every interleaving.  The arrival index is
  used as CPython documents: exactly one thread per round gets index 0 and
  prints that the round is complete.
* ``counter_and_event``: a home-made barrier -- count arrivals, the last one
  sets an ``Event`` -- that works once but not when reused: the event is
  still set from the previous round, so a fast thread runs through the next
  round's barrier alone.  The checker finds the interleaving.

    python -m checker models/reusable_barrier.py
"""

from checker import Barrier, Event, Lock, Shared, Thread, invariant, scenario


def worker(name, barrier, progress, rounds):
    for r in range(rounds):
        setattr(progress, name, r)               # working on round r
        yield
        index = yield barrier.wait()
        if index == 0:
            print(f"round {r} complete")


class HomeMadeBarrier:
    """Counts arrivals under a lock; the last one sets the event (never cleared
    in time for the next round: the bug)."""

    def __init__(self, parties):
        self.parties = parties
        self.count = Shared(arrived=0)
        self.lock = Lock()
        self.done = Event()

    def arrive(self):
        yield self.lock.acquire()
        self.count.arrived += 1
        last = self.count.arrived == self.parties
        if last:
            self.count.arrived = 0
            self.done.set()
        self.lock.release()
        yield self.done.wait()
        if last:
            yield
            self.done.clear()


def worker_home_made(name, barrier, progress, rounds):
    for r in range(rounds):
        setattr(progress, name, r)
        yield
        yield from barrier.arrive()


def in_step(progress, names):
    rounds = [getattr(progress, n) for n in names]
    return max(rounds) - min(rounds) <= 1


def run(parties, rounds, make_barrier, body):
    names = [f"t{i}" for i in range(parties)]
    progress = Shared(**{n: 0 for n in names})
    barrier = make_barrier(parties)
    invariant(lambda: in_step(progress, names), "no thread is two rounds ahead of another")
    for n in names:
        Thread(name=n, target=body, args=(n, barrier, progress, rounds)).start()


@scenario(expect="safe")
def barrier(parties=2, rounds=3):
    """threading.Barrier reused for every round keeps the threads in step."""
    run(parties, rounds, Barrier, worker)


@scenario(expect="invariant")
def counter_and_event(parties=2, rounds=3):
    """A counter and an Event make a barrier that breaks when reused."""
    run(parties, rounds, HomeMadeBarrier, worker_home_made)
