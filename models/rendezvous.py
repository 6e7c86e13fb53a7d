"""Rendezvous (The Little Book of Semaphores, 3.3): a1 happens before b2
and b1 happens before a2 -- each thread waits for the other to arrive.

* ``wait_first``: each thread waits for the other before signalling its
  own arrival.  Neither ever signals: a deadlock, with the wait-for cycle.
* ``signal_first``: each signals its arrival, then waits for the other.
  Proven in every interleaving.

    python -m checker models/rendezvous.py
"""

from checker import Semaphore, Shared, Thread, scenario


def meet(me, other, log, arrived_me, arrived_other, signal_first):
    setattr(log, me, True)                        # statement 1
    yield
    if signal_first:
        arrived_me.release()
        yield arrived_other.acquire()
    else:
        yield arrived_other.acquire()
        arrived_me.release()
    assert getattr(log, other), f"{me} passed the rendezvous before {other} arrived"   # statement 2


def run(signal_first):
    log = Shared(a=False, b=False)
    a_arrived, b_arrived = Semaphore(0, name="a_arrived"), Semaphore(0, name="b_arrived")
    ta = Thread(target=meet, args=("a", "b", log, a_arrived, b_arrived, signal_first), name="A")
    tb = Thread(target=meet, args=("b", "a", log, b_arrived, a_arrived, signal_first), name="B")
    ta.start()
    tb.start()
    yield ta.join()
    yield tb.join()


@scenario(expect="deadlock")
def wait_first():
    yield from run(signal_first=False)


@scenario(expect="safe")
def signal_first():
    yield from run(signal_first=True)
