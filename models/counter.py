"""Counter increment: the tutorial's lost update, and the lock that fixes it.

Two threads each add 1 to a shared counter ``times`` times.  Without a lock
the read and the write are separate steps, so one thread can overwrite the
other's update: the final value is smaller than expected.  With
``lock.acquire()`` / ``lock.release()`` around the read-modify-write, every
interleaving ends with the right value.

    python -m checker models/counter.py
    python -m checker models/counter.py --param times=3
"""

from checker import Lock, Shared, Thread, scenario


def increment(counter, times):
    for _ in range(times):
        value = counter.value          # read ...
        yield                          # ... another thread may run here ...
        counter.value = value + 1      # ... and write back a stale value


def increment_locked(counter, lock, times):
    for _ in range(times):
        yield lock.acquire()
        value = counter.value
        yield
        counter.value = value + 1
        lock.release()
        yield


@scenario(expect="violation")
def unlocked(times=2):
    """Two threads increment without a lock: updates are lost."""
    counter = Shared(value=0)
    t = Thread(name="t", target=increment, args=(counter, times))
    s = Thread(name="s", target=increment, args=(counter, times))
    t.start()
    s.start()
    yield t.join()
    yield s.join()
    assert counter.value == 2 * times, f"final value {counter.value}, expected {2 * times}"


@scenario(expect="safe")
def locked(times=2):
    """The same increments under a Lock: no update is ever lost."""
    counter = Shared(value=0)
    lock = Lock()
    t = Thread(name="t", target=increment_locked, args=(counter, lock, times))
    s = Thread(name="s", target=increment_locked, args=(counter, lock, times))
    t.start()
    s.start()
    yield t.join()
    yield s.join()
    assert counter.value == 2 * times, f"final value {counter.value}, expected {2 * times}"
