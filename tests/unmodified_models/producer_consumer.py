"""models/producer_consumer.py as plain threading code: a Condition over a
Lock, consumers waiting with ``while`` (safe) or ``if`` (a woken consumer
can find the box empty).

The step program holds the lock across each of its steps, so the finer
steps here (``box.items -= 1`` is a read and a write) are all under the
lock.
"""

import threading

from checker import scenario


class Box:
    def __init__(self):
        self.items = 0
        self.consumed = 0


def consume(box, cond, lock, recheck):
    with lock:
        if recheck:
            while box.items == 0:
                cond.wait()
        elif box.items == 0:
            cond.wait()
        items = box.items             # read once: the step program's assert and message are one step
        assert items > 0, f"{items} items left, but a consumer was woken to take one"
        box.items -= 1
        box.consumed += 1


def produce(box, cond, lock, count):
    for _ in range(count):
        with lock:
            box.items += 1
            cond.notify()


def run(consumers, recheck):
    lock = threading.Lock()
    cond = threading.Condition(lock)
    box = Box()
    threads = [threading.Thread(name=f"c{i}", target=consume, args=(box, cond, lock, recheck))
               for i in range(consumers)]
    threads.append(threading.Thread(name="p", target=produce, args=(box, cond, lock, consumers)))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"box(consumed={box.consumed!r}, items={box.items!r})")
    assert box.consumed == consumers, f"{box.consumed} of {consumers} items consumed"


@scenario(expect="safe")
def with_while(consumers=2):
    run(consumers, recheck=True)


@scenario(expect="assertion")
def with_if(consumers=2):
    run(consumers, recheck=False)
