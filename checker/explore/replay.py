"""Replay: run exactly one given schedule (for ``--replay`` and reports)."""

from __future__ import annotations

from ..errors import ModelError
from ..runtime.execution import Execution
from ..runtime.schedule import Choice, encode
from .coverage import Coverage, Scope, Unit
from .strategy import Limits, Space, Stats, Strategy, Visit


def run_schedule(space: Space, schedule: tuple[Choice, ...]) -> Execution:
    """The execution ``schedule`` leads to.  Raises ``ModelError`` when the
    schedule does not fit the model (a choice not enabled, or left over)."""
    ex = space.new()
    for depth, choice in enumerate(schedule):
        available = ex.available()
        if choice not in available:
            state = "the execution had already ended" if ex.done else f"enabled were {list(available)}"
            raise ModelError(
                f"schedule {encode(schedule)} does not fit scenario {ex.scenario.name}: "
                f"step {depth + 1} chooses {choice} but {state}",
                hint="the model or its parameters changed since the schedule was printed; run the "
                "scenario again to get a current counterexample",
            )
        ex.step(choice)
    return ex


class Replay(Strategy):
    """Runs one schedule; the "exploration" is that single execution."""

    name = "replay"
    keeps_counterexample = True

    def __init__(self, schedule: tuple[Choice, ...]):
        self.schedule = schedule

    def explore(self, space: Space, visit: Visit, limits: Limits) -> Stats:
        ex = run_schedule(space, self.schedule)
        budget = self.start(visit, limits)
        budget.stats.transitions = len(self.schedule)
        budget.report(ex, self.schedule)
        return budget.stats

    def coverage(self, stats: Stats) -> Coverage:
        """One schedule; finished when it ran to the end of the execution."""
        return Coverage(Scope.ONE, Unit.INTERLEAVING, stats.executions, stats.complete)
