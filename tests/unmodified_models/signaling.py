"""models/signaling.py as plain threading code: a1 before b1, by a
semaphore."""

import threading

from checker import scenario


class Box:
    def __init__(self):
        self.value = 0


def a(box, a1_done):
    box.value = 42                    # a1
    if a1_done is not None:
        a1_done.release()


def b(box, a1_done):
    if a1_done is not None:
        a1_done.acquire()
    value = box.value                 # b1 reads once: the step program's assert and message are one step
    assert value == 42, f"b1 read {value} before a1 wrote it"


def run(signal):
    box = Box()
    a1_done = threading.Semaphore(0) if signal else None
    ta = threading.Thread(target=a, args=(box, a1_done), name="A")
    tb = threading.Thread(target=b, args=(box, a1_done), name="B")
    tb.start()
    ta.start()
    ta.join()
    tb.join()
    print(f"box(value={box.value!r})")


@scenario(expect="assertion")
def unsignaled():
    run(signal=False)


@scenario(expect="safe")
def semaphore():
    run(signal=True)
