"""``auto`` as a policy (issue 13): without a budget it is DPOR alone; with
one, DPOR gets half unless its estimate says it finishes within the whole
budget, bounded search gets the rest, and the result joins both parts."""

from __future__ import annotations

from checker import Shared, Thread, check, load_model
from checker.explore.coverage import Scope, StopReason, Unit
from checker.present.json_report import result_json
from checker.present.report import counts_line, verdict_text

from conftest import as_scenario

LASTZERO = load_model("benchmarks/models/lastzero.py").scenario("lastzero")


def test_without_a_budget_auto_is_dpor_alone():
    r = check(LASTZERO, params={"n": 5})
    assert (r.strategy, r.verdict, r.executions, r.parts, r.strategy_note) == ("dpor", "safe", 64, (), None)


def test_dpor_goes_on_past_its_share_when_its_estimate_fits_the_budget():
    # share 60 of 120; the estimate then is within 120, so DPOR finishes its 64
    r = check(LASTZERO, params={"n": 5}, max_executions=120)
    assert (r.strategy, r.verdict, r.executions, r.parts) == ("dpor", "safe", 64, ())


def test_a_budget_too_small_for_dpor_is_shared_with_bounded_search():
    r = check(LASTZERO, params={"n": 8}, max_executions=200)
    assert (r.strategy, r.verdict, r.executions, r.stop, r.limit_hit) == (
        "dpor+bounded", "incomplete", 200, StopReason.MAX_EXECUTIONS, "max_executions=200")
    dpor, bounded = r.parts
    assert (dpor.strategy, dpor.executions, dpor.stop) == ("dpor", 100, StopReason.MAX_EXECUTIONS)
    assert (dpor.coverage.scope, dpor.coverage.unit, dpor.coverage.estimated_fraction) == (Scope.ALL, Unit.CLASS,
                                                                                          100 / 256)
    assert (bounded.strategy, bounded.executions, bounded.coverage.scope) == ("bounded", 100, Scope.BOUNDED)
    assert r.coverage == bounded.coverage and r.transitions == dpor.transitions + bounded.transitions
    assert verdict_text(r) == (
        "INCOMPLETE: stopped by the budget max_executions=200 after 100 executions (100 classes of interleavings), "
        "exhaustive search 39% done by estimate; then 100 executions of bounded search, the pass for 0 "
        "preemptions unfinished, no violation so far (not proven safe)")
    assert counts_line(r).splitlines()[1].strip() == (
        "dpor's share of the budget ran out (39% done by estimate), so bounded search used the rest")
    parts = result_json(r, "lastzero.py")["parts"]
    assert [(p["strategy"], p["executions"], p["stop"], p["coverage"]["scope"]) for p in parts] == [
        ("dpor", 100, "max_executions", "all"), ("bounded", 100, "max_executions", "bounded")]


def increments(s):
    for _ in range(3):
        v = s.c
        yield
        s.c = v + 1
        yield


def first(s):
    s.a = 1
    yield
    yield from increments(s)


def second(s):
    assert s.a == 1, "second ran before first"
    yield
    yield from increments(s)


def early():
    s = Shared(a=0, c=0)
    Thread(target=first, args=(s,), name="first").start()
    Thread(target=second, args=(s,), name="second").start()


def test_bounded_search_finds_what_dpors_share_did_not():
    # DPOR reverses the races near the end first: it needs 329 executions for
    # the early race; bounded search's pass for 0 preemptions finds it in 2
    sc = as_scenario(early, expect="violation")
    assert check(sc, strategy="dpor").executions == 329
    r = check(sc, max_executions=100)
    assert (r.strategy, r.verdict, r.executions, r.counterexample.preemptions) == ("dpor+bounded", "violation", 52, 0)
    assert [(p.strategy, p.executions, p.stop) for p in r.parts] == [
        ("dpor", 50, StopReason.MAX_EXECUTIONS), ("bounded", 2, StopReason.VIOLATION)]
    assert r.failure.message.startswith("second ran before first")


def test_a_time_budget_is_shared_too():
    r = check(LASTZERO, params={"n": 10}, max_time=0.6)
    assert r.strategy == "dpor+bounded" and r.limit_hit == "max_time=0.6s"
    dpor, bounded = r.parts
    assert dpor.stop is StopReason.MAX_TIME and 0 < dpor.coverage.estimated_fraction < 1
    assert dpor.wall_time < 0.6 and bounded.executions > 0
