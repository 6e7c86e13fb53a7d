"""DPOR and state caching against brute force on generated programs.

For every generated program (tests/programs.py: 2-4 threads, shared
attributes, locks, events, timeouts, sleep, choose, asserts, bounded spin
loops), in both timing modes:

* DPOR and caching reach exactly the outcomes brute-force DFS reaches (final
  shared state, output, failure), with never more executions;
* on programs that never block, DPOR runs exactly one execution per
  Mazurkiewicz trace (counted from the brute-force executions);
* with ``assume``, the same holds for the outcomes of the complete
  executions (those no false ``assume`` discarded).

A larger sweep is benchmarks/dpor_sweep.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.check.checking import ScenarioSpace
from checker.explore import STRATEGIES, Limits
from differential import compare, mazurkiewicz_classes
from programs import Program, build, programs

TIMINGS = st.sampled_from(["ideal", "any-delay"])
SETTINGS = dict(deadline=None, derandomize=True, suppress_health_check=list(HealthCheck), database=None)


def _agree(program: Program, timing: str, strategy: str):
    sc = build(program, timing)
    c = compare(sc, timing, strategy, cap=1000)
    if c is None:
        return None  # brute force too large for CI; the sweep script covers bigger programs
    assert not c.missing, f"{strategy} missed outcomes {c.missing} of {program} ({timing})"
    assert not c.extra, f"{strategy} found outcomes brute force did not: {c.extra}"
    assert c.executions <= c.dfs_executions
    return sc, c


@settings(max_examples=90, **SETTINGS)
@given(programs(blocking=True), TIMINGS)
def test_dpor_reaches_every_outcome_of_brute_force(program, timing):
    _agree(program, timing, "dpor")


@settings(max_examples=60, **SETTINGS)
@given(programs(blocking=True, extras=True), TIMINGS)
def test_dpor_with_semaphores_conditions_queues_daemons_invariants(program, timing):
    _agree(program, timing, "dpor")


@settings(max_examples=80, **SETTINGS)
@given(programs(blocking=False), TIMINGS)
def test_dpor_runs_one_execution_per_trace_without_blocking(program, timing):
    agreed = _agree(program, timing, "dpor")
    if agreed is not None:
        sc, c = agreed
        assert c.executions == mazurkiewicz_classes(sc, timing)


@settings(max_examples=40, **SETTINGS)
@given(programs(blocking=True, extras=True), TIMINGS)
def test_state_caching_reaches_every_outcome_of_brute_force(program, timing):
    _agree(program, timing, "cached")


@settings(max_examples=45, **SETTINGS)
@given(programs(blocking=True, more=True), TIMINGS)
def test_dpor_and_caching_on_class_defaults_absent_attributes_spawned_threads_and_every_primitive(program, timing):
    _agree(program, timing, "dpor")
    _agree(program, timing, "cached")


def test_known_program_spawned_threads_and_objects_created_in_threads():
    """Default thread names, idents and object labels depend on the order in
    which threads start and create objects: every strategy must reach all
    34 outcomes brute force reaches (DPOR in 62 executions of 315)."""
    p = Program(workers=((("spawn",), ("new",), ("ident",)),) * 2, join=True, more=True)
    for timing in ("ideal", "any-delay"):
        sc, c = _agree(p, timing, "dpor")
        assert (c.outcomes, c.executions, c.dfs_executions) == (34, 62, 315)
        _agree(p, timing, "cached")


def test_known_program_lock_order():
    """Two threads take one lock: both orders are found although the
    release/acquire race cannot be reversed (the blocking rule finds it)."""
    p = Program(workers=((("acquire", 0, -1), ("write", "x", 1), ("release", 0)),) * 2, locks=1, join=True)
    for timing in ("ideal", "any-delay"):
        _, c = _agree(p, timing, "dpor")
        assert c.executions == 2


# -- assume(): discarded executions -------------------------------------------
# A false assume() ends an execution without an outcome.  These tests explore
# with the strategies directly and compare the outcomes of the *complete*
# executions (those no assume discarded), which is what the check layer
# reports; the discarding step ends the execution early, like a failing step.


@dataclass
class Explored:
    outcomes: set  # outcomes of the complete executions
    executions: int  # every execution, discarded ones included
    discarded: int
    complete: bool  # the search was not cut by a limit


def explore(sc, timing: str, strategy: str, cap: int | None = None) -> Explored:
    """Every execution ``strategy`` runs on ``sc``, discarded ones apart."""
    found = Explored(set(), 0, 0, True)

    def visit(ex, schedule):
        found.executions += 1
        if ex.discarded:
            found.discarded += 1
        else:
            found.outcomes.add(ex.outcome())
        return None  # go on

    stats = STRATEGIES[strategy]().explore(ScenarioSpace(sc, sc.bind({}), timing), visit, Limits(max_executions=cap))
    found.complete = stats.complete
    return found


def _agree_with_assume(program: Program, timing: str, *strategies: str) -> tuple[Explored, ...] | None:
    """Brute force's exploration of ``program`` and each strategy's, after
    checking that they reach the same complete outcomes, the strategy in no
    more executions (None when brute force is too large for CI)."""
    sc = build(program, timing)
    dfs = explore(sc, timing, "dfs", cap=1000)
    if not dfs.complete:
        return None
    found = [dfs]
    for strategy in strategies:
        red = explore(sc, timing, strategy)
        assert red.complete, f"{strategy} did not complete on {program}"
        missing, extra = dfs.outcomes - red.outcomes, red.outcomes - dfs.outcomes
        assert not missing, f"{strategy} missed outcomes {missing} of {program} ({timing})"
        assert not extra, f"{strategy} found outcomes brute force did not: {extra}"
        assert red.executions <= dfs.executions
        found.append(red)
    return tuple(found)


@settings(max_examples=60, **SETTINGS)
@given(programs(blocking=True, assumes=True), TIMINGS)
def test_dpor_with_assume_reaches_every_complete_outcome_of_brute_force(program, timing):
    _agree_with_assume(program, timing, "dpor")


@settings(max_examples=30, **SETTINGS)
@given(programs(blocking=True, extras=True, assumes=True), TIMINGS)
def test_dpor_and_caching_with_assume_semaphores_conditions_queues_daemons_invariants(program, timing):
    _agree_with_assume(program, timing, "dpor", "cached")


@settings(max_examples=60, **SETTINGS)
@given(programs(blocking=False, assumes=True), TIMINGS)
def test_dpor_with_assume_runs_one_execution_per_trace_without_blocking(program, timing):
    """Discarded executions are classes of their own (the discarding step
    ends the execution, like a failing one): DPOR runs exactly one execution
    per Mazurkiewicz trace of brute force, discarded ones included."""
    agreed = _agree_with_assume(program, timing, "dpor")
    if agreed is not None:
        _, red = agreed
        assert red.executions == mazurkiewicz_classes(build(program, timing), timing)


def test_a_discard_does_not_hide_another_threads_failure():
    """w0's only step discards and is independent of w1's failing assert:
    DPOR and caching must still run w1 first, or they would call the
    program safe."""
    p = Program(workers=((("assume", "y", 0),), (("assert", "x", 0),)), join=False)
    for timing in ("ideal", "any-delay"):
        for found in _agree_with_assume(p, timing, "dpor", "cached"):
            assert [o.failure for o in found.outcomes] == ["assertion failed in thread w1: w1 saw x=0"]
            assert (found.executions, found.discarded) == (2, 1)


def test_assume_as_a_lock_keeps_only_the_orders_in_which_it_was_free():
    """Two threads take a flag with ``assume(x == 0); x = 1`` in one step and
    print: of brute force's 6 executions the 4 in which each took it when
    free complete (2 discarded); DPOR runs one complete execution per order
    of the two critical sections, and the 2 discarded ones (each thread
    finding the flag taken)."""
    take = (("assume_free", "x"), ("write", "x", 1), ("print",), ("yield",), ("write", "x", 0))
    p = Program(workers=(take, take), join=True)
    for timing in ("ideal", "any-delay"):
        dfs, red = _agree_with_assume(p, timing, "dpor")
        assert {o.output for o in red.outcomes} == {"w0:0\nw1:0\nfinal 0 0\n", "w1:0\nw0:0\nfinal 0 0\n"}
        assert (dfs.executions, dfs.discarded) == (6, 2)
        assert (red.executions, red.discarded) == (4, 2)
