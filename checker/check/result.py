"""The Result of checking one scenario: verdict, counts, outcomes and the
counterexample.  Plain data; the presentation layer renders it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from ..explore.coverage import Coverage, Scope, StopReason, Unit
from ..explore.estimate import Estimate
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


@dataclass(frozen=True)
class Part:
    """One of the searches a result joins (``auto`` under a budget: DPOR,
    then bounded search): its strategy, coverage, why it stopped, its
    counts and seconds."""

    strategy: str
    coverage: Coverage
    stop: StopReason
    executions: int
    discarded: int
    transitions: int
    wall_time: float


@dataclass(frozen=True)
class SizeEstimate:
    """``check.estimate``: a scenario's exhaustive DPOR search, sized by
    estimate.  ``estimate``: executions (estimated and run so far, whether
    exact); ``seconds``: the whole search's time at the rate measured;
    ``spent``: seconds the estimate took; ``loops``: some execution came
    back to a state (``auto`` would use state caching instead of DPOR)."""

    model: str
    scenario: str
    params: dict[str, Any]
    timing: str
    estimate: Estimate
    seconds: float
    spent: float
    loops: bool = False

    @property
    def executions(self) -> float:
        return self.estimate.executions

    @property
    def exact(self) -> bool:
        """The search finished within the estimate's budget: the counts are exact."""
        return self.estimate.exact


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
    workers: int = 1  # processes (or Dask workers) the search ran on (``check(jobs=...)``)
    stop: StopReason = StopReason.FINISHED
    limit_hit: str | None = None  # the limit that stopped the search, for display ("max_executions=100")
    all_outcomes: bool = False
    outcomes: list[OutcomeStat] = field(default_factory=list)
    from_memory: str | None = None  # folder whose remembered schedule reproduced the failure
    strategy_note: str | None = None  # why this strategy was used (the auto choice)
    parts: tuple[Part, ...] = ()  # the searches this result joins, in order (else empty: one search)
    #: memory model of unmodified code ("gil" or "free-threading"; None for a step program, whose steps are its own)
    semantics: str | None = None
    #: ``semantics="both"``: this is the free-threading result, and this the same check under the GIL
    under_gil: Result | None = None

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
    def gil_only(self) -> bool:
        """Checked under both memory models: safe under the GIL, not without it."""
        return self.under_gil is not None and self.under_gil.verdict == SAFE and self.verdict == VIOLATION

    @property
    def meets_expectation(self) -> bool:
        if self.under_gil is not None and not self.under_gil.meets_expectation:
            return False
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


def part(r: Result) -> Part:
    """``r``'s search as one part of a joined result."""
    return Part(r.strategy, r.coverage, r.stop, r.executions, r.discarded, r.transitions, r.wall_time)


def joined(first: Result, then: Result, limit_hit: str | None, note: str) -> Result:
    """One result for two searches of the same scenario run one after the
    other: ``then``'s verdict, coverage, stop and counterexample (decided by
    the later search, which ran only because the first found nothing),
    counts and seconds summed, outcome tallies merged (a witness from the
    first search that reached the outcome), both in ``parts``."""
    tally = {o.outcome: OutcomeStat(o.outcome, o.count, o.witness) for o in first.outcomes}
    for o in then.outcomes:
        if o.outcome in tally:
            tally[o.outcome].count += o.count
        else:
            tally[o.outcome] = OutcomeStat(o.outcome, o.count, o.witness)
    return replace(
        then,
        strategy=f"{first.strategy}+{then.strategy}",
        executions=first.executions + then.executions,
        discarded=first.discarded + then.discarded,
        looped=first.looped + then.looped,
        transitions=first.transitions + then.transitions,
        wall_time=first.wall_time + then.wall_time,
        outcomes=list(tally.values()),
        limit_hit=limit_hit,
        strategy_note=note,
        parts=(*(first.parts or (part(first),)), *(then.parts or (part(then),))),
    )
