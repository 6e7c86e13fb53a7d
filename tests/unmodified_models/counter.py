"""models/counter.py as plain threading code: the tutorial's counter.

``counter.value += 1`` is a read and a write, as the step program's
``value = counter.value; yield; counter.value = value + 1``; the step
program keeps one iteration's write and the next one's read in one step,
the tracer does not (finer: a superset of outcomes).
"""

import threading

from checker import scenario


class Counter:
    def __init__(self):
        self.value = 0


def increment(counter, times):
    for _ in range(times):
        counter.value += 1


def increment_locked(counter, lock, times):
    for _ in range(times):
        with lock:
            counter.value += 1


def run(target, counter, *extra, times):
    t = threading.Thread(name="t", target=target, args=(counter, *extra, times))
    s = threading.Thread(name="s", target=target, args=(counter, *extra, times))
    t.start()
    s.start()
    t.join()
    s.join()
    print(f"counter(value={counter.value!r})")
    assert counter.value == 2 * times, f"final value {counter.value}, expected {2 * times}"


@scenario(expect="violation")
def unlocked(times=2):
    run(increment, Counter(), times=times)


@scenario(expect="safe")
def locked(times=2):
    run(increment_locked, Counter(), threading.Lock(), times=times)
