"""DPOR and state caching against brute force on generated programs.

For every generated program (tests/programs.py: 2-4 threads, shared
attributes, locks, events, timeouts, sleep, choose, asserts, bounded spin
loops), in both timing modes:

* DPOR and caching reach exactly the outcomes brute-force DFS reaches (final
  shared state, output, failure), with never more executions;
* on programs that never block, DPOR runs exactly one execution per
  Mazurkiewicz trace (counted from the brute-force executions).

A larger sweep is benchmarks/dpor_sweep.py.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
