"""RLock, Condition, Semaphore, Barrier, queues, Timer, local, daemon
threads: results, outcome sets and errors exactly as CPython 3.11's."""

import queue
import threading
import warnings

import pytest

from checker import (
    Barrier, BoundedSemaphore, BrokenBarrierError, Condition, Event, LifoQueue, Lock, PriorityQueue, Queue, RLock,
    Semaphore, Shared, SharedDict, Thread, Timer, local, sleep,
)

from conftest import explore


def tally(r):
    """{(state text, failure or None): number of executions} of every outcome."""
    def failure(text):  # pytest's assertion rewriting appends its own explanation
        return text.split("\n")[0] if text else None

    return {(o.outcome.describe_state(), failure(o.outcome.failure)): o.count for o in r.outcomes}


def only(r):
    assert len(r.outcomes) == 1, [o.outcome for o in r.outcomes]
    return dict(f for _, fields in r.outcomes[0].outcome.state for f in fields)


def cpython_error(fn):
    try:
        fn()
    except Exception as e:
        return (type(e).__name__, str(e))
    raise AssertionError("CPython raised nothing")


def in_thread(call):
    """A scenario whose one thread runs ``call()`` (yielding it if it returns
    an operation) and records the exception as (type, message)."""
    def body():
        x = Shared(err=None)

        def worker():
            try:
                op = call()
                if op is not None:
                    yield op
                else:
                    yield
            except Exception as e:
                x.err = (type(e).__name__, str(e))

        Thread(target=worker).start()
    return body


# -- errors: the model raises what CPython raises -------------------------------------

ERROR_CASES = [
    ("rlock release unowned", lambda m: m.RLock().release()),
    ("rlock nonblocking timeout", lambda m: m.RLock().acquire(False, 1)),
    ("rlock negative timeout", lambda m: m.RLock().acquire(True, -2)),
    ("wait unowned", lambda m: m.Condition(m.Lock()).wait()),
    ("wait unowned rlock", lambda m: m.Condition().wait(1)),
    ("wait_for unowned", lambda m: m.Condition().wait_for(lambda: False)),
    ("notify unowned", lambda m: m.Condition(m.Lock()).notify()),
    ("notify_all unowned", lambda m: m.Condition().notify_all()),
    ("semaphore negative", lambda m: m.Semaphore(-1)),
    ("bounded negative", lambda m: m.BoundedSemaphore(-1)),
    ("semaphore nonblocking timeout", lambda m: m.Semaphore().acquire(False, 1)),
    ("semaphore release 0", lambda m: m.Semaphore().release(0)),
    ("bounded over-release", lambda m: m.BoundedSemaphore(1).release()),
    ("bounded over-release n", lambda m: m.BoundedSemaphore(2).release(2)),
    ("queue get_nowait", lambda m: m.Queue().get_nowait()),
    ("queue get nonblocking", lambda m: m.Queue().get(False)),
    ("queue get timeout 0", lambda m: m.Queue().get(timeout=0)),
    ("queue get negative", lambda m: m.Queue().get(timeout=-1)),
    ("queue put negative", lambda m: m.Queue(1).put(1, timeout=-1)),
    ("task_done too often", lambda m: m.Queue().task_done()),
    ("local arguments", lambda m: m.local(1)),
    ("barrier broken", lambda m: _aborted(m.Barrier(2)).wait()),
]


def _aborted(b):
    b.abort()
    return b


class _Real:
    """CPython's classes under the model's names."""
    RLock, Condition, Lock, Semaphore = threading.RLock, threading.Condition, threading.Lock, threading.Semaphore
    BoundedSemaphore, Barrier, local, Queue = threading.BoundedSemaphore, threading.Barrier, threading.local, queue.Queue


class _Model:
    RLock, Condition, Lock, Semaphore, BoundedSemaphore = RLock, Condition, Lock, Semaphore, BoundedSemaphore
    Barrier, local, Queue = Barrier, local, Queue


@pytest.mark.parametrize("name,call", ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_error_matches_cpython(name, call):
    expected = cpython_error(lambda: call(_Real))
    assert only(explore(in_thread(lambda: call(_Model))))["err"] == repr(expected)


def test_queue_errors_are_the_queue_modules_classes():
    def body():
        x = Shared(caught=())
        q = Queue(1)

        def worker():
            try:
                q.get_nowait()
            except queue.Empty:
                x.caught = x.caught + ("Empty",)
            yield q.put(1)
            try:
                yield q.put(2, block=False)
            except queue.Full:
                x.caught = x.caught + ("Full",)

        Thread(target=worker).start()
    assert only(explore(body))["caught"] == "('Empty', 'Full')"
    assert BrokenBarrierError is threading.BrokenBarrierError


# -- RLock ----------------------------------------------------------------------------

def test_rlock_is_reentrant_and_owned():
    def body():
        r = RLock()
        x = Shared(log=())

        def owner():
            a = yield r.acquire()
            b = yield r.acquire(blocking=False)
            x.log = x.log + (a, b, r._recursion_count())
            r.release()
            yield
            r.release()

        def other():
            got = yield r.acquire(timeout=0.5)
            x.log = x.log + (("other", got),)
            if got:
                r.release()

        Thread(target=owner).start()
        Thread(target=other).start()

    # ideal timing: the owner never waits, so the clock cannot reach 0.5 while it holds the lock
    assert set(tally(explore(body))) == {
        ("x(log=(True, True, 2, ('other', True)))", None),
        ("x(log=(('other', True), True, True, 2))", None),
    }
    # any delay: the other thread's timeout may fire while the owner holds it
    assert set(tally(explore(body, timing="any-delay"))) == {
        ("x(log=(True, True, 2, ('other', False)))", None),
        ("x(log=(('other', False), True, True, 2))", None),
        ("x(log=(True, True, 2, ('other', True)))", None),
        ("x(log=(('other', True), True, True, 2))", None),
    }


# -- Condition -------------------------------------------------------------------------

def consumers_and_producer(use_while):
    def body():
        lock = Lock()
        cond = Condition(lock)
        box = Shared(items=0)

        def consumer():
            yield lock.acquire()
            if use_while:
                while box.items == 0:
                    yield cond.wait()
            elif box.items == 0:
                yield cond.wait()
            assert box.items > 0, "took an item from an empty box"
            box.items -= 1
            lock.release()

        def producer():
            for _ in range(2):
                yield lock.acquire()
                box.items += 1
                cond.notify()
                lock.release()

        Thread(target=consumer, name="c1").start()
        Thread(target=consumer, name="c2").start()
        Thread(target=producer, name="p").start()
    return body


def test_if_around_wait_can_take_from_empty_and_while_is_safe():
    # c1 waits, c2 barges in after the producer's first notify and takes the item,
    # then c1 wakes up (no re-check) and finds the box empty
    assert tally(explore(consumers_and_producer(False))) == {
        ("box(items=0)", None): 570,
        ("box(items=0)", "assertion failed in thread c1: took an item from an empty box"): 24,
        ("box(items=0)", "assertion failed in thread c2: took an item from an empty box"): 24,
    }
    assert tally(explore(consumers_and_producer(True))) == {("box(items=0)", None): 618}


def test_notify_without_waiter_is_lost():
    def body():
        lock = Lock()
        cond = Condition(lock)

        def waiter():
            yield sleep(1)
            yield lock.acquire()
            yield cond.wait()       # the only notify happened at t=0: waits forever
            lock.release()

        t = Thread(target=waiter, name="w")
        t.start()
        yield lock.acquire()
        cond.notify()
        lock.release()
        yield t.join()

    r = explore(body)
    assert r.verdict == "violation" and r.failure.kind == "deadlock"
    assert r.failure.cycle == (("MainThread", "thread w"), ("w", "condition cond"))


def test_timed_out_waiter_spends_a_notify_before_it_reacquires():
    """CPython keeps a timed-out waiter in the waiter list until it holds the
    lock again; a notify meanwhile goes to it, and the next waiter sleeps on."""
    def body():
        lock = Lock()
        cond = Condition(lock)
        x = Shared(first=None, second=None)

        def first():
            yield lock.acquire()
            x.first = yield cond.wait(1)
            lock.release()

        def second():
            yield sleep(0.2)
            yield lock.acquire()
            x.second = yield cond.wait(5)
            lock.release()

        def notifier():
            yield sleep(0.5)
            yield lock.acquire()
            yield sleep(1.5)        # holds the lock past first's timeout
            cond.notify()
            lock.release()

        for f in (first, second, notifier):
            Thread(target=f, name=f.__name__).start()

    assert tally(explore(body)) == {("x(first=False, second=False)", None): 20}


def test_wait_results_and_wait_for():
    def body():
        cond = Condition()          # over an RLock, acquired twice
        x = Shared(flag=False, log=())

        def waiter():
            yield cond.acquire()
            yield cond.acquire()
            timed = yield cond.wait(0.5)
            got = yield cond.wait_for(lambda: x.flag, 10)
            x.log = (timed, got, cond._lock._recursion_count())
            cond.release()
            cond.release()

        def setter():
            yield sleep(1)
            yield cond.acquire()
            cond.notify()            # wakes wait_for, predicate still false: it waits again
            cond.release()
            yield sleep(1)
            yield cond.acquire()
            x.flag = True
            cond.notify_all()
            cond.release()

        Thread(target=waiter).start()
        Thread(target=setter).start()

    assert set(tally(explore(body))) == {("x(flag=True, log=(False, True, 2))", None)}


def test_wait_for_times_out_with_the_predicates_value():
    def body():
        cond = Condition(Lock())
        x = Shared(got=None)

        def waiter():
            yield cond.acquire()
            x.got = yield cond.wait_for(lambda: 0, 1)
            cond.release()

        Thread(target=waiter).start()

    assert only(explore(body)) == {"got": "0"}


def test_notify_n_wakes_the_first_n_waiters_in_order():
    def body():
        lock = Lock()
        cond = Condition(lock)
        x = Shared(woken=())

        def waiter(name, delay):
            yield sleep(delay)
            yield lock.acquire()
            yield cond.wait(10)
            x.woken = x.woken + (name,)
            lock.release()

        for name, delay in (("a", 1), ("b", 2), ("c", 3)):
            Thread(target=waiter, args=(name, delay)).start()
        yield sleep(5)
        yield lock.acquire()
        cond.notify(2)
        lock.release()

    assert set(tally(explore(body))) == {("x(woken=('a', 'b', 'c'))", None), ("x(woken=('b', 'a', 'c'))", None)}


def test_condition_over_a_plain_lock_only_checks_that_it_is_locked():
    """CPython: Condition(Lock())._is_owned() is "locked by anyone"."""
    real = threading.Condition(threading.Lock())
    real.acquire()
    errors = []
    t = threading.Thread(target=lambda: errors.append(real.notify()))
    t.start()
    t.join()
    assert errors == [None]

    def body():
        lock = Lock()
        cond = Condition(lock)
        x = Shared(result="")

        def other():
            cond.notify()
            x.result = "no error"
            yield

        yield lock.acquire()
        t = Thread(target=other)
        t.start()
        yield t.join()

    assert only(explore(body)) == {"result": "'no error'"}


def test_deprecated_aliases_warn_like_cpython():
    def body():
        x = Shared(w=())
        cond = Condition()

        def worker():
            yield cond.acquire()
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                cond.notifyAll()
                current = Thread(target=worker)
                current.isDaemon()
                current.setDaemon(True)
            x.w = tuple(str(c.message) for c in caught)
            cond.release()

        Thread(target=worker).start()

    with warnings.catch_warnings(record=True) as real:
        warnings.simplefilter("always")
        c = threading.Condition()
        with c:
            c.notifyAll()
        t = threading.Thread()
        t.isDaemon()
        t.setDaemon(True)
    assert only(explore(body))["w"] == repr(tuple(str(w.message) for w in real))


# -- Semaphore -----------------------------------------------------------------------

def test_semaphore_counts_and_times_out():
    def body():
        s = Semaphore(2)
        x = Shared(log=())

        def worker():
            a = yield s.acquire()
            b = yield s.acquire(blocking=False)
            c = yield s.acquire(timeout=1)
            x.log = (a, b, c, s._value)
            s.release(3)
            d = yield s.acquire(timeout=0)
            x.log = x.log + (d, s._value)

        Thread(target=worker).start()

    assert only(explore(body)) == {"log": "(True, True, False, 0, True, 2)"}


def test_semaphore_bounds_concurrency():
    def body(limit=2):
        s = BoundedSemaphore(limit)
        x = Shared(inside=0, most=0)

        def worker():
            yield s.acquire()
            x.inside += 1
            x.most = max(x.most, x.inside)
            yield
            x.inside -= 1
            s.release()

        for _ in range(3):
            Thread(target=worker).start()

    r = explore(body)
    assert tally(r) == {("x(inside=0, most=1)", None): 168, ("x(inside=0, most=2)", None): 1512}


def test_release_wakes_a_waiter_but_a_newcomer_may_take_the_unit():
    def body():
        s = Semaphore(0)
        x = Shared(got=())

        def waiter(name):
            yield s.acquire()
            x.got = x.got + (name,)

        Thread(target=waiter, args=("w",)).start()
        yield sleep(1)               # w is waiting
        s.release()
        Thread(target=waiter, args=("newcomer",)).start()
        yield sleep(1)
        s.release()

    assert set(tally(explore(body))) == {("x(got=('newcomer', 'w'))", None), ("x(got=('w', 'newcomer'))", None)}


# -- Barrier -------------------------------------------------------------------------

def test_barrier_indices_reuse_and_action():
    def body():
        x = Shared(actions=0, idx=())

        def action():
            x.actions += 1

        b = Barrier(2, action=action)

        def worker():
            for _ in range(2):
                i = yield b.wait()
                x.idx = x.idx + (i,)

        Thread(target=worker).start()
        Thread(target=worker).start()

    # the last to arrive (index 1) returns within its arriving step, before the
    # woken waiter's next step: each round records (1, 0)
    assert set(tally(explore(body))) == {("x(actions=2, idx=(1, 0, 1, 0))", None)}


def test_barrier_timeout_breaks_it_for_everyone():
    def body():
        b = Barrier(3, timeout=1)
        x = Shared(log=())

        def worker(name, delay):
            yield sleep(delay)
            try:
                i = yield b.wait()
                x.log = x.log + ((name, i),)
            except BrokenBarrierError:
                x.log = x.log + ((name, "broken", b.broken, b.n_waiting),)

        Thread(target=worker, args=("a", 0)).start()
        Thread(target=worker, args=("b", 0.5)).start()
        Thread(target=worker, args=("c", 2)).start()

    # a times out first (t=1) and breaks the barrier, which wakes b; c arrives broken
    assert set(tally(explore(body))) == {
        ("x(log=(('a', 'broken', True, 0), ('b', 'broken', True, 0), ('c', 'broken', True, 0)))", None),
    }


def test_barrier_abort_reset_and_failing_action():
    def body():
        b = Barrier(2)
        x = Shared(log=())

        def waiter():
            try:
                yield b.wait()
            except BrokenBarrierError:
                x.log = x.log + ("broken",)

        t = Thread(target=waiter)
        t.start()
        yield sleep(1)
        x.log = x.log + (b.n_waiting, b.parties)
        b.reset()                  # the waiter gets BrokenBarrierError; the barrier is usable again
        yield t.join()
        x.log = x.log + (b.broken,)
        b.abort()
        x.log = x.log + (b.broken,)
        b.reset()
        bad = Barrier(1, action=lambda: 1 / 0)
        try:
            yield bad.wait()
        except ZeroDivisionError:
            x.log = x.log + ("action raised", bad.broken)

    assert only(explore(body)) == {"log": "(1, 2, 'broken', False, True, 'action raised', True)"}


# -- queues ---------------------------------------------------------------------------

def test_queue_orders():
    def body():
        x = Shared(out=())
        for kind in (Queue, LifoQueue, PriorityQueue):
            q = kind()
            for item in (2, 1, 3):
                yield q.put(item)
            got = []
            while not q.empty():
                got.append((yield q.get()))
            x.out = x.out + (tuple(got),)

    assert only(explore(body)) == {"out": "((2, 1, 3), (3, 1, 2), (1, 2, 3))"}


def test_queue_timeouts_and_sizes():
    def body():
        q = Queue(maxsize=1)
        x = Shared(log=())

        def worker():
            x.log = x.log + (q.qsize(), q.empty(), q.full(), q.maxsize)
            yield q.put("a")
            x.log = x.log + (q.qsize(), q.empty(), q.full())
            try:
                yield q.put("b", timeout=1)
            except queue.Full:
                x.log = x.log + ("full",)
            x.log = x.log + ((yield q.get(timeout=1)),)
            try:
                yield q.get(timeout=1)
            except queue.Empty:
                x.log = x.log + ("empty",)

        Thread(target=worker).start()

    assert only(explore(body)) == {"log": "(0, True, False, 1, 1, False, True, 'full', 'a', 'empty')"}


def test_blocked_put_and_get_hand_over():
    def body():
        q = Queue(maxsize=1)
        x = Shared(got=())

        def consumer():
            for _ in range(3):
                item = yield q.get()
                x.got = x.got + (item,)
                q.task_done()

        Thread(target=consumer).start()
        for i in range(3):
            yield q.put(i)          # blocks while the one slot is taken
        yield q.join()
        x.got = x.got + ("joined",)

    assert set(tally(explore(body))) == {("x(got=(0, 1, 2, 'joined'))", None)}


# -- Timer, daemon threads, local -------------------------------------------------------

def test_timer_fires_unless_cancelled():
    def body():
        x = Shared(fired=())

        def fire(name):
            x.fired = x.fired + (name,)

        t1 = Timer(1, fire, args=("t1",))
        t2 = Timer(1, fire, args=("t2",))
        t1.start()
        t2.start()
        yield sleep(0.5)
        t2.cancel()
        yield t1.join()
        yield t2.join()

    assert only(explore(body)) == {"fired": "('t1',)"}


def test_daemon_threads_do_not_keep_the_execution_alive():
    def body():
        q = Queue()
        x = Shared(daemonic=None, error=None)

        def worker():
            while True:
                yield q.get()        # blocks forever once the queue is empty: not a deadlock

        t = Thread(target=worker, daemon=True)
        t.start()
        x.daemonic = t.daemon
        try:
            t.daemon = False
        except RuntimeError as e:
            x.error = str(e)
        yield q.put(1)

    r = explore(body)
    assert r.verdict == "safe"
    assert only(r) == {"daemonic": "True", "error": "'cannot set daemon status of active thread'"}


def test_threads_inherit_daemon_status_from_their_creator():
    def body():
        x = Shared(child=None)

        def child():
            yield

        def parent():
            x.child = Thread(target=child).daemon
            yield

        Thread(target=parent, daemon=True).start()
        yield sleep(1)

    assert only(explore(body)) == {"child": "True"}


def test_local_data_is_per_thread_and_init_runs_per_thread():
    class Counter(local):
        def __init__(self, start):
            self.n = start

    def body():
        data = Counter(10)
        x = Shared(seen=())

        def worker(name):
            data.n += 1
            yield
            x.seen = x.seen + ((name, data.n),)

        Thread(target=worker, args=("a",)).start()
        Thread(target=worker, args=("b",)).start()
        yield sleep(1)
        x.seen = x.seen + (("main", data.n),)

    assert set(tally(explore(body))) == {
        ("x(seen=(('a', 11), ('b', 11), ('main', 10)))", None), ("x(seen=(('b', 11), ('a', 11), ('main', 10)))", None),
    }


# -- SharedDict -------------------------------------------------------------------------

def test_shared_dict_conflicts_per_key():
    def body(same_key=False):
        d = SharedDict()

        def register(key, who):
            if key not in d:
                yield
                d[key] = who

        Thread(target=register, args=("k", "a")).start()
        Thread(target=register, args=("k" if same_key else "j", "b")).start()

    different = explore(body)
    assert set(tally(different)) == {("d(['j']='b', ['k']='a')", None)}
    same = explore(body, params={"same_key": True})
    assert set(tally(same)) == {("d(['k']='a')", None), ("d(['k']='b')", None)}


# -- deadlock explanations ----------------------------------------------------------------

def test_deadlock_cycle_through_locks_joins_and_events():
    def body():
        held = Lock()
        e = Event()

        def a():
            yield sleep(1)
            yield held.acquire()

        def b():
            yield held.acquire()
            yield e.wait()

        ta = Thread(target=a, name="a")
        ta.start()
        Thread(target=b, name="b").start()
        yield ta.join()
        e.set()

    r = explore(body)
    assert r.failure.kind == "deadlock"
    # exact edges (MainThread joins a, a waits for b's lock) are preferred; b's event
    # could be set by any thread, and a is the cheapest way back
    assert r.failure.cycle == (("a", "lock held"), ("b", "event e"))
    assert r.failure.message.endswith("wait-for cycle: a -> lock held -> b -> event e -> a")


def test_a_timeout_fixes_the_result_when_it_fires():
    """CPython decides acquire()/wait() -> False when the timeout fires; the
    thread continues later, possibly after the lock was released or the event
    set.  The timed-out operation is therefore two steps."""
    def body():
        lock = Lock()
        e = Event()
        x = Shared(log=())

        def holder():
            yield lock.acquire()
            yield sleep(1)
            lock.release()
            e.set()
            x.log = x.log + ("released",)

        def waiter():
            yield sleep(0.5)
            got = yield lock.acquire(timeout=0.5)
            x.log = x.log + (("lock", got),)
            flag = yield e.wait(0)
            x.log = x.log + (("event", flag),)

        Thread(target=holder).start()
        Thread(target=waiter).start()

    # the holder's release and the waiter's deadline are both at t=1
    assert tally(explore(body)) == {
        ("x(log=('released', ('lock', True), ('event', True)))", None): 3,
        ("x(log=('released', ('lock', False), ('event', True)))", None): 3,  # timed out, then released
        ("x(log=(('lock', False), 'released', ('event', True)))", None): 3,
        ("x(log=(('lock', False), 'released', ('event', False)))", None): 3,  # wait(0) timed out, then set
        ("x(log=(('lock', False), ('event', False), 'released'))", None): 3,
    }


def test_discarded_threads_close_quietly():
    """A thread left blocked inside try/finally is closed by the garbage
    collector after its execution; its ``lock.release()`` in ``finally`` must
    not surface as an "Exception ignored" error."""
    import subprocess
    import sys

    script = (
        "from checker import check, load_model\n"
        "sc = load_model('models/producer_consumer.py').scenario('with_if')\n"
        "print(check(sc, strategy='dpor', all_outcomes=True).verdict)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "violation"
    assert "Exception ignored" not in done.stderr, done.stderr[:500]
