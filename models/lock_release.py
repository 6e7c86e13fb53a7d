"""Releasing an unlocked Lock raises RuntimeError, exactly as in CPython.

The tutorial warns: "if your object is [not] locked before calling release
function it return Error".  ``release_twice`` releases once too often and
the checker reports the ``RuntimeError: release unlocked lock`` with the
model line that raised it; ``release_once`` is the correct pairing.
"""

from checker import Lock, Thread, scenario


def release_twice(lock):
    yield lock.acquire()
    lock.release()
    yield
    lock.release()                      # the lock is already unlocked


def release_once(lock):
    yield lock.acquire()
    lock.release()


@scenario(expect="exception")
def unlocked_release():
    """A thread releases a lock it already released."""
    lock = Lock()
    Thread(name="worker", target=release_twice, args=(lock,)).start()


@scenario
def balanced_release():
    """Two threads each acquire and release once: never an error."""
    lock = Lock()
    Thread(name="a", target=release_once, args=(lock,)).start()
    Thread(name="b", target=release_once, args=(lock,)).start()
