"""``assume(condition)``: a false condition discards the execution.

The runtime side (``Execution.discarded``), bad usage, real threads, and
-- as a strict xfail until the check layer is wired -- what ``check``
reports.
"""

from __future__ import annotations

import pytest

from checker import Condition, Lock, ModelError, Shared, Thread, assume, check, invariant
from checker.runtime.execution import Execution
from checker.runtime.real_threads import run_real

from conftest import as_scenario


def run_first(fn, timing="ideal"):
    """One execution of ``fn`` as a scenario, always taking the first choice."""
    ex = Execution(as_scenario(fn), {}, timing)
    while not ex.done:
        ex.step(ex.available()[0])
    return ex


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


# -- the check layer (not wired yet) -------------------------------------------------------
CHECK_LAYER = (
    "checker.check.checking._Run visit tallies a discarded execution (ex.discarded) as an outcome and counts it "
    "in Result.executions and the coverage; Result has no `discarded` count yet"
)


@pytest.mark.xfail(strict=True, reason=CHECK_LAYER)
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
