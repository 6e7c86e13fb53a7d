"""models/turnstile_barrier.py as plain threading code: a barrier from a
count and a turnstile semaphore.

The step program keeps the count's write, the mutex release, the re-read
of the count and the barrier release in one step; here each is its own
(finer).
"""

import threading

from checker import scenario


class State:
    def __init__(self):
        self.count = 0


def arrive(state, n, mutex, barrier, pass_on):
    if mutex is not None:
        mutex.acquire()
    state.count += 1
    if mutex is not None:
        mutex.release()
    if state.count == n:
        barrier.release()
    barrier.acquire()
    if pass_on:
        barrier.release()             # the turnstile: let the next one through
    count = state.count               # read once: the step program's assert and message are one step
    assert count == n, f"passed the barrier with {count} of {n} arrived"   # critical point


def run(n, with_mutex, pass_on):
    state = State()
    mutex = threading.Semaphore(1) if with_mutex else None
    barrier = threading.Semaphore(0)
    ts = [threading.Thread(target=arrive, args=(state, n, mutex, barrier, pass_on), name=f"t{i}") for i in range(n)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    print(f"state(count={state.count!r})")


@scenario(expect="deadlock")
def no_turnstile(n=3):
    run(n, with_mutex=True, pass_on=False)


@scenario(expect="deadlock")
def counted_without_mutex(n=2):
    run(n, with_mutex=False, pass_on=True)


@scenario(expect="safe")
def turnstile(n=3):
    run(n, with_mutex=True, pass_on=True)
