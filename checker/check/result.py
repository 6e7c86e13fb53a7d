"""The Result of checking one scenario: verdict, counts, outcomes and the
counterexample.  Plain data; the presentation layer renders it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..explore.coverage import Coverage, Scope, StopReason, Unit
from ..runtime.schedule import Choice, encode
from ..runtime.trace import Failure, Outcome, Trace

SAFE, VIOLATION, INCOMPLETE = "safe", "violation", "incomplete"


class Views:
    """Presentation hooks for the conveniences below (graphs, notebook HTML).

    The check layer must not import the presentation layer, so the public
    surface (``checker/__init__.py``, above every layer) installs hooks here
    that import ``checker.present.graphs`` on first call.  Each hook is None
    until then.
    """

    trace_graph: Callable[..., Any] | None = None
    trace_digraph: Callable[..., Any] | None = None
    save_trace_graph: Callable[..., Any] | None = None
    result_html: Callable[..., str] | None = None


VIEWS = Views()


def _view(name: str) -> Callable[..., Any]:
    hook = getattr(VIEWS, name)
    if hook is None:
        raise RuntimeError(f"{name} is provided by checker.present; `import checker` installs it")
    return hook


@dataclass(frozen=True)
class Counterexample:
    """A failing execution: its schedule (the source of truth) and trace."""

    schedule: tuple[Choice, ...]
    trace: Trace
    failure: Failure
    preemptions: int | None = None  # context switches away from a thread that could have gone on

    @property
    def code(self) -> str:
        """The schedule as text, for ``--replay``."""
        return encode(self.schedule)

    def to_networkx(self) -> Any:
        """The trace graph: a ``networkx.DiGraph`` (see docs/graphs.md)."""
        return _view("trace_graph")(self.trace, self.failure)

    def to_graphviz(self, title: str | None = None) -> Any:
        """The trace graph drawn as a ``graphviz.Digraph`` (shows inline in
        Jupyter)."""
        return _view("trace_digraph")(self.trace, title=title, failure=self.failure)

    def save(self, path: str, format: str | None = None) -> Any:
        """Draw the trace graph into ``path`` (.svg, .png or .dot); returns
        the path, or one line saying how to render the .dot written instead
        when no renderer is available."""
        return _view("save_trace_graph")(self.trace, path, format, failure=self.failure)


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
    coverage: Coverage
    discarded: int = 0  # executions ended by a false assume() (not in ``executions``, never outcomes)
    looped: int = 0  # executions cut because a state recurred (the model loops; ``runtime.revisit``)
    stop: StopReason = StopReason.FINISHED
    limit_hit: str | None = None  # the limit that stopped the search, for display ("max_executions=100")
    all_outcomes: bool = False
    outcomes: list[OutcomeStat] = field(default_factory=list)
    from_memory: str | None = None  # folder whose remembered schedule reproduced the failure
    strategy_note: str | None = None  # why this strategy was used (the auto choice)

    @property
    def complete(self) -> bool:
        """Every interleaving was covered (a replay: the schedule ran to the
        end of the execution)."""
        if self.coverage.scope is Scope.ONE:
            return self.coverage.finished
        return self.coverage.proves_all

    @property
    def classes(self) -> int | None:
        """dpor: Mazurkiewicz traces covered (one execution each)."""
        return self.coverage.covered if self.coverage.unit is Unit.CLASS else None

    @property
    def states_visited(self) -> int | None:
        """cached: distinct states reached."""
        return self.coverage.covered if self.coverage.unit is Unit.STATE else None

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

    def __repr__(self) -> str:
        """One line (the full record is in the fields): scenario, verdict,
        what failed, how much was explored."""
        params = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        failed = f" ({self.failure.summary().splitlines()[0]})" if self.failure is not None else ""
        return (f"<Result {self.scenario}({params}): {self.verdict}{failed}, {self.executions} executions, "
                f"strategy {self.strategy}, timing {self.timing}>")

    def _repr_html_(self) -> str:
        """Jupyter: the verdict, counts and (for a failure) the graph."""
        return _view("result_html")(self)
