"""The Result of checking one scenario: verdict, counts, outcomes and the
counterexample.  Plain data; the presentation layer renders it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..runtime.schedule import Choice, encode
from ..runtime.trace import Failure, Outcome, Trace

SAFE, VIOLATION, INCOMPLETE = "safe", "violation", "incomplete"


@dataclass(frozen=True)
class Counterexample:
    """A failing execution: its schedule (the source of truth) and trace."""

    schedule: tuple[Choice, ...]
    trace: Trace
    failure: Failure

    @property
    def code(self) -> str:
        """The schedule as text, for ``--replay``."""
        return encode(self.schedule)


@dataclass
class OutcomeStat:
    """One distinct outcome, how many executions reached it, one witness."""

    outcome: Outcome
    count: int
    witness: tuple[Choice, ...]


@dataclass
class Result:
    model: str
    scenario: str
    params: dict[str, Any]
    timing: str
    strategy: str
    expectation: str
    verdict: str
    failure: Failure | None
    counterexample: Counterexample | None
    executions: int
    transitions: int
    wall_time: float
    complete: bool
    limit_hit: str | None = None
    all_outcomes: bool = False
    outcomes: list[OutcomeStat] = field(default_factory=list)
    from_memory: str | None = None  # folder whose remembered schedule reproduced the failure

    @property
    def meets_expectation(self) -> bool:
        if self.expectation == SAFE:
            return self.verdict == SAFE
        if self.verdict != VIOLATION or self.failure is None:
            return False
        return self.expectation == VIOLATION or self.expectation == self.failure.kind

    @property
    def distinct_outcomes(self) -> int:
        return len(self.outcomes)

    @property
    def ok(self) -> bool:
        return self.meets_expectation

    def outcome_set(self) -> set[Outcome]:
        return {o.outcome for o in self.outcomes}
