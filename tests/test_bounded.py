"""Iterative preemption bounding and counterexample minimization: exact
counts per bound against brute force, coverage statements, the fewest-
preemption counterexample, and the command line flags of strategies."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from checker import check, load_model
from checker.check.checking import ScenarioSpace
from checker.check.minimize import profile
from checker.explore import DepthFirst, Limits, PreemptionBounded
from checker.explore.coverage import Scope, StopReason

ROOT = Path(__file__).resolve().parent.parent
COUNTER = load_model(ROOT / "models" / "counter.py")


def brute_force_by_preemptions(sc, params):
    """How many of brute force's executions have each preemption count."""
    space = ScenarioSpace(sc, sc.bind(params), "ideal")
    counts: dict[int, int] = {}

    def visit(ex, schedule):
        p = profile(space, schedule)[0]
        counts[p] = counts.get(p, 0) + 1
        return None

    DepthFirst().explore(space, visit, Limits())
    return counts


@pytest.mark.parametrize("bound, executions", [(0, 3), (1, 15), (2, 37), (3, 57)])
def test_each_bound_runs_exactly_the_schedules_with_that_many_preemptions_or_fewer(bound, executions):
    sc = COUNTER.scenario("locked")
    r = check(sc, params={"times": 1}, strategy=PreemptionBounded(bound))
    by_count = brute_force_by_preemptions(sc, {"times": 1})
    assert r.executions == executions == sum(n for p, n in by_count.items() if p <= bound)
    assert r.verdict == "incomplete" and not r.complete
    assert (r.coverage.scope, r.coverage.bound, r.coverage.finished) == (Scope.BOUNDED, bound, True)


def test_without_a_bound_it_goes_on_until_a_pass_prunes_nothing_and_then_proves():
    r = check(COUNTER.scenario("locked"), params={"times": 1}, strategy="bounded")
    assert (r.verdict, r.executions, r.coverage.scope) == ("safe", 66, Scope.ALL)
    assert check(COUNTER.scenario("locked"), params={"times": 1}, strategy="dfs").executions == 66


def test_every_outcome_of_brute_force_is_reached():
    sc = COUNTER.scenario("unlocked")
    bounded = check(sc, params={"times": 1}, strategy="bounded", all_outcomes=True)
    brute = check(sc, params={"times": 1}, strategy="dfs", all_outcomes=True)
    assert bounded.outcome_set() == brute.outcome_set() and bounded.executions == brute.executions == 10


def test_the_first_counterexample_has_the_fewest_preemptions():
    r = check(COUNTER.scenario("unlocked"), params={"times": 2}, strategy="bounded")
    assert (r.counterexample.preemptions, r.counterexample.code) == (1, "v1:0,1x2,2x3,1,0x2")
    assert r.coverage.bound == 0  # the pass for 0 preemptions finished without a violation


def test_a_budget_says_which_bound_was_covered():
    r = check(COUNTER.scenario("locked"), params={"times": 2}, strategy="bounded", max_executions=50)
    assert r.stop is StopReason.MAX_EXECUTIONS
    assert (r.coverage.scope, r.coverage.bound, r.coverage.finished, r.executions) == (Scope.BOUNDED, 1, False, 50)
    from checker.present.report import verdict_text
    assert verdict_text(r) == ("INCOMPLETE: stopped by the budget max_executions=50 after 50 executions, exhaustive "
                               "for ≤ 1 preemption, no violation so far (not proven safe)")


def test_minimization_keeps_the_bug_and_replays():
    sc = COUNTER.scenario("unlocked")
    raw = check(sc, params={"times": 3}, strategy="dfs", minimize=False)
    small = check(sc, params={"times": 3}, strategy="dfs")
    assert raw.counterexample.preemptions == 2 and small.counterexample.preemptions == 1
    assert small.failure.where == raw.failure.where
    assert check(sc, params={"times": 3}, replay=small.counterexample.code).failure == small.failure


def test_a_counterexample_longer_than_the_minimizing_limit_is_kept_as_found(monkeypatch):
    from checker.check import minimize

    sc = COUNTER.scenario("unlocked")
    raw = check(sc, params={"times": 3}, strategy="dfs", minimize=False)
    monkeypatch.setattr(minimize, "LONGEST", len(raw.counterexample.schedule) - 1)
    kept = check(sc, params={"times": 3}, strategy="dfs")
    assert kept.counterexample.schedule == raw.counterexample.schedule and kept.counterexample.preemptions == 2


def test_a_bad_bound_is_refused():
    with pytest.raises(ValueError, match="preemptions must be an integer >= 0"):
        PreemptionBounded(-1)


def cli(*args):
    proc = subprocess.run([sys.executable, "-m", "checker", *args, "--no-memory", "--graph", "none"],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    return proc.returncode, proc.stdout, proc.stderr


def test_strategy_flags_configure_the_strategy():
    code, out, _ = cli("models/counter.py::locked", "--strategy", "bounded", "--preemptions", "1")
    assert code == 1  # not proven safe, as the scenario expects
    assert "NO VIOLATION FOUND in 27 executions, exhaustive for ≤ 1 preemption (not proven safe)" in out


def test_a_flag_of_another_strategy_is_a_usage_error():
    code, out, err = cli("models/counter.py", "--preemptions", "2")
    assert code == 2 and out == ""
    assert "--preemptions is a setting of --strategy bounded, not of auto" in err
    code, _, err = cli("models/counter.py", "--strategy", "bounded", "--preemptions", "-1")
    assert code == 2 and "preemptions must be an integer >= 0" in err


def test_executions_count_their_preemptions_as_a_replay_of_the_schedule_does():
    from checker.check.checking import ScenarioSpace
    from checker.check.minimize import profile
    from checker.explore import DepthFirst, Limits

    for name, times, expected, most in (("unlocked", 2, 35, 4), ("locked", 1, 66, 5)):
        space = ScenarioSpace(COUNTER.scenario(name), {"times": times}, "ideal", None)
        seen = []

        def visit(ex, schedule, seen=seen, space=space):
            seen.append((ex.preemptions, profile(space, schedule)[0]))

        DepthFirst().explore(space, visit, Limits())
        assert len(seen) == expected
        assert all(mine == replayed for mine, replayed in seen)
        assert max(p for p, _ in seen) == most
