"""Barrier with a turnstile (The Little Book of Semaphores, 3.6): nobody
reaches the critical point until every thread has arrived.

* ``no_turnstile``: the last thread to arrive signals the barrier once, and
  the thread that gets through does not pass the signal on: everybody else
  waits forever (a deadlock).
* ``counted_without_mutex``: the turnstile is right, but the arrival count
  is a read-modify-write without the mutex: two arrivals can be counted as
  one, the count never reaches ``n`` and nobody opens the barrier.
* ``turnstile``: count under a mutex; the last arrival opens the
  turnstile, and each thread through it lets the next one through.  Proven.

    python -m checker models/turnstile_barrier.py
"""

from checker import Semaphore, Shared, Thread, scenario


def arrive(state, n, mutex, barrier, pass_on):
    if mutex is not None:
        yield mutex.acquire()
    count = state.count
    yield
    state.count = count + 1
    if mutex is not None:
        mutex.release()
    if state.count == n:
        barrier.release()
    yield barrier.acquire()
    if pass_on:
        barrier.release()             # the turnstile: let the next one through
    assert state.count == n, f"passed the barrier with {state.count} of {n} arrived"   # critical point


def run(n, with_mutex, pass_on):
    state = Shared(count=0)
    mutex = Semaphore(1, name="mutex") if with_mutex else None
    barrier = Semaphore(0, name="barrier")
    ts = [Thread(target=arrive, args=(state, n, mutex, barrier, pass_on), name=f"t{i}") for i in range(n)]
    for t in ts:
        t.start()
    for t in ts:
        yield t.join()


@scenario(expect="deadlock")
def no_turnstile(n=3):
    yield from run(n, with_mutex=True, pass_on=False)


@scenario(expect="deadlock")
def counted_without_mutex(n=2):
    yield from run(n, with_mutex=False, pass_on=True)


@scenario(expect="safe")
def turnstile(n=3):
    yield from run(n, with_mutex=True, pass_on=True)
