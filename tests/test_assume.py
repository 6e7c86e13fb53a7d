"""``assume(condition)``: a false condition discards the execution.

The runtime side (``Execution.discarded``), what the strategies explore
with it (counted through the explore layer directly), the SV-COMP
read_write_lock model, bad usage, real threads, and -- as strict xfails
until the check layer is wired -- what ``check`` reports.
"""

from __future__ import annotations

import dataclasses

import pytest

from checker import Condition, Lock, ModelError, Shared, Thread, assume, check, invariant, load_model
from checker.runtime.execution import Execution
from checker.runtime.real_threads import run_real

from conftest import as_scenario
from test_dpor_differential import explore

MODEL = "models/read_write_lock_assume.py"


def run_first(fn, timing="ideal"):
    """One execution of ``fn`` as a scenario, always taking the first choice."""
    ex = Execution(as_scenario(fn), {}, timing)
    while not ex.done:
        ex.step(ex.available()[0])
    return ex


def with_params(scenario, **params):
    return dataclasses.replace(scenario, params={**scenario.params, **params})


# -- the runtime -----------------------------------------------------------------
def test_a_false_assume_discards_the_execution_and_stops_the_step():
    def t(box):
        box.a = 1
        assume(box.flag == 1)
        box.b = 1  # not reached
        yield

    def body():
        box = Shared(flag=0, a=0, b=0)
        Thread(target=t, args=(box,), name="t").start()

    ex = run_first(body)
    assert ex.done and ex.discarded and ex.failure is None
    assert ex.discarded_by.thread == "t"
    assert ex.discarded_by.where.endswith(f"test_assume.py:{t.__code__.co_firstlineno + 2}")
    assert ex.discarded_by.summary().startswith("discarded: assume() was false in thread t at ")
    assert not ex.runs[1].finished  # stopped where it was: the step ended the execution early
    last = ex.trace.events[-1]
    assert [(a.label, a.field, a.kind) for a in last.accesses if not a.sync] == [
        ("box", "a", "w"), ("box", "flag", "r"),  # the condition's read is in the step's footprint
    ]
    assert ex.outcome().values == {"box.a": 1, "box.b": 0, "box.flag": 0}
    assert ex.available() == ()


def test_a_true_assume_changes_nothing():
    def t(box):
        assume(box.flag == 0)
        box.b = 1
        yield

    def body():
        box = Shared(flag=0, b=0)
        Thread(target=t, args=(box,), name="t").start()

    ex = run_first(body)
    assert ex.done and not ex.discarded and ex.discarded_by is None and ex.failure is None
    assert ex.outcome().values == {"box.b": 1, "box.flag": 0}


def test_catching_the_discard_does_not_undo_it_and_nothing_after_it_fails():
    def t(box):
        try:
            assume(False)
        except BaseException:
            pass
        box.b = 1
        yield

    def u(box):
        try:
            assume(False)
        finally:
            raise RuntimeError("cleanup failed")  # runs after the false assume: not part of the execution
        yield

    for target in (t, u):
        def body(target=target):
            box = Shared(b=0)
            Thread(target=target, args=(box,), name="t").start()

        ex = run_first(body)
        assert ex.discarded and ex.failure is None and ex.trace.events[-1].raised == ""


def test_assume_in_the_scenario_body_before_any_yield_discards_it():
    def body():
        box = Shared(v=0)
        assume(box.v == 1)

    ex = run_first(body)
    assert ex.discarded and ex.discarded_by.thread == "MainThread"


def test_assume_in_a_wait_for_predicate_discards_the_execution():
    def t(box, cond):
        yield cond.acquire()
        yield cond.wait_for(lambda: assume(box.v == 1) or True)
        cond.release()

    def body():
        box = Shared(v=0)
        cond = Condition(Lock())
        Thread(target=t, args=(box, cond), name="t").start()

    ex = run_first(body)
    assert ex.discarded and ex.discarded_by.thread == "t"


# -- bad usage -----------------------------------------------------------------------
def test_assume_outside_a_scenario_is_a_model_error():
    with pytest.raises(ModelError, match=r"assume\(\) can only be used while the checker runs a scenario"):
        assume(True)


def test_assume_in_an_invariant_is_a_model_error():
    def t(box):
        box.v = 1
        yield

    def body():
        box = Shared(v=0)
        invariant(lambda: assume(box.v == 0) or True, "uses assume")
        Thread(target=t, args=(box,)).start()

    with pytest.raises(ModelError, match=r"assume\(\) called outside a thread's step \(in an invariant"):
        run_first(body)


class Ambiguous:
    def __bool__(self):
        raise ValueError("the truth value of an array with more than one element is ambiguous")


@pytest.mark.parametrize("condition,message", [
    (Ambiguous(), r"could not take the truth value of its condition: ValueError: the truth value of an array"),
    (lambda: False, r"assume\(\) got function .* which is always true"),
])
def test_assume_of_something_that_is_not_a_condition_is_a_model_error(condition, message):
    def body():
        assume(condition)

    with pytest.raises(ModelError, match=message) as info:
        run_first(body)
    assert "test_assume.py:" in str(info.value)


def test_assume_of_an_operation_is_a_model_error():
    def t(lock):
        assume(lock.acquire())
        yield

    def body():
        Thread(target=t, args=(Lock(),)).start()

    with pytest.raises(ModelError, match=r"assume\(\) got Acquire .* which is always true"):
        run_first(body)


# -- what the strategies explore -----------------------------------------------------------
def test_read_write_lock_has_120_complete_executions_under_dpor():
    """GenMC reports 120 complete executions for SV-COMP's read_write_lock-1;
    DPOR explores 1146, 1026 of them discarded by a writer or reader that
    found the lock taken.  Both final states (y = 0: the readers ran before
    the writers; y = 3) are reached, and no assertion fails."""
    sc = load_model(MODEL).scenario("read_write_lock")
    found = explore(sc, "ideal", "dpor")
    assert (found.executions, found.discarded, found.executions - found.discarded) == (1146, 1026, 120)
    assert sorted(o.values["data.y"] for o in found.outcomes) == [0, 3]
    assert {o.failure for o in found.outcomes} == {None}
    cached = explore(sc, "ideal", "cached")
    assert cached.outcomes == found.outcomes


def test_read_write_lock_agrees_with_brute_force():
    """With 2 writers and 1 reader: brute force's 124 interleavings (61
    discarded, 63 complete) and DPOR's 49 (43 discarded, 6 complete) reach
    the same complete outcomes."""
    sc = with_params(load_model(MODEL).scenario("read_write_lock"), writers=2, readers=1)
    dfs, dpor = explore(sc, "ideal", "dfs"), explore(sc, "ideal", "dpor")
    assert (dfs.executions, dfs.discarded, dpor.executions, dpor.discarded) == (124, 61, 49, 43)
    assert dfs.outcomes == dpor.outcomes and len(dfs.outcomes) == 2


def test_a_writer_that_ignores_readers_breaks_the_readers_assert():
    sc = load_model(MODEL).scenario("writer_ignores_readers")
    dfs, dpor = explore(sc, "ideal", "dfs"), explore(sc, "ideal", "dpor")
    failures = {o.failure for o in dpor.outcomes} - {None}
    assert failures == {"assertion failed in thread reader1: read y=0 but x=3"}
    assert dfs.outcomes == dpor.outcomes
    assert (dfs.executions, dfs.discarded, dpor.executions, dpor.discarded) == (101, 2, 8, 2)


# -- real threads --------------------------------------------------------------------
def test_real_threads_do_not_count_discarded_runs():
    def t(box):
        assume(box.v == 1)
        box.w = 1
        yield

    def discarded():
        box = Shared(v=0, w=0)
        worker = Thread(target=t, args=(box,))
        worker.start()
        yield worker.join()

    def kept():
        box = Shared(v=1, w=0)
        worker = Thread(target=t, args=(box,))
        worker.start()
        yield worker.join()

    assert run_real(as_scenario(discarded), runs=5, seed=1) == {}
    [(outcome, count)] = run_real(as_scenario(kept), runs=5, seed=1).items()
    assert count == 5 and outcome.values == {"box.v": 1, "box.w": 1}


# -- the check layer ----------------------------------------------------------------------
def test_check_counts_complete_and_discarded_executions_apart():
    r = check(load_model(MODEL).scenario("read_write_lock"), all_outcomes=True)
    assert r.verdict == "safe" and r.complete
    assert (r.executions, r.discarded, r.classes) == (120, 1026, 120)
    assert sorted(o.outcome.values["data.y"] for o in r.outcomes) == [0, 3]
    assert sum(o.count for o in r.outcomes) == 120


def test_check_never_reports_a_discarded_execution_as_an_outcome():
    def t(box):
        box.v = 1
        assume(False)
        yield

    def body():
        box = Shared(v=0)
        Thread(target=t, args=(box,)).start()

    r = check(as_scenario(body), all_outcomes=True, strategy="dfs")
    assert (r.executions, r.discarded, r.outcomes) == (0, 1, [])


def test_a_model_whose_every_execution_is_discarded_is_not_called_safe_plainly():
    from checker.present.report import verdict_text

    def body():
        box = Shared(v=0)
        assume(box.v == 1)
        yield

    r = check(as_scenario(body))
    assert (r.verdict, r.executions, r.discarded) == ("safe", 0, 1)
    assert verdict_text(r) == ("SAFE, but vacuously: every execution (1) was discarded by assume(), so nothing "
                               "was checked")
