"""Lock, Event, Thread, sleep: return values and errors exactly as CPython."""

import threading
import warnings

import pytest

from checker import Event, Lock, Shared, Thread, current_thread, currentThread, sleep

from conftest import explore


def only_outcome(r):
    assert len(r.outcomes) == 1, [o.outcome for o in r.outcomes]
    return dict(r.outcomes[0].outcome.state[0][1])


def cpython_error(fn):
    try:
        fn()
    except Exception as e:
        return type(e), str(e)
    raise AssertionError("CPython raised nothing")


def test_release_unlocked_lock_is_cpythons_runtime_error():
    def body():
        Lock().release()

    expected = cpython_error(lambda: threading.Lock().release())

    def in_thread():
        def worker():
            Lock().release()
            yield

        Thread(target=worker).start()

    r = explore(in_thread)
    assert r.failure.kind == "exception"
    assert (r.failure.exception, r.failure.message) == (expected[0].__name__, expected[1])


@pytest.mark.parametrize(
    "call",
    [
        lambda lock: lock.acquire(False, 1),
        lambda lock: lock.acquire(True, -2),
    ],
)
def test_acquire_argument_errors_match_cpython(call):
    expected = cpython_error(lambda: call(threading.Lock()))

    def body():
        x = Shared(err=None)

        def worker():
            try:
                yield call(Lock())
            except Exception as e:
                x.err = (type(e).__name__, str(e))

        Thread(target=worker).start()

    assert only_outcome(explore(body))["err"] == repr((expected[0].__name__, expected[1]))


def test_acquire_results_nonblocking_and_timeout():
    def body():
        lock = Lock()
        x = Shared(free=None, busy=None, timed=None, locked=None)

        def worker():
            x.free = yield lock.acquire(blocking=False)
            x.busy = yield lock.acquire(blocking=False)
            x.timed = yield lock.acquire(timeout=1.5)
            x.locked = lock.locked()

        Thread(target=worker).start()

    assert only_outcome(explore(body)) == {"free": "True", "busy": "False", "timed": "False", "locked": "True"}


def test_lock_acquire_timeout_wins_or_loses_against_release():
    def body():
        lock = Lock()
        x = Shared(got=None)

        def holder():
            yield lock.acquire()
            yield sleep(2)
            lock.release()

        def waiter():
            yield sleep(0.5)
            x.got = yield lock.acquire(timeout=1)

        Thread(target=holder).start()
        Thread(target=waiter).start()

    # ideal timing: the holder keeps the lock until t=2, the waiter gives up at t=1.5
    assert {o.outcome.state[0][1][0][1] for o in explore(body).outcomes} == {"False"}


def test_event_wait_returns_flag_and_isset_warns():
    def body():
        e = Event()
        x = Shared(before=None, zero=None, negative=None, after=None, alias=None)

        def worker():
            x.before = yield e.wait(1)
            x.zero = yield e.wait(0)
            x.negative = yield e.wait(-1)
            e.set()
            x.after = yield e.wait()
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                x.alias = (e.isSet(), caught[0].category.__name__, str(caught[0].message))
            e.clear()

        Thread(target=worker).start()

    real = threading.Event()
    assert (real.wait(0), real.wait(-1)) == (False, False)
    got = only_outcome(explore(body))
    assert got["before"] == "False" and got["zero"] == "False" and got["negative"] == "False"
    assert got["after"] == "True"
    assert got["alias"] == repr((True, "DeprecationWarning", "isSet() is deprecated, use is_set() instead"))


def test_thread_errors_match_cpython():
    t = threading.Thread(target=lambda: None)
    join_early = cpython_error(t.join)
    t.start()
    start_twice = cpython_error(t.start)
    t.join()
    join_self = cpython_error(lambda: threading.current_thread().join())

    def body():
        x = Shared(errors=())

        def work():
            yield

        def record(fn):
            try:
                fn()
            except RuntimeError as e:
                x.errors = x.errors + (str(e),)

        t = Thread(target=work)
        record(t.join)
        t.start()
        record(t.start)
        record(current_thread().join)

    assert only_outcome(explore(body))["errors"] == repr((join_early[1], start_twice[1], join_self[1]))


def test_thread_names_join_timeout_and_is_alive():
    def body():
        x = Shared(names=(), alive=None, after=None, joined=None)

        def slow():
            yield sleep(5)

        def main_part():
            t = Thread(target=slow)
            u = Thread(target=slow, name="named")
            x.names = (current_thread().name, t.name, u.name)
            t.start()
            u.start()
            x.joined = yield t.join(timeout=1)
            x.alive = t.is_alive()
            yield t.join()
            x.after = t.is_alive()

        yield from main_part()

    got = only_outcome(explore(body))
    assert got["names"] == repr(("MainThread", "Thread-1 (slow)", "named"))
    assert (got["joined"], got["alive"], got["after"]) == ("None", "True", "False")


def test_current_thread_alias_warns_like_cpython():
    def body():
        x = Shared(name=None)

        def worker():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                x.name = currentThread().getName()
            yield

        Thread(target=worker, name="w").start()

    assert only_outcome(explore(body))["name"] == "'w'"


def test_sleep_negative_is_value_error_like_time_sleep():
    import time

    expected = cpython_error(lambda: time.sleep(-1))

    def body():
        x = Shared(err=None)

        def worker():
            try:
                yield sleep(-1)
            except ValueError as e:
                x.err = str(e)

        Thread(target=worker).start()

    assert only_outcome(explore(body))["err"] == repr(expected[1])


def test_virtual_time_never_waits_on_the_wall_clock():
    import time

    def body():
        def sleeper():
            yield sleep(3600)

        Thread(target=sleeper).start()

    started = time.perf_counter()
    r = explore(body)
    assert r.verdict == "safe"
    assert time.perf_counter() - started < 5


def test_deadlock_is_reported_with_what_each_thread_waits_for():
    def body():
        a, b = Lock(), Lock()

        def one():
            yield a.acquire()
            yield b.acquire()

        def two():
            yield b.acquire()
            yield a.acquire()

        Thread(target=one, name="one").start()
        Thread(target=two, name="two").start()

    r = explore(body)
    failures = {o.outcome.failure for o in r.outcomes if o.outcome.failure}
    assert any("one waits for b held by two" in f and "two waits for a held by one" in f for f in failures)
    # a lock still held by a finished thread blocks forever too
    assert "deadlock: no thread can run (two waits for b held by one at line 243)" in failures
