"""Does the model match reality?  Compare the outcomes real CPython threads
produce (``checker.runtime.real_threads.run_real``) with the outcomes the
checker predicts for the same scenario (``check(..., all_outcomes=True)``).

The checker is faithful when every outcome observed on real threads is
predicted: ``Fidelity.unexpected`` is then empty.  Predicted outcomes that
were never observed are normal (rare interleavings, or timing the real
scheduler does not produce), and are listed as ``unobserved``.

Outcomes are compared after ``comparable``: a failing execution is compared
by its failure summary alone (the checker stops at the first failure, real
threads go on, so the rest of the state differs), and a deadlock by its kind
alone (real threads cannot say what each thread waits for).

Real threads have arbitrary delays, so the prediction to compare with is the
*any-delay* timing mode by default; an outcome predicted there but not in
ideal timing relies on timing luck.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..program.scenario import Scenario
from ..runtime.real_threads import run_real
from ..runtime.trace import Outcome
from .checking import check


def comparable(outcome: Outcome) -> Outcome:
    """The part of an outcome that real runs and the checker can both know."""
    if outcome.failure is None:
        return outcome
    if outcome.failure.startswith("deadlock"):
        return Outcome((), "", "deadlock")
    return Outcome((), "", outcome.failure)


@dataclass
class Fidelity:
    """The comparison for one scenario.  ``observed`` counts real outcomes
    (comparable form); ``predicted`` is the checker's set (comparable form)."""

    scenario: str
    params: dict[str, Any]
    timing: str
    runs: int
    observed: Counter[Outcome]
    predicted: set[Outcome]
    complete: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def unexpected(self) -> list[Outcome]:
        """Observed on real threads but not predicted: a fidelity bug (or an
        incomplete exploration, see ``complete``)."""
        return [o for o in self.observed if o not in self.predicted]

    @property
    def unobserved(self) -> list[Outcome]:
        return [o for o in self.predicted if o not in self.observed]

    @property
    def ok(self) -> bool:
        return not self.unexpected


def predicted_outcomes(
    scenario: Scenario, params: Mapping[str, Any] | None = None, timing: str = "any-delay", **settings: Any
) -> tuple[set[Outcome], bool]:
    """Every outcome the checker finds (comparable form) and whether the
    exploration was complete."""
    result = check(scenario, params=params, timing=timing, all_outcomes=True, **settings)
    return {comparable(o) for o in result.outcome_set()}, result.complete


def compare(
    scenario: Scenario,
    params: Mapping[str, Any] | None = None,
    *,
    runs: int = 100,
    timing: str = "any-delay",
    timing_scale: float = 0.02,
    pause: float = 0.001,
    hang_after: float = 2.0,
    seed: int | None = None,
    **check_settings: Any,
) -> Fidelity:
    """Run ``scenario`` on real threads ``runs`` times and compare with the
    checker's prediction in ``timing`` mode.  ``check_settings`` go to
    ``check`` (e.g. ``max_executions``)."""
    bound = scenario.bind(params or {})
    predicted, complete = predicted_outcomes(scenario, bound, timing, **check_settings)
    real = run_real(scenario, bound, runs, timing_scale, pause=pause, hang_after=hang_after, seed=seed)
    observed: Counter[Outcome] = Counter()
    for outcome, n in real.items():
        observed[comparable(outcome)] += n
    return Fidelity(scenario.name, bound, timing, runs, observed, predicted, complete)
