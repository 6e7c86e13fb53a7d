"""models/lock_release.py as plain threading code: releasing an unlocked
Lock raises CPython's RuntimeError."""

import threading

from checker import scenario


def release_twice(lock):
    lock.acquire()
    lock.release()
    lock.release()                      # the lock is already unlocked


def release_once(lock):
    lock.acquire()
    lock.release()


@scenario(expect="exception")
def unlocked_release():
    lock = threading.Lock()
    threading.Thread(name="worker", target=release_twice, args=(lock,)).start()


@scenario
def balanced_release():
    lock = threading.Lock()
    threading.Thread(name="a", target=release_once, args=(lock,)).start()
    threading.Thread(name="b", target=release_once, args=(lock,)).start()
