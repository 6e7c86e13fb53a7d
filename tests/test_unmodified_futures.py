"""concurrent.futures in unmodified code (docs/unmodified.md, section 0).

A model file that uses ``ThreadPoolExecutor``, ``Future``, ``wait`` and
``as_completed`` as written runs on the checker's counterparts
(``checker/program/unmodified/futures_module.py``, ``future.py``).  Every
scenario here is checked against brute force (DFS reaches exactly DPOR's
outcomes; in both timing modes where a timeout is involved), with the
numbers pinned, and the same file run on the real ``concurrent.futures``
prints only outcomes the checker found.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import textwrap
import warnings

import pytest

from checker import ModelError, check, load_model

MODEL = """
import threading
import time
from concurrent.futures import (FIRST_COMPLETED, FIRST_EXCEPTION, CancelledError, Future, ThreadPoolExecutor,
                                TimeoutError, as_completed, wait)
from checker import scenario


class Counter:
    def __init__(self):
        self.value = 0


def increment(counter, lock=None):
    if lock is None:
        counter.value += 1
    else:
        with lock:
            counter.value += 1


def slow(value, seconds):
    time.sleep(seconds)
    return value


def fail(message):
    raise ValueError(message)


@scenario(expect="assertion")
def pool_and_main():
    counter = Counter()
    pool = ThreadPoolExecutor(max_workers=1)
    f = pool.submit(increment, counter)
    increment(counter)
    f.result()
    assert counter.value == 2, f"final value {counter.value}, expected 2"


@scenario
def pool_and_main_locked():
    counter = Counter()
    lock = threading.Lock()
    pool = ThreadPoolExecutor(max_workers=1)
    f = pool.submit(increment, counter, lock)
    increment(counter, lock)
    f.result()
    assert counter.value == 2, f"final value {counter.value}, expected 2"


@scenario(expect="assertion")
def two_workers():
    counter = Counter()
    pool = ThreadPoolExecutor(max_workers=2)
    a = pool.submit(increment, counter)
    b = pool.submit(increment, counter)
    a.result(); b.result()
    assert counter.value == 2, f"final value {counter.value}, expected 2"


@scenario
def two_workers_locked():
    counter = Counter()
    lock = threading.Lock()
    pool = ThreadPoolExecutor(max_workers=2)
    a = pool.submit(increment, counter, lock)
    b = pool.submit(increment, counter, lock)
    a.result(); b.result()
    assert counter.value == 2, f"final value {counter.value}, expected 2"


@scenario
def results_and_exceptions():
    with ThreadPoolExecutor(max_workers=1) as pool:
        good, bad = pool.submit(pow, 2, 5), pool.submit(fail, "boom")
        print(good.result(), good.exception(), repr(bad.exception()))
        try:
            bad.result()
        except ValueError as e:
            print("result() raised", e)


@scenario
def timeout(work=1, limit=2):
    pool = ThreadPoolExecutor(max_workers=1)
    f = pool.submit(slow, "done", work)
    try:
        print(f.result(timeout=limit))
    except TimeoutError:
        print("timed out; done() is", f.done())


@scenario
def cancel():
    gate = threading.Event()
    pool = ThreadPoolExecutor(max_workers=1)
    first = pool.submit(gate.wait)
    second = pool.submit(print, "second ran")
    print("cancel:", second.cancel(), "running:", first.running())
    gate.set()
    try:
        second.result()
    except CancelledError:
        print("second cancelled")


@scenario
def mapping(limit=None):
    with ThreadPoolExecutor(max_workers=1) as pool:
        try:
            for value in pool.map(slow, ["a", "b"], [1, 1], timeout=limit):
                print(value)
        except TimeoutError:
            print("map timed out")


@scenario
def completed(limit=None):
    pool = ThreadPoolExecutor(max_workers=2)
    fs = [pool.submit(slow, "slow", 2), pool.submit(slow, "fast", 1)]
    try:
        for f in as_completed(fs, timeout=limit):
            print(f.result())
    except TimeoutError as e:
        print("as_completed:", e)


@scenario
def first_completed(limit=None):
    pool = ThreadPoolExecutor(max_workers=2)
    fs = [pool.submit(slow, "slow", 2), pool.submit(slow, "fast", 1)]
    done, not_done = wait(fs, timeout=limit, return_when=FIRST_COMPLETED)
    print(sorted(f.result() for f in done), len(not_done))


@scenario
def first_exception():
    pool = ThreadPoolExecutor(max_workers=2)
    fs = [pool.submit(slow, "slow", 1), pool.submit(fail, "boom")]
    done, not_done = wait(fs, return_when=FIRST_EXCEPTION)
    print(len(done), len(not_done))


@scenario
def no_wait():
    pool = ThreadPoolExecutor(max_workers=1)
    pool.submit(print, "task")
    pool.shutdown(wait=False)
    print("shut down")


@scenario
def never_shut_down():
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="worker")
    pool.submit(lambda: print("ran in", threading.current_thread().name))
    pool.submit(print, "queued work runs at exit")


@scenario
def submit_after_shutdown():
    pool = ThreadPoolExecutor(max_workers=1)
    pool.shutdown()
    try:
        pool.submit(print, "never")
    except RuntimeError as e:
        print(e)


@scenario
def after_exit():
    pool = ThreadPoolExecutor(max_workers=1)

    def late():
        time.sleep(1)
        try:
            pool.submit(print, "late work")
        except RuntimeError as e:
            print(e)
    threading.Thread(target=late).start()


@scenario
def callbacks():
    f = Future()
    f.add_done_callback(lambda fut: print("callback in", threading.current_thread().name, fut.result()))
    setter = threading.Thread(target=f.set_result, args=(5,), name="setter")
    setter.start()
    print("result", f.result())
    setter.join()
    f.add_done_callback(lambda fut: print("late callback in", threading.current_thread().name))


@scenario(expect="deadlock")
def nested_wait():
    pool = ThreadPoolExecutor(max_workers=1)

    def outer():
        return pool.submit(int).result()
    pool.submit(outer).result()


@scenario
def names():
    with ThreadPoolExecutor(max_workers=2) as a, ThreadPoolExecutor(max_workers=1, thread_name_prefix="b") as b:
        print(a.submit(lambda: threading.current_thread().name).result(),
              b.submit(lambda: threading.current_thread().name).result())


@scenario
def map_timeout(limit=1):
    with ThreadPoolExecutor(max_workers=1) as pool:
        try:
            print(list(pool.map(slow, ["a"], [2], timeout=limit)))
        except TimeoutError:
            print("map timed out")


@scenario
def completed_timeout(limit=1):
    pool = ThreadPoolExecutor(max_workers=1)
    try:
        for f in as_completed([pool.submit(slow, "x", 2)], timeout=limit):
            print(f.result())
    except TimeoutError as e:
        print("as_completed:", e)


@scenario
def wait_timeout(limit=1):
    pool = ThreadPoolExecutor(max_workers=1)
    done, not_done = wait([pool.submit(slow, "x", 2)], timeout=limit)
    print(len(done), len(not_done))
"""


@pytest.fixture(scope="module")
def futures(tmp_path_factory):
    path = tmp_path_factory.mktemp("futures") / "futures_model.py"
    path.write_text(textwrap.dedent(MODEL))
    return load_model(path)


def outcomes(result) -> set:
    return {o.outcome.output if o.outcome.failure is None else o.outcome.failure for o in result.outcomes}


def explored(model, name, timing="ideal", dfs_executions=None, **params):
    """DPOR's result, after checking that brute force (DFS) reaches exactly
    its outcomes in ``dfs_executions`` executions."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dpor = check(model.scenario(name), params=params, timing=timing, all_outcomes=True)
        dfs = check(model.scenario(name), params=params, timing=timing, all_outcomes=True, strategy="dfs")
    assert dpor.complete and dfs.complete
    assert outcomes(dpor) == outcomes(dfs), outcomes(dpor) ^ outcomes(dfs)
    assert dfs.executions == dfs_executions
    return dpor


LOST = "assertion failed in thread MainThread: final value 1, expected 2"


# -- the lost update through a pool ------------------------------------------------------
@pytest.mark.parametrize("name, dfs, classes, found", [
    ("pool_and_main", 21, 4, {"", LOST}),
    ("pool_and_main_locked", 20, 2, {""}),
    ("two_workers", 2437, 43, {"", LOST}),
])
def test_the_lost_update_through_a_pool_is_found_and_the_lock_proves_it_safe(futures, name, dfs, classes, found):
    r = explored(futures, name, dfs_executions=dfs)
    assert (r.classes, outcomes(r)) == (classes, found)


def test_two_workers_with_a_lock_are_proven_safe(futures):
    # brute force is beyond 6,000 executions here: the unlocked twin above is compared with it
    r = check(futures.scenario("two_workers_locked"))
    assert (r.verdict, r.complete, r.classes) == ("safe", True, 31)


def test_the_counterexample_names_the_pool_threads_and_the_users_lines(futures):
    r = check(futures.scenario("two_workers"))
    rows = {(e.thread_name, a.describe()) for e in r.counterexample.trace.events for a in e.accesses
            if a.field == "value" and e.thread_name != "MainThread"}
    assert rows == {("ThreadPoolExecutor-0_0", "read counter.value = 0"),
                    ("ThreadPoolExecutor-0_0", "write counter.value = 1"),
                    ("ThreadPoolExecutor-0_1", "read counter.value = 0"),
                    ("ThreadPoolExecutor-0_1", "write counter.value = 1")}


# -- results, exceptions, timeouts, cancellation ---------------------------------------------
@pytest.mark.parametrize("name, dfs, classes, found", [
    ("results_and_exceptions", 24, 3, {"32 None ValueError('boom')\nresult() raised boom\n"}),
    ("cancel", 889, 6, {"cancel: True running: False\nsecond cancelled\n",
                            "cancel: True running: True\nsecond cancelled\n"}),
    ("mapping", 12, 2, {"a\nb\n"}),
    ("completed", 90, 16, {"fast\nslow\n"}),
    ("first_completed", 45, 8, {"['fast'] 1\n"}),
    ("first_exception", 55, 11, {"1 1\n"}),
    ("submit_after_shutdown", 1, 1, {"cannot schedule new futures after shutdown\n"}),
    ("callbacks", 6, 2, {"callback in setter 5\nresult 5\nlate callback in MainThread\n",
                         "result 5\ncallback in setter 5\nlate callback in MainThread\n"}),
    ("names", 1, 1, {"ThreadPoolExecutor-0_0 b_0\n"}),
])
def test_futures_behave_as_cpythons(futures, name, dfs, classes, found):
    r = explored(futures, name, dfs_executions=dfs)
    assert (r.classes, outcomes(r)) == (classes, found)


TIMED_OUT = "timed out; done() is False\n"


@pytest.mark.parametrize("name, params, timing, dfs, classes, found", [
    ("timeout", {"work": 1, "limit": 2}, "ideal", 1, 1, {"done\n"}),
    ("timeout", {"work": 1, "limit": 2}, "any-delay", 406, 65, {"done\n", TIMED_OUT, "timed out; done() is True\n"}),
    ("timeout", {"work": 2, "limit": 1}, "ideal", 1, 1, {TIMED_OUT}),
    ("timeout", {"work": 2, "limit": 1}, "any-delay", 434, 68, {"done\n", TIMED_OUT, "timed out; done() is True\n"}),
    ("map_timeout", {}, "ideal", 3, 1, {"map timed out\n"}),
    ("map_timeout", {}, "any-delay", 644, 68, {"['a']\n", "map timed out\n"}),
    ("completed_timeout", {}, "ideal", 10, 2, {"as_completed: 1 (of 1) futures unfinished\n"}),
    ("completed_timeout", {}, "any-delay", 906, 60, {"as_completed: 1 (of 1) futures unfinished\n", "x\n"}),
    ("wait_timeout", {}, "ideal", 3, 2, {"0 1\n"}),
    ("wait_timeout", {}, "any-delay", 399, 56, {"0 1\n", "1 0\n"}),
])
def test_timeouts_run_on_the_virtual_clock_in_both_timings(futures, name, params, timing, dfs, classes, found):
    r = explored(futures, name, timing, dfs_executions=dfs, **params)
    assert (r.classes, outcomes(r)) == (classes, found)


# -- shutting down, and the scenario's end ----------------------------------------------------
@pytest.mark.parametrize("name, timing, dfs, classes, found", [
    ("no_wait", "ideal", 55, 4, {"shut down\ntask\n", "task\nshut down\n"}),
    ("never_shut_down", "ideal", 30, 3, {"ran in worker_0\nqueued work runs at exit\n"}),
    ("after_exit", "ideal", 2, 1, {"cannot schedule new futures after interpreter shutdown\n"}),
    ("after_exit", "any-delay", 10, 3, {"cannot schedule new futures after interpreter shutdown\n", "late work\n"}),
])
def test_queued_work_runs_to_the_end_and_the_end_is_no_deadlock(futures, name, timing, dfs, classes, found):
    """CPython's exit handler lets the workers finish the queued work; a
    submit after the main thread's code ended raises."""
    r = explored(futures, name, timing, dfs_executions=dfs)
    assert (r.verdict, r.classes, outcomes(r)) == ("safe", classes, found)


def test_a_task_waiting_for_work_queued_behind_it_is_a_deadlock_with_its_cycle(futures):
    r = explored(futures, "nested_wait", dfs_executions=1)
    assert r.verdict == "violation" and r.failure.kind == "deadlock"
    assert "wait-for cycle: MainThread -> future future -> ThreadPoolExecutor-0_0 -> future future#2 -> MainThread" \
        in r.failure.message


# -- refusals ---------------------------------------------------------------------------------
@pytest.mark.parametrize("lines, line", [
    ("from concurrent.futures import ProcessPoolExecutor\n", 2),
    ("import concurrent.futures\n\n\ndef f():\n    return concurrent.futures.ProcessPoolExecutor(2)\n", 6),
    ("import concurrent.futures.process\n", 2),
    ("import multiprocessing\n", 2),
])
def test_processes_are_refused_by_line_with_a_hint(tmp_path, lines, line):
    path = tmp_path / "m.py"
    path.write_text("import threading\n" + lines + "from checker import scenario\n@scenario\ndef s():\n    pass\n")
    with pytest.raises(ModelError) as info:
        load_model(path)
    assert f"{path}:{line}" in str(info.value) and "is not supported in unmodified models" in str(info.value)
    assert "threads, not processes" in str(info.value) or "multiprocessing" in str(info.value)


def test_a_process_pool_reached_by_name_at_run_time_is_refused_by_line(tmp_path):
    path = tmp_path / "m.py"
    path.write_text("import concurrent.futures as cf\nfrom checker import scenario\n@scenario\ndef s():\n"
                    "    getattr(cf, 'Process' + 'PoolExecutor')\n")
    with pytest.raises(ModelError) as info:
        check(load_model(path).scenarios[0])
    assert "concurrent.futures.ProcessPoolExecutor is not supported" in str(info.value)
    assert f"{path}:5" in str(info.value)


def test_an_initializer_is_refused_by_line(tmp_path):
    path = tmp_path / "m.py"
    path.write_text("from concurrent.futures import ThreadPoolExecutor\nfrom checker import scenario\n@scenario\n"
                    "def s():\n    ThreadPoolExecutor(1, initializer=print)\n")
    with pytest.raises(ModelError) as info:
        check(load_model(path).scenarios[0])
    assert "initializer" in str(info.value) and f"{path}:5" in str(info.value)


# -- the real concurrent.futures as the oracle ---------------------------------------------------
ORACLE = """
import threading
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor, as_completed
from checker import scenario


def record(log, n):
    log.append(n)
    print("task", n, "sees", len(log))
    return n


@scenario
def appends():
    log = []
    with ThreadPoolExecutor(max_workers=2) as pool:
        fs = [pool.submit(record, log, n) for n in range(2)]
        print("as completed:", sorted(f.result() for f in as_completed(fs)))
    print(sorted(log))


@scenario
def cancel():
    gate = threading.Event()
    with ThreadPoolExecutor(max_workers=1) as pool:
        first = pool.submit(gate.wait)
        second = pool.submit(print, "second ran")
        print("cancel:", second.cancel())
        gate.set()
        print(first.result(), second.cancelled())


@scenario
def callbacks():
    f = Future()
    f.add_done_callback(lambda fut: print("callback", fut.result()))
    setter = threading.Thread(target=f.set_result, args=(5,), name="setter")
    setter.start()
    print("result", f.result())
    setter.join()
"""


def test_real_futures_only_print_what_the_checker_found(tmp_path):
    path = tmp_path / "oracle_futures.py"
    path.write_text(textwrap.dedent(ORACLE))
    checked = load_model(path)
    spec = importlib.util.spec_from_file_location("oracle_futures_real", path)
    real = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(real)  # type: ignore[union-attr]
    for name, count in (("appends", 6), ("cancel", 1), ("callbacks", 2)):
        found = {o.outcome.output for o in check(checked.scenario(name), all_outcomes=True).outcomes}
        assert len(found) == count, (name, found)
        seen = set()
        for _ in range(30):
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                getattr(real, name).func()
            seen.add(out.getvalue())
        assert seen <= found, (name, seen - found)


def test_the_shipped_model_fails_without_the_lock_and_is_proven_with_it():
    from pathlib import Path

    m = load_model(Path(__file__).resolve().parent.parent / "models" / "futures_threads.py")
    bad = check(m.scenario("deposits"))
    assert bad.verdict == "violation" and "balance 150, expected 175" in bad.failure.message
    good = check(m.scenario("locked_deposits"))
    assert (good.verdict, good.complete, good.classes) == ("safe", True, 16)
