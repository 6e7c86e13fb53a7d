"""models/rendezvous.py as plain threading code: two threads meet, each
signalling its arrival on a semaphore."""

import threading

from checker import scenario


class Log:
    def __init__(self):
        self.a = False
        self.b = False


def meet(me, other, log, arrived_me, arrived_other, signal_first):
    setattr(log, me, True)                        # statement 1
    if signal_first:
        arrived_me.release()
        arrived_other.acquire()
    else:
        arrived_other.acquire()
        arrived_me.release()
    assert getattr(log, other), f"{me} passed the rendezvous before {other} arrived"   # statement 2


def run(signal_first):
    log = Log()
    a_arrived, b_arrived = threading.Semaphore(0), threading.Semaphore(0)
    ta = threading.Thread(target=meet, args=("a", "b", log, a_arrived, b_arrived, signal_first), name="A")
    tb = threading.Thread(target=meet, args=("b", "a", log, b_arrived, a_arrived, signal_first), name="B")
    ta.start()
    tb.start()
    ta.join()
    tb.join()
    print(f"log(a={log.a!r}, b={log.b!r})")


@scenario(expect="deadlock")
def wait_first():
    run(signal_first=False)


@scenario(expect="safe")
def signal_first():
    run(signal_first=True)
