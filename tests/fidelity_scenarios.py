"""Scenarios that exercise every primitive, for comparing the checker with
real CPython threads (``tests/test_fidelity.py``, ``benchmarks/fidelity_sweep.py``).

Each is small, ends quickly on real threads (virtual seconds are scaled to
milliseconds) and has more than one possible outcome where the primitive
allows it, so the real runs have something to disagree with.
"""

from __future__ import annotations

import queue

from checker import (
    Barrier, BoundedSemaphore, BrokenBarrierError, Condition, Event, LifoQueue, Lock, PriorityQueue, Queue, RLock,
    Semaphore, Shared, SharedDict, Thread, Timer, local, sleep,
)
from checker.program.scenario import make_scenario


def _append(x, item):
    x.log = x.log + (item,)


def lock_counter():
    lock = Lock()
    x = Shared(value=0, log=())

    def inc(name):
        got = yield lock.acquire(timeout=1)
        if got:
            v = x.value
            yield
            x.value = v + 1
            lock.release()
        _append(x, (name, got))

    for n in ("a", "b"):
        Thread(target=inc, args=(n,)).start()


def rlock_reentry():
    r = RLock()
    x = Shared(log=())

    def w(name):
        yield r.acquire()
        yield r.acquire()
        _append(x, name)
        r.release()
        yield
        r.release()
        try:
            r.release()
        except RuntimeError as e:
            _append(x, str(e))

    for n in ("a", "b"):
        Thread(target=w, args=(n,)).start()


def condition_handoff():
    cond = Condition()
    x = Shared(items=0, log=())

    def consumer(name):
        yield cond.acquire()
        yield cond.wait_for(lambda: x.items > 0)
        x.items -= 1
        _append(x, name)
        cond.release()

    def producer():
        for _ in range(2):
            yield cond.acquire()
            x.items += 1
            cond.notify()
            cond.release()

    for n in ("c1", "c2"):
        Thread(target=consumer, args=(n,)).start()
    Thread(target=producer).start()


def condition_wait_for_timeout():
    cond = Condition(Lock())
    x = Shared(ready=False, log=())

    def consumer():
        yield cond.acquire()
        ok = yield cond.wait_for(lambda: x.ready, 1)
        _append(x, ok)
        cond.release()

    Thread(target=consumer).start()
    yield sleep(0.5)
    yield cond.acquire()
    x.ready = True
    cond.notify()
    cond.release()


def condition_wait_timeout():
    lock = Lock()
    cond = Condition(lock)
    x = Shared(log=())

    def waiter():
        yield lock.acquire()
        got = yield cond.wait(1)
        _append(x, got)
        lock.release()

    def notifier(delay):
        yield sleep(delay)
        yield lock.acquire()
        cond.notify_all()
        lock.release()

    Thread(target=waiter).start()
    Thread(target=notifier, args=(0.5,)).start()


def semaphore_limit():
    s = Semaphore(1)
    x = Shared(log=())

    def w(name):
        got = yield s.acquire(timeout=1)
        _append(x, (name, got))
        yield
        if got:
            s.release()

    for n in ("a", "b"):
        Thread(target=w, args=(n,)).start()


def bounded_over_release():
    s = BoundedSemaphore(1)
    x = Shared(log=())

    def w():
        yield s.acquire()
        s.release()
        try:
            s.release()
        except ValueError as e:
            _append(x, str(e))

    Thread(target=w).start()


def barrier_rounds():
    x = Shared(log=())
    b = Barrier(2, action=lambda: _append(x, "action"))

    def w(name):
        i = yield b.wait()
        yield
        _append(x, (name, i))

    for n in ("a", "b"):
        Thread(target=w, args=(n,)).start()


def barrier_timeout():
    b = Barrier(2, timeout=1)
    x = Shared(log=())

    def w(name, delay):
        yield sleep(delay)
        try:
            i = yield b.wait()
            _append(x, (name, i))
        except BrokenBarrierError:
            _append(x, (name, "broken"))

    Thread(target=w, args=("early", 0)).start()
    Thread(target=w, args=("late", 3)).start()


def barrier_abort():
    b = Barrier(3)
    x = Shared(log=())

    def w(name):
        try:
            yield b.wait()
            _append(x, (name, "passed"))
        except BrokenBarrierError:
            _append(x, (name, "broken"))

    Thread(target=w, args=("a",)).start()
    yield sleep(1)
    b.abort()
    yield sleep(0.5)
    _append(x, b.broken)


def event_and_timer():
    e = Event()
    x = Shared(log=())

    def fire():
        e.set()

    t = Timer(1, fire)
    t.start()

    def waiter():
        got = yield e.wait(2)
        _append(x, got)

    Thread(target=waiter).start()
    yield t.join()


def timer_cancel_race():
    x = Shared(log=())

    def fire():
        _append(x, "fired")

    t = Timer(1, fire)
    t.start()
    yield sleep(1)
    t.cancel()
    yield t.join()
    _append(x, "joined")


def join_timeout():
    x = Shared(log=())

    def slow():
        yield sleep(2)

    t = Thread(target=slow)
    t.start()
    yield t.join(1)
    _append(x, t.is_alive())
    yield t.join()
    _append(x, t.is_alive())


def daemon_worker():
    q = Queue()
    x = Shared(log=())

    def worker():
        while True:
            item = yield q.get()
            _append(x, item)
            q.task_done()

    Thread(target=worker, daemon=True).start()
    yield q.put(1)
    yield q.put(2)
    yield q.join()


def thread_local():
    data = local()
    x = Shared(log=())
    data.name = "main"

    def w(name):
        data.name = name
        yield
        _append(x, data.name)

    for n in ("a", "b"):
        Thread(target=w, args=(n,)).start()
    yield
    _append(x, data.name)


def queues_order_and_timeouts():
    x = Shared(log=())
    for kind in (Queue, LifoQueue, PriorityQueue):
        q = kind(maxsize=2)
        yield q.put(2)
        yield q.put(1)
        try:
            yield q.put(3, timeout=0.5)
        except queue.Full:
            _append(x, "full")
        _append(x, ((yield q.get()), (yield q.get())))
        try:
            q.get_nowait()
        except queue.Empty:
            _append(x, "empty")


def queue_producer_consumer():
    q = Queue(maxsize=1)
    x = Shared(log=())

    def consumer(name):
        item = yield q.get()
        yield                        # the get and the append are separate steps in real code
        _append(x, (name, item))

    for n in ("c1", "c2"):
        Thread(target=consumer, args=(n,)).start()
    for i in range(2):
        yield q.put(i)


def shared_dict_race():
    d = SharedDict()

    def put(key, value):
        if key not in d:
            yield
            d[key] = value

    Thread(target=put, args=("k", "a")).start()
    Thread(target=put, args=("k", "b")).start()


def lock_deadlock():
    a, b = Lock(), Lock()

    def take(one, two):
        yield one.acquire()
        yield sleep(0.5)
        yield two.acquire()
        two.release()
        one.release()

    Thread(target=take, args=(a, b)).start()
    Thread(target=take, args=(b, a)).start()


FUNCTIONS = [
    lock_counter, rlock_reentry, condition_handoff, condition_wait_for_timeout, condition_wait_timeout, semaphore_limit, bounded_over_release,
    barrier_rounds, barrier_timeout, barrier_abort, event_and_timer, timer_cancel_race, join_timeout, daemon_worker,
    thread_local, queues_order_and_timeouts, queue_producer_consumer, shared_dict_race, lock_deadlock,
]

SCENARIOS = {f.__name__: make_scenario(f, expect="safe", name=f.__name__, timing="any-delay") for f in FUNCTIONS}
