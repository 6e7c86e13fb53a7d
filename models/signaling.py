"""Signaling (The Little Book of Semaphores, 3.1): statement a1 in thread
A must happen before statement b1 in thread B.

* ``unsignaled``: B just runs; nothing orders it after A, so B can read the
  value before A has written it.
* ``semaphore``: A releases a semaphore created at 0 after a1; B acquires it
  before b1.  Proven in every interleaving.

    python -m checker models/signaling.py
"""

from checker import Semaphore, Shared, Thread, scenario


def a(box, a1_done):
    box.value = 42                    # a1
    if a1_done is not None:
        a1_done.release()
    yield


def b(box, a1_done):
    if a1_done is not None:
        yield a1_done.acquire()
    yield
    assert box.value == 42, f"b1 read {box.value} before a1 wrote it"   # b1


def run(signal):
    box = Shared(value=0)
    a1_done = Semaphore(0, name="a1_done") if signal else None
    ta = Thread(target=a, args=(box, a1_done), name="A")
    tb = Thread(target=b, args=(box, a1_done), name="B")
    tb.start()
    ta.start()
    yield ta.join()
    yield tb.join()


@scenario(expect="assertion")
def unsignaled():
    yield from run(signal=False)


@scenario(expect="safe")
def semaphore():
    yield from run(signal=True)
