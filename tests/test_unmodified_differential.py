"""The differential generator in unmodified mode (docs/unmodified.md).

Each generated program (tests/programs_unmodified.py) is written twice: as
plain ``threading`` code and as the step program with a ``yield``
wherever the real code can switch threads.  In both timing modes and
both memory models (``semantics``; the step program reads the shared list
one element per step where free-threading does):

* DPOR on the unmodified code reaches exactly the outcomes brute force
  (DFS) reaches on it;
* and exactly the outcomes of the step program (what is printed and how
  the execution ends): the tracer puts the scheduling points where a
  careful hand would.
"""

from __future__ import annotations

import re
import warnings

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker import check, load_model
from programs_unmodified import list_programs, steps_source, unmodified_programs, unmodified_source

SETTINGS = dict(deadline=None, derandomize=True, suppress_health_check=list(HealthCheck), database=None)
CAP = 600


def outcomes(result) -> set:
    return {(o.outcome.output, o.outcome.failure) for o in result.outcomes}


def unlined(found: set) -> set:
    """Outcomes with source lines left out (the two files number lines differently)."""
    return {(output, failure and re.sub(r" at line \d+", "", failure)) for output, failure in found}


def _load(tmp_path, name: str, source: str):
    path = tmp_path / f"{name}.py"
    path.write_text(source)
    return load_model(path).scenario("generated")


EXAMPLES = int(__import__("os").environ.get("UNMODIFIED_EXAMPLES", "40"))


@settings(max_examples=EXAMPLES, **SETTINGS)
@given(program=unmodified_programs(), timing=st.sampled_from(["ideal", "any-delay"]),
       semantics=st.sampled_from(["gil", "free-threading"]))
def test_unmodified_code_reaches_what_brute_force_and_the_step_program_reach(tmp_path_factory, program, timing,
                                                                             semantics):
    tmp = tmp_path_factory.mktemp("gen")
    code = _load(tmp, "plain", unmodified_source(program))
    steps = _load(tmp, "steps", steps_source(program, semantics))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dfs = check(code, strategy="dfs", all_outcomes=True, timing=timing, max_executions=CAP, semantics=semantics)
        if not dfs.complete:
            return  # too big for CI
        dpor = check(code, strategy="dpor", all_outcomes=True, timing=timing, semantics=semantics)
        fine = check(steps, strategy="dpor", all_outcomes=True, timing=timing)
    assert dpor.complete and fine.complete
    assert outcomes(dpor) == outcomes(dfs), (program, timing, outcomes(dfs) ^ outcomes(dpor))
    assert unlined(outcomes(dpor)) == unlined(outcomes(fine)), (program, timing, outcomes(dpor) ^ outcomes(fine))
    assert dpor.executions <= dfs.executions


@settings(max_examples=EXAMPLES, **SETTINGS)
@given(program=list_programs())
def test_list_operations_under_both_memory_models(tmp_path_factory, program):
    """Where the models differ (a shared list scanned or summed while it
    changes): under each, DPOR reaches what brute force and the step
    program reach; free-threading only adds scheduling points, so its
    outcomes include the GIL's.  (Brute force is capped lower here: the
    step program is the comparison that needs every example.)"""
    tmp = tmp_path_factory.mktemp("gen")
    code = _load(tmp, "plain", unmodified_source(program))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        both = check(code, strategy="dpor", all_outcomes=True, semantics="both")
        for result in (both, both.under_gil):
            steps = _load(tmp, f"steps_{result.semantics}", steps_source(program, result.semantics))
            dfs = check(code, strategy="dfs", all_outcomes=True, semantics=result.semantics, max_executions=CAP // 3)
            fine = check(steps, strategy="dpor", all_outcomes=True)
            assert result.complete and fine.complete
            if dfs.complete:
                assert outcomes(result) == outcomes(dfs), (program, result.semantics, outcomes(dfs) ^ outcomes(result))
            assert unlined(outcomes(result)) == unlined(outcomes(fine)), (program, result.semantics,
                                                                          outcomes(result) ^ outcomes(fine))
    assert outcomes(both.under_gil) <= outcomes(both), (program, outcomes(both.under_gil) - outcomes(both))
