"""Pinned counts and behaviour of the reducing strategies (dpor, cached).

Execution counts of DPOR are exact: one per Mazurkiewicz trace.  Where the
literature publishes the count for a benchmark size it is pinned here with
its source: Abdulla, Aronis, Jonsson, Sagonas, "Optimal Dynamic Partial
Order Reduction", POPL 2014 (tables of explored traces) and the journal
version "Source Sets", JACM 2017.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from checker import Shared, Thread, check, load_model, scenario
from differential import mazurkiewicz_classes

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks" / "models"


def dpor(path, name, **params):
    sc = load_model(path).scenario(name)
    return check(sc, params=params, strategy="dpor", all_outcomes=True)


@pytest.mark.parametrize("n, traces", [(2, 5), (3, 12), (4, 28), (5, 64), (8, 704)])
def test_lastzero(n, traces):
    # (n + 3) * 2**(n - 2) traces, equal to brute force's trace count for small n
    # (test_counts_are_mazurkiewicz_traces_of_brute_force).  The papers' tables
    # for lastzero were not available to compare these against.
    r = dpor(BENCH / "lastzero.py", "lastzero", n=n)
    assert r.executions == traces and r.complete and r.verdict == "safe"


@pytest.mark.parametrize("n, traces", [(2, 1), (11, 1), (12, 8), (13, 64)])
def test_indexer(n, traces):
    # indexer(12) = 8, indexer(13) = 64 (then 512, 4096): from 12 threads on, each
    # new thread adds 3 colliding pairs of 2 orders each.  Recalled as the counts
    # in the Optimal DPOR tables (POPL 2014, JACM 2017), not re-checked here.
    assert dpor(BENCH / "indexer.py", "indexer", n=n).executions == traces


@pytest.mark.parametrize("n, traces", [(13, 1), (14, 2), (15, 4), (16, 8)])
def test_filesystem(n, traces):
    assert dpor(BENCH / "filesystem.py", "filesystem", n=n).executions == traces


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_readers(n):
    # every reader reads before or after the one write: 2**n traces
    assert dpor(BENCH / "readers_writers.py", "readers", n=n).executions == 2**n


def test_readers_writers_and_philosophers():
    assert dpor(BENCH / "readers_writers.py", "readers_writers", readers=2, writers=1).executions == 14
    deadlocking = dpor(BENCH / "philosophers.py", "philosophers", n=3)
    assert deadlocking.verdict == "violation" and deadlocking.failure.kind == "deadlock"
    assert deadlocking.executions == 7
    assert dpor(BENCH / "philosophers.py", "ordered_philosophers", n=3).executions == 6


@pytest.mark.parametrize(
    "variant, times, traces, brute", [("unlocked", 1, 4, 10), ("unlocked", 2, 14, 35), ("locked", 1, 2, 66), ("locked", 2, 6, 1383)]
)
def test_counter(variant, times, traces, brute):
    sc = load_model(ROOT / "models" / "counter.py").scenario(variant)
    r = check(sc, params={"times": times}, strategy="dpor", all_outcomes=True)
    b = check(sc, params={"times": times}, strategy="dfs", all_outcomes=True)
    assert (r.executions, b.executions) == (traces, brute)
    assert r.outcome_set() == b.outcome_set()


@pytest.mark.parametrize(
    "path, name, params",
    [
        (BENCH / "lastzero.py", "lastzero", {"n": 3}),
        (BENCH / "readers_writers.py", "readers_writers", {"readers": 2, "writers": 1}),
        (BENCH / "philosophers.py", "philosophers", {"n": 3}),
        (ROOT / "models" / "counter.py", "locked", {"times": 2}),
    ],
)
def test_counts_are_mazurkiewicz_traces_of_brute_force(path, name, params):
    sc = load_model(path).scenario(name)
    classes = mazurkiewicz_classes(sc, "ideal", cap=10_000, params=params)
    assert check(sc, params=params, strategy="dpor", all_outcomes=True).executions == classes


@pytest.mark.parametrize("timing", ["ideal", "any-delay"])
def test_event_timeouts_match_brute_force(timing):
    model = load_model(ROOT / "models" / "event_timeout.py")
    for sc in model.scenarios:
        a = check(sc, strategy="dfs", all_outcomes=True, timing=timing)
        b = check(sc, strategy="dpor", all_outcomes=True, timing=timing)
        assert a.outcome_set() == b.outcome_set() and b.executions <= a.executions


def test_first_violation_stops_dpor():
    sc = load_model(ROOT / "models" / "counter.py").scenario("unlocked")
    r = check(sc, strategy="dpor")
    assert r.verdict == "violation" and r.executions <= 14


# -- loops: depth bound and state caching ----------------------------------------
def _spinner(flag, data):
    while not flag.value:
        yield
    assert data.value == 1, "flag seen before data"


def _publisher(flag, data, data_first):
    if data_first:
        data.value = 1
        yield
        flag.value = True
    else:
        flag.value = True
        yield
        data.value = 1


def _busy_wait(data_first):
    def body():
        flag, data = Shared(value=False), Shared(value=0)
        Thread(target=_spinner, args=(flag, data)).start()
        Thread(target=_publisher, args=(flag, data, data_first)).start()

    return scenario(body, name=f"busy_wait_{data_first}")


def test_busy_wait_terminates_with_state_caching():
    safe = check(_busy_wait(True), strategy="cached", all_outcomes=True)
    assert safe.verdict == "safe" and safe.complete
    assert safe.executions == 2
    broken = check(_busy_wait(False), strategy="cached")
    assert broken.verdict == "violation" and broken.failure.kind == "assertion"


def test_busy_wait_under_dpor_reports_the_bound():
    r = check(_busy_wait(True), strategy="dpor", max_steps=50)
    assert r.verdict == "incomplete" and not r.complete and r.limit_hit == "max_steps=50"


def test_stats_of_the_reducing_strategies():
    from checker.check.checking import ScenarioSpace
    from checker.explore import STRATEGIES, Limits

    sc = load_model(ROOT / "models" / "counter.py").scenario("locked")
    space = ScenarioSpace(sc, sc.bind({"times": 2}), "ideal")
    stats = STRATEGIES["dpor"]().explore(space, lambda ex, s: None, Limits())
    assert stats.complete and stats.classes == stats.executions == 6
    # a program that never blocks: no wasted run at all (optimality)
    sc = load_model(BENCH / "lastzero.py").scenario("lastzero")
    stats = STRATEGIES["dpor"]().explore(ScenarioSpace(sc, sc.bind({"n": 4}), "ideal"), lambda ex, s: None, Limits())
    assert (stats.executions, stats.sleep_blocked, stats.abandoned) == (28, 0, 0)
    cached = STRATEGIES["cached"]().explore(ScenarioSpace(_busy_wait(True), {}, "ideal"), lambda ex, s: None, Limits())
    assert cached.complete and cached.states_visited and cached.states_visited > 0


def _model_scenarios():
    for path in sorted((ROOT / "models").glob("*.py")):
        for sc in load_model(path).scenarios:
            yield pytest.param(sc, id=f"{path.stem}:{sc.name}")


@pytest.mark.parametrize("sc", list(_model_scenarios()))
def test_every_model_reaches_the_outcomes_of_brute_force(sc):
    """The models folder as a differential test (both timing modes)."""
    for timing in ("ideal", "any-delay"):
        brute = check(sc, strategy="dfs", all_outcomes=True, timing=timing, max_executions=2500)
        if not brute.complete:
            continue  # too large to enumerate here; benchmarks/dpor_sweep.py covers generated programs
        reduced = check(sc, strategy="dpor", all_outcomes=True, timing=timing)
        assert reduced.outcome_set() == brute.outcome_set(), timing
        assert reduced.executions <= brute.executions and reduced.complete
