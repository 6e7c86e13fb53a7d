"""Exact interleaving counts and outcome sets of tiny programs (brute force)."""

from math import comb

import pytest

from checker import Lock, Shared, Thread, choose, load_model
from checker.check import check

from conftest import explore


def steps(obj, name, n):
    """A thread body of ``n`` steps, each writing ``obj.<name>``."""
    for i in range(n):
        setattr(obj, name, i)
        if i < n - 1:
            yield
    return
    yield


@pytest.mark.parametrize("threads,each", [(2, 1), (2, 2), (2, 3), (3, 1), (3, 2)])
def test_independent_threads_give_multinomial_schedules(threads, each):
    def body():
        x = Shared(a=0)
        for k in range(threads):
            Thread(target=steps, args=(x, f"f{k}", each)).start()

    r = explore(body)
    total, expected = 0, 1
    for _ in range(threads):
        total += each
        expected *= comb(total, each)
    assert r.verdict == "safe"
    assert r.executions == expected


def test_two_threads_of_two_steps_have_six_schedules():
    r = explore(lambda_body_two_by_two())
    assert r.executions == 6
    # each schedule writes the two attributes in its own order: all the same final state
    assert len(r.outcomes) == 1


def lambda_body_two_by_two():
    def two_by_two():
        x = Shared(a=0, b=0)
        Thread(target=steps, args=(x, "a", 2)).start()
        Thread(target=steps, args=(x, "b", 2)).start()

    return two_by_two


COUNTER_OUTCOMES = {
    "unlocked": {1: {1, 2}, 2: {2, 3, 4}, 3: {3, 4, 5, 6}},
    "locked": {1: {2}, 2: {4}, 3: {6}},
}
COUNTER_EXECUTIONS = {"unlocked": {1: 10, 2: 35, 3: 126}, "locked": {1: 66, 2: 1383, 3: 30309}}


@pytest.mark.parametrize("variant", ["unlocked", "locked"])
@pytest.mark.parametrize("times", [1, 2, 3])
def test_counter_outcome_sets(variant, times):
    sc = load_model("models/counter.py").scenario(variant)
    r = check(sc, params={"times": times}, all_outcomes=True, strategy="dfs")
    finals = {int(dict(o.outcome.state[0][1])["value"]) for o in r.outcomes}
    assert finals == COUNTER_OUTCOMES[variant][times]
    assert r.executions == COUNTER_EXECUTIONS[variant][times]
    assert r.verdict == ("violation" if variant == "unlocked" else "safe")
    assert r.meets_expectation


def test_first_violation_stops_early_with_lost_update_message():
    sc = load_model("models/counter.py").scenario("unlocked")
    r = check(sc, params={"times": 2}, strategy="dfs", minimize=False)  # brute force's first, as it is
    assert r.verdict == "violation"
    assert r.failure.kind == "assertion"
    assert r.failure.message == "final value 3, expected 4"
    assert r.executions == 5
    assert r.counterexample.code == "v1:0,1x2,2,1,0,2x2,0"
    assert r.counterexample.preemptions == 2


def test_the_reported_counterexample_is_minimized_to_the_fewest_preemptions():
    sc = load_model("models/counter.py").scenario("unlocked")
    for strategy in ("dfs", "dpor", "random"):
        r = check(sc, params={"times": 2}, strategy=strategy)
        # t reads 0 and is preempted; s runs both increments; t overwrites them with 1, then 2
        assert (r.counterexample.code, r.counterexample.preemptions) == ("v1:0,1x2,2x3,1,0x2", 1), strategy
        assert r.failure.message == "final value 2, expected 4"
        assert check(sc, params={"times": 2}, replay=r.counterexample.code).failure == r.failure


def test_choose_explores_every_option():
    def body():
        x = Shared(v=None)

        def pick():
            x.v = yield choose([10, 20, 30])

        Thread(target=pick).start()

    r = explore(body)
    assert sorted(dict(o.outcome.state[0][1])["v"] for o in r.outcomes) == ["10", "20", "30"]
    assert r.executions == 3


def test_lock_excludes_and_counts():
    def body():
        lock = Lock()
        x = Shared(inside=0, max=0)

        def critical():
            yield lock.acquire()
            x.inside = x.inside + 1
            x.max = max(x.max, x.inside)
            yield
            x.inside = x.inside - 1
            lock.release()

        for _ in range(3):
            Thread(target=critical).start()

    r = explore(body)
    assert {dict(o.outcome.state[0][1])["max"] for o in r.outcomes} == {"1"}
    assert r.executions == mutex_interleavings(3)


def mutex_interleavings(n):
    """Independent oracle: interleavings of n threads doing [start, acquire,
    release] where no two critical sections (acquire..release) overlap."""
    from itertools import permutations

    events = [(t, k) for t in range(n) for k in range(3)]
    seen = set()
    for perm in permutations(events):
        if perm in seen:
            continue
        pos = {e: i for i, e in enumerate(perm)}
        if any(pos[(t, 0)] > pos[(t, 1)] or pos[(t, 1)] > pos[(t, 2)] for t in range(n)):
            continue
        sections = sorted((pos[(t, 1)], pos[(t, 2)]) for t in range(n))
        if all(a[1] < b[0] for a, b in zip(sections, sections[1:])):
            seen.add(perm)
    return len(seen)


def test_mutex_oracle_is_not_trivial():
    assert mutex_interleavings(2) == 8  # of comb(6, 3) = 20 interleavings, 12 overlap


def test_yield_after_write_reaches_the_classic_minimum_of_two():
    """docs/models.md: with a yield after each write, two threads of k >= 2
    increments can end at 2."""

    def increment(counter, times):
        for _ in range(times):
            value = counter.value
            yield
            counter.value = value + 1
            yield

    def body():
        counter = Shared(value=0)
        Thread(target=increment, args=(counter, 3)).start()
        Thread(target=increment, args=(counter, 3)).start()

    finals = {int(dict(o.outcome.state[0][1])["value"]) for o in explore(body).outcomes}
    assert finals == {2, 3, 4, 5, 6}
