"""The differential generator in unmodified mode (docs/unmodified.md).

Each generated program (tests/programs_unmodified.py) is written twice: as
plain ``threading`` code and as the step program with a ``yield``
wherever the real code can switch threads.  In both timing modes:

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
from programs_unmodified import steps_source, unmodified_programs, unmodified_source

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


@settings(max_examples=int(__import__("os").environ.get("UNMODIFIED_EXAMPLES", "40")), **SETTINGS)
@given(program=unmodified_programs(), timing=st.sampled_from(["ideal", "any-delay"]))
def test_unmodified_code_reaches_what_brute_force_and_the_step_program_reach(tmp_path_factory, program, timing):
    tmp = tmp_path_factory.mktemp("gen")
    code = _load(tmp, "plain", unmodified_source(program))
    steps = _load(tmp, "steps", steps_source(program))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dfs = check(code, strategy="dfs", all_outcomes=True, timing=timing, max_executions=CAP)
        if not dfs.complete:
            return  # too big for CI
        dpor = check(code, strategy="dpor", all_outcomes=True, timing=timing)
        fine = check(steps, strategy="dpor", all_outcomes=True, timing=timing)
    assert dpor.complete and fine.complete
    assert outcomes(dpor) == outcomes(dfs), (program, timing, outcomes(dfs) ^ outcomes(dpor))
    assert unlined(outcomes(dpor)) == unlined(outcomes(fine)), (program, timing, outcomes(dpor) ^ outcomes(fine))
    assert dpor.executions <= dfs.executions
