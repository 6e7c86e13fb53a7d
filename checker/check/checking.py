"""``check``: explore one scenario with a strategy and judge the result.

The visitor given to the strategy classifies each finished execution: a
failure makes the verdict "violation" (and stops the search unless every
outcome was asked for); every execution's outcome is tallied with a witness
schedule.  Settings are keyword-only and validated before anything runs.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from concurrent.futures import Executor
from typing import Any
from collections.abc import Callable, Mapping

from ..errors import UsageError
from ..explore import DEFAULT_MAX_STEPS, STRATEGIES, Limits, OptimalDPOR, Replay, Stats, Strategy
from ..explore.coverage import StopReason
from ..explore.estimate import Estimate
from ..explore.sampling import Sampler
from ..program.scenario import BOTH, TIMINGS, Scenario
from ..runtime import collector
from ..runtime.execution import Execution
from ..runtime.schedule import Choice, decode
from ..runtime.watchdog import DEFAULT_STEP_TIMEOUT, Heartbeat, Watchdog
from .jobs import Jobs
from .memory import open_memory, recall
from .minimize import minimize
from .semantics import check_both, chosen
from .result import INCOMPLETE, SAFE, VIOLATION, Counterexample, OutcomeStat, Result, SizeEstimate, joined


class ScenarioSpace:
    """Fresh executions of one scenario with fixed parameters and timing
    (``heartbeat``: the step budget's, see ``runtime.watchdog``)."""

    def __init__(self, scenario: Scenario, params: Mapping[str, Any], timing: str, heartbeat: Heartbeat | None = None):
        self.scenario, self.params, self.timing, self.heartbeat = scenario, dict(params), timing, heartbeat

    def new(self) -> Execution:
        return Execution(self.scenario, self.params, self.timing, self.heartbeat)


def check(
    scenario: Scenario,
    *,
    params: Mapping[str, Any] | None = None,
    timing: str | None = None,
    strategy: str | Strategy = "auto",
    all_outcomes: bool = False,
    max_executions: int | None = None,
    max_steps: int = DEFAULT_MAX_STEPS,
    replay: str | tuple[Choice, ...] | None = None,
    memory: bool | str | Path = False,
    progress: Callable[[int, int], None] | None = None,
    step_timeout: float | None = None,
    max_time: float | None = None,
    minimize: bool = True,
    on_estimate: Callable[[Estimate | None], None] | None = None,
    jobs: int | None = None,
    executor: Executor | None = None,
    semantics: str | None = None,
) -> Result:
    """Explore ``scenario`` and return its ``Result``.

    ``params`` override the scenario's defaults; ``timing`` is "ideal" or
    "any-delay" (default: the scenario's own); ``strategy`` is a configured
    ``Strategy`` instance, names one in ``checker.explore.STRATEGIES`` (with
    its default settings), or is "auto" (the default: DPOR, and
    state caching instead when an execution comes back to a state it was in,
    i.e. the model loops; the result's ``strategy_note`` says so); ``max_steps``
    cuts an execution that runs longer without a recurring state (a safety
    net); ``all_outcomes`` keeps exploring after a
    violation and tallies every distinct outcome; ``replay`` runs exactly one
    schedule (text as printed, or a tuple of choices); ``memory`` (True, or
    a folder) replays remembered failing schedules first and remembers
    failures that do not meet the scenario's expectation (see
    ``checker.check.memory``); ``progress(executions,
    transitions)`` is called after every execution; ``step_timeout``:
    seconds one step may run before it is stopped with a ``ModelError``
    naming where it is stuck (default: the scenario's ``step_timeout``, else
    5; 0 turns the budget off); ``max_time``: seconds of exploration after
    which the search stops (checked between executions; the result is then
    "incomplete" with ``stop`` ``StopReason.MAX_TIME``, or a violation if
    one was found); ``minimize``: make the counterexample as small as a short
    search allows, fewest preemptions first, then shortest (``check.minimize``;
    its ``preemptions`` are counted either way); ``on_estimate(estimate)``
    is called after every execution of an exhaustive DPOR search with its
    size by estimate (``explore.estimate.Estimate``; for an ETA), and with
    None when that search is over and another one follows.  Why a search stopped is ``Result.stop``;
    what it covered is ``Result.coverage``.  ``jobs=N``, ``executor``: DPOR or sampling in parallel (``check.jobs``).
    ``semantics``: the memory model of unmodified code, "gil",
    "free-threading" or "both" (``check.semantics``; default: the scenario's).

    ``auto`` with a budget (``max_executions`` or ``max_time``) is a policy:
    DPOR first; when its share of the budget is spent and its estimate says
    it will not finish within the whole budget, iterative preemption
    bounding for the rest, and the result joins both (``Result.parts``); see
    ``_auto``.  Without a budget ``auto`` runs DPOR alone.

    Ctrl-C (``KeyboardInterrupt``) while exploring raises ``Interrupted``, a
    ``KeyboardInterrupt`` whose ``result`` is the partial result so far.
    """
    # every argument as given (locals() holds only the parameters here), for check_both to pass on
    arguments = {k: v for k, v in locals().items() if k not in ("scenario", "semantics")}
    if not isinstance(scenario, Scenario):
        raise UsageError(
            f"check() expects a scenario (a function decorated with @scenario), got {type(scenario).__name__}"
        )
    semantics = chosen(scenario, semantics)
    if semantics == BOTH and scenario.front is not None:
        return check_both(check, scenario, arguments)
    scenario = scenario.under("gil" if semantics == BOTH else semantics)
    timing = timing or scenario.timing
    if timing not in TIMINGS:
        raise UsageError(f"unknown timing mode {timing!r}", hint=f"use one of: {', '.join(TIMINGS)}")
    if not isinstance(strategy, Strategy) and strategy != AUTO and strategy not in STRATEGIES:
        raise UsageError(f"unknown strategy {strategy!r}", hint=f"use one of: {AUTO}, {', '.join(STRATEGIES)}")
    for name, value in (("max_executions", max_executions), ("max_steps", max_steps)):
        if value is not None and (not isinstance(value, int) or value < 1):
            raise UsageError(f"{name} must be a positive integer, got {value!r}")
    if step_timeout is not None and (isinstance(step_timeout, bool) or not isinstance(step_timeout, (int, float))
                                     or step_timeout < 0):
        raise UsageError(f"step_timeout must be a number of seconds >= 0, got {step_timeout!r}")
    if max_time is not None and (isinstance(max_time, bool) or not isinstance(max_time, (int, float))
                                 or not max_time > 0):
        raise UsageError(f"max_time must be a number of seconds > 0, got {max_time!r}")
    if step_timeout is None:
        step_timeout = scenario.step_timeout if scenario.step_timeout is not None else DEFAULT_STEP_TIMEOUT
    bound = scenario.bind(params or {})
    deadline = None if max_time is None else time.monotonic() + max_time
    limits = Limits(max_executions, max_steps, step_timeout, deadline)
    run = _Run(scenario, bound, timing, all_outcomes, limits, progress, max_time, minimize, on_estimate)
    run.parallel = Jobs.settle(scenario, bound, jobs, executor, strategy, run.budgeted)
    if replay is not None:
        schedule = decode(replay) if isinstance(replay, str) else tuple(replay)
        return run(Replay(schedule))
    store = open_memory(memory)
    if store is not None and not all_outcomes:
        remembered = recall(store, run)
        if remembered is not None:
            return remembered
    if isinstance(strategy, Strategy):
        result = run(strategy)
    elif strategy == AUTO:
        result = _auto(run)
    else:
        result = run(STRATEGIES[strategy]())
    if minimize and result.verdict == VIOLATION and "shrink" in scenario.extra:  # a drawn linearizability case
        from .linearizability_shrink import shrink  # (it calls check() for each smaller case)

        result = shrink(scenario, result)
    if store is not None and result.counterexample is not None and not result.meets_expectation:
        store.remember(scenario, bound, timing, result.counterexample.code)
    return result


AUTO = "auto"
INTERRUPTED = "interrupted (Ctrl-C)"


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during ``check``: still a ``KeyboardInterrupt`` (a loop of
    checks stops), carrying the partial ``result`` (verdict "incomplete"
    with ``limit_hit`` ``INTERRUPTED``, or the violation already found);
    ``step`` says where the step that was running is, when one was."""

    def __init__(self, result: Result):
        super().__init__("interrupted")
        self.result = result
        self.step: str | None = None


def _auto(run: _Run) -> Result:
    """DPOR; if one of its executions loops (a state recurs, see
    ``runtime.revisit``: stateless search would only ever cut it), state
    caching instead, which terminates on loops (``explore.cached``).  An
    execution that is merely long is no reason to switch: it runs on, up to
    the ``max_steps`` safety net.  With a budget, DPOR gets a share of it
    and bounded search the rest (``_Share``, ``_rest_of_budget``)."""
    share = _Share(run.limits) if run.budgeted else None
    result = run(STRATEGIES["dpor"](), stop_on_loop=True, share=share)
    if result.stop is not StopReason.LOOP:
        return _rest_of_budget(run, result)
    cached = run(STRATEGIES["cached"]())
    cached.strategy_note = "an execution under dpor came back to a state it had been in (the model loops), " \
        "so state caching was used"
    return cached


class _Share:
    """DPOR's share of a budget under ``auto``: half of it (half the
    executions, half the time).  Past that, DPOR goes on only while its
    estimate (``explore.estimate``) says the whole search fits in the whole
    budget; otherwise it stops (with the budget's ``StopReason``) and leaves
    the rest to bounded search.  Called by the visitor after each execution
    with the search's ``Stats``."""

    def __init__(self, limits: Limits):
        self.limits, self.started = limits, time.monotonic()
        self.executions = None if limits.max_executions is None else max(1, limits.max_executions // 2)
        self.deadline = None if limits.deadline is None else (self.started + limits.deadline) / 2

    def __call__(self, stats: Stats) -> StopReason | None:
        now = time.monotonic()
        if self.executions is not None and stats.executions >= self.executions:
            reason = StopReason.MAX_EXECUTIONS
        elif self.deadline is not None and now >= self.deadline:
            reason = StopReason.MAX_TIME
        else:
            return None
        return None if self.fits(stats.estimate, now) else reason

    def fits(self, estimate: Estimate | None, now: float) -> bool:
        """The estimated search ends within the whole budget."""
        limits = self.limits
        if estimate is None:
            return False
        if limits.max_executions is not None and estimate.executions > limits.max_executions:
            return False
        if limits.deadline is not None:
            to_go = estimate.remaining_seconds(now - self.started)
            return to_go is not None and now + to_go <= limits.deadline
        return True


_BUDGETS = (StopReason.MAX_EXECUTIONS, StopReason.MAX_TIME)


def _rest_of_budget(run: _Run, first: Result) -> Result:
    """After DPOR under a budget stopped without a violation: iterative
    preemption bounding (``explore.bounded``, fewest preemptions first) for
    what is left of the budget, joined with DPOR's part (``result.joined``).
    ``first`` as it is when there was no budget, nothing is left, or DPOR
    finished or found a violation."""
    limits = run.limits
    if not run.budgeted or first.verdict != INCOMPLETE or first.stop not in _BUDGETS:
        return first
    left = None if limits.max_executions is None else limits.max_executions - first.executions - first.discarded
    if (left is not None and left < 1) or (limits.deadline is not None and time.monotonic() >= limits.deadline):
        return first
    rest = _Run(run.scenario, run.params, run.timing, run.all_outcomes, replace(limits, max_executions=left),
                run.progress, run.max_time, run.minimize)
    fraction = first.coverage.estimated_fraction
    done = f"{fraction:.0%} done by estimate" if fraction is not None else "not finished"
    note = f"dpor's share of the budget ran out ({done}), so bounded search used the rest"
    if run.on_estimate is not None:
        run.on_estimate(None)  # bounded search has no estimate: the last one is stale
    try:
        then = rest(STRATEGIES["bounded"]())
    except Interrupted as stop:
        stop.result = joined(first, stop.result, stop.result.limit_hit, note)
        raise
    return joined(first, then, run.limit_label(Stats(stop=then.stop)) or then.limit_hit, note)


ESTIMATE_SECONDS = 2.0  # how long ``estimate`` explores unless told otherwise


def estimate(
    scenario: Scenario,
    *,
    params: Mapping[str, Any] | None = None,
    timing: str | None = None,
    max_steps: int = DEFAULT_MAX_STEPS,
    step_timeout: float | None = None,
    max_time: float | None = None,
    max_executions: int | None = None,
    on_estimate: Callable[[Estimate | None], None] | None = None,
    semantics: str | None = None,
) -> SizeEstimate:
    """The size of ``scenario``'s exhaustive DPOR search (every outcome), by
    estimate, without running all of it: DPOR runs for ``max_time`` seconds
    (default ``ESTIMATE_SECONDS``) or ``max_executions`` executions, then
    its online estimate (``explore.estimate``) is read; the seconds are the
    estimated executions at the rate measured.  A search that finishes
    within that budget gives the exact count (``SizeEstimate.exact``).
    Settings are validated as ``check``'s; "both" semantics sizes the
    free-threading search (the larger)."""
    from ..explore import OptimalDPOR

    dpor = OptimalDPOR()
    if max_time is None and max_executions is None:
        max_time = ESTIMATE_SECONDS
    semantics = chosen(scenario, semantics)
    result = check(scenario, params=params, timing=timing, strategy=dpor, all_outcomes=True, max_steps=max_steps,
                   semantics="free-threading" if semantics == BOTH else semantics,
                   step_timeout=step_timeout, max_time=max_time, max_executions=max_executions, minimize=False,
                   on_estimate=on_estimate)
    stats = dpor.stats
    assert stats is not None and stats.estimate is not None  # DPOR ran at least one execution and estimated
    spent = result.wall_time
    per_execution = spent / stats.executions if stats.executions else 0.0
    return SizeEstimate(
        model=scenario.file, scenario=scenario.name, params=result.params, timing=result.timing,
        estimate=stats.estimate, seconds=stats.estimate.executions * per_execution, spent=spent,
        loops=result.looped > 0,
    )


class _Run:
    """One scenario with its settings, explored by any strategy and judged.
    Calling it runs one search (``auto`` may run two with the same budget)."""

    def __init__(self, scenario: Scenario, params: dict[str, Any], timing: str, all_outcomes: bool, limits: Limits,
                 progress: Callable[[int, int], None] | None, max_time: float | None, minimize: bool = True,
                 on_estimate: Callable[[Estimate | None], None] | None = None):
        self.scenario, self.params, self.timing, self.all_outcomes = scenario, params, timing, all_outcomes
        self.limits, self.progress, self.max_time, self.minimize = limits, progress, max_time, minimize
        self.on_estimate = on_estimate
        self.parallel: Jobs | None = None  # where DPOR runs when not in this process (``check.jobs``)

    @property
    def budgeted(self) -> bool:
        """A budget of executions or time was given."""
        return self.limits.max_executions is not None or self.limits.deadline is not None

    def __call__(self, strategy: Strategy, stop_on_loop: bool = False, all_outcomes: bool | None = None,
                 share: Callable[[Stats], StopReason | None] | None = None) -> Result:
        """Explore with ``strategy`` and judge; ``stop_on_loop`` stops at the
        first execution in which a state recurred (``StopReason.LOOP``);
        ``share(stats)``, asked after each execution that does not stop the
        search otherwise, may stop it (``_Share``)."""
        all_outcomes = self.all_outcomes if all_outcomes is None else all_outcomes
        if self.parallel is not None and isinstance(strategy, (OptimalDPOR, Sampler)):
            return self.parallel.run(self, strategy, stop_on_loop, all_outcomes)
        tally: dict[Any, OutcomeStat] = {}
        found: list[Counterexample] = []
        counts = [0, 0]
        progress, on_estimate = self.progress, self.on_estimate

        def visit(ex: Execution, schedule: tuple[Choice, ...]) -> StopReason | None:
            stop = classify(ex, schedule)
            if stop is None and share is not None and strategy.stats is not None:
                return share(strategy.stats)
            return stop

        def classify(ex: Execution, schedule: tuple[Choice, ...]) -> StopReason | None:
            counts[0] += 1
            counts[1] += len(ex.trace.events)
            if progress is not None:
                progress(counts[0], counts[1])
            if on_estimate is not None and strategy.stats is not None and strategy.stats.estimate is not None:
                on_estimate(strategy.stats.estimate)
            if stop_on_loop and ex.looping:
                return StopReason.LOOP
            if ex.discarded:  # a false assume(): neither an outcome nor a failure
                return None
            outcome = ex.outcome()
            stat = tally.get(outcome)
            if stat is None:
                tally[outcome] = OutcomeStat(outcome, 1, schedule)
            else:
                stat.count += 1
            if ex.failure is not None and not found:
                found.append(Counterexample(schedule, ex.trace, ex.failure, ex.preemptions))
            if not all_outcomes and ex.failure is not None:
                return StopReason.VIOLATION
            return None

        started = time.perf_counter()
        stats: Stats | None = None
        try:
            with Watchdog(self.limits.step_timeout) as watchdog, collector.paced():
                space = ScenarioSpace(self.scenario, self.params, self.timing, watchdog.heartbeat)
                stats = strategy.explore(space, visit, self.limits)
                if found:
                    found[0] = self.smaller(space, strategy, found[0])
        except KeyboardInterrupt as exc:
            if isinstance(exc, Interrupted):
                raise
            if stats is None:  # the search itself was interrupted (else: the minimization)
                stats = strategy.stats or Stats(executions=counts[0], transitions=counts[1])
                stats.stop = StopReason.INTERRUPTED
            result = self.judge(strategy, all_outcomes, stats, tally, found, started)
            interrupted = Interrupted(result)
            interrupted.step = getattr(exc, "step", None)  # where a stuck step was (runtime.watchdog)
            raise interrupted from None
        return self.judge(strategy, all_outcomes, stats, tally, found, started)

    def smaller(self, space: ScenarioSpace, strategy: Strategy, cex: Counterexample) -> Counterexample:
        """``cex`` (with the preemptions its execution counted) minimized
        (``check.minimize``), or as it is when the strategy keeps it or
        minimizing is off."""
        if strategy.keeps_counterexample or not self.minimize:
            return cex
        return minimize(space, cex, self.limits)

    def limit_label(self, stats: Stats) -> str | None:
        """The limit that stopped the search or cut an execution, as shown
        (``max_executions=100``); None when none did."""
        limits = self.limits
        labels = {
            StopReason.MAX_EXECUTIONS: f"max_executions={limits.max_executions}",
            StopReason.MAX_TIME: f"max_time={self.max_time:g}s" if self.max_time is not None else None,
            StopReason.INTERRUPTED: INTERRUPTED,
        }
        if stats.stop in labels:
            return labels[stats.stop]
        return f"max_steps={limits.max_steps}" if stats.cut_executions > stats.looped else None

    def judge(self, strategy: Strategy, all_outcomes: bool, stats: Stats, tally: dict[Any, OutcomeStat],
              found: list[Counterexample], started: float) -> Result:
        elapsed = time.perf_counter() - started
        cex = found[0] if found else None
        coverage = strategy.coverage(stats)
        if cex is not None:
            verdict = VIOLATION
        elif coverage.proves_all:
            verdict = SAFE
        else:
            verdict = INCOMPLETE
        scenario = self.scenario
        semantics = scenario.front.semantics if scenario.front is not None else None
        return Result(
            model=scenario.file,
            scenario=scenario.name,
            params=self.params,
            timing=self.timing,
            semantics=semantics,
            strategy=strategy.name,
            expectation=scenario.expectation(self.timing, semantics),
            verdict=verdict,
            failure=cex.failure if cex else None,
            counterexample=cex,
            executions=stats.kept,
            discarded=stats.discarded,
            looped=stats.looped,
            transitions=stats.transitions,
            wall_time=elapsed,
            coverage=coverage,
            stop=stats.stop,
            limit_hit=self.limit_label(stats),
            all_outcomes=all_outcomes,
            outcomes=list(tally.values()),
        )
