"""The sampling strategies (random, pct, pos) on several processes: ranges of runs as units.

Run ``i`` of a sampling search draws from its own ``random.Random`` seeded
with ``"{seed}:{i}"`` (``explore.sampling``), so a range of runs is plain
data that any process computes by itself: a ``SampleUnit`` holds the task
(model path, scenario, parameters, timing: ``units.Task``), the strategy's
name and settings, the range of run indices, and what the runs before the
range leave for it (``Sampler.carried``: PCT's longest run so far, as
expected when the unit was handed out; nothing for random and pos).  The
worker re-imports the model (``units.load_scenario``, once per process and
file version), runs the range with the judge DPOR's units use
(``units._Judge``: outcomes with witness schedules, the first failure,
stopping at it unless every outcome is wanted) and returns a
``SampleResult``: statistics, outcomes (equality key, count, first witness
and the run that drew it), the first failing run and its schedule, and the
strategy's tallies for the coverage (``Sampler.tallies``: PCT's estimates).

The coordinator (``ParallelSampler``) hands ranges out in run order and
applies results strictly in run order.  A result is applied only if the
runs before its range, all applied by then, left exactly what the unit was
given (``carried``); else the unit runs again with that (PCT: a longer run
appeared before the range than expected -- rare once ``k`` has settled).
So every applied run is the sequential search's run of the same index, the
applied runs are runs ``0..m`` in order, and counts, outcomes with their
first witnesses, the first failure (the lowest failing run) and the
strategy's tallies are the sequential ones; after a unit that stopped (at a
failure), nothing later is applied.  How many runs a unit gets changes
nothing but speed: the first unit is one run, alone (it measures the time a
run takes, and for PCT its length), then ranges of about ``unit_seconds``
each by the time measured so far, shared out evenly near the end.
"""

from __future__ import annotations

import copy
import time
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any
from collections.abc import Callable

from ..errors import UsageError
from ..runtime import collector
from ..runtime.execution import Execution
from ..runtime.schedule import Choice
from ..runtime.watchdog import Watchdog
from .coverage import StopReason
from .dispatch import Dispatch
from .parallel import UNIT_SECONDS, Summary
from .sampling import Sampler
from .strategy import Limits, Stats
from .units import OutcomeKey, Task, _Judge, _Space, in_worker, load_scenario

PENDING, RUNNING, HELD = "pending", "running", "held"
AHEAD = 4  # ranges handed out and not yet applied, at most, per worker


@dataclass(frozen=True)
class SampleUnit:
    """Runs ``first`` to ``last - 1`` of the sampling search ``strategy``
    (a name in ``checker.explore.STRATEGIES``) built with ``settings``,
    starting from ``carried`` (``Sampler.carried``)."""

    task: Task
    strategy: str
    settings: tuple[tuple[str, Any], ...]
    carried: tuple
    first: int
    last: int


@dataclass
class SampleResult:
    """What a range of runs did.  ``outcomes``: (key, count, first witness,
    the run that drew it) in the order met; ``failure_run``: the first
    failing run, ``failure`` its schedule; ``stop``: the visitor's (a
    violation); ``tallies``: ``Sampler.tallies`` of the range's runs;
    ``run_seconds``: wall time in the runs (not loading the model);
    ``error``: a user's mistake met while running (re-raised by the
    coordinator when the range is reached in run order)."""

    stats: Stats
    tallies: tuple = ()
    outcomes: list[tuple[OutcomeKey, int, tuple[Choice, ...], int]] = field(default_factory=list)
    failure: tuple[Choice, ...] | None = None
    failure_run: int | None = None
    stop: StopReason | None = None
    run_seconds: float = 0.0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    error: tuple[str, str, str | None, str | None] | None = None


class _RunJudge(_Judge):
    """``units._Judge`` that also notes the run index of each outcome's
    first witness and of the first failure."""

    def __init__(self, task: Task, first: int):
        super().__init__(task)
        self.run, self.runs = first, {}
        self.failure_run: int | None = None

    def __call__(self, ex: Execution, schedule: tuple[Choice, ...]) -> StopReason | None:
        known, failed = len(self.tally), self.failure is not None
        stop = super().__call__(ex, schedule)
        if len(self.tally) > known:
            self.runs[next(reversed(self.tally))] = self.run
        if not failed and self.failure is not None:
            self.failure_run = self.run
        self.run += 1
        return stop


def run_sample_unit(unit: SampleUnit) -> SampleResult:
    """Run one range (in any process), as ``units.in_worker`` says."""
    return in_worker(_sample, unit, SampleResult)


def _sample(unit: SampleUnit) -> SampleResult:
    from . import STRATEGIES  # the registry imports every strategy module

    task = unit.task
    scenario = load_scenario(task)
    sampler = STRATEGIES[unit.strategy](**dict(unit.settings))
    sampler.resume(unit.carried)
    judge = _RunJudge(task, unit.first)
    limits = Limits(None, task.max_steps, task.step_timeout, None)
    budget = sampler.start(judge, limits)
    with Watchdog(task.step_timeout) as watchdog, collector.paced():
        space = _Space(scenario, task, watchdog.heartbeat)
        started = time.perf_counter()
        sampler.sample(space, budget, limits, range(unit.first, unit.last))
        run_seconds = time.perf_counter() - started
    outcomes = [(key, count, witness, judge.runs[key]) for key, (count, witness) in judge.tally.items()]
    return SampleResult(budget.stats, sampler.tallies(), outcomes, judge.failure, judge.failure_run, judge.stop,
                        run_seconds)


class _Range:
    __slots__ = ("first", "last", "status", "carried", "result")

    def __init__(self, first: int, last: int):
        self.first, self.last, self.status = first, last, PENDING
        self.carried: tuple = ()  # what the running unit was given
        self.result: SampleResult | None = None


class ParallelSampler:
    """``sampler``'s search on ``executor`` (``workers``: units run at
    once); ``run()`` gives the ``Summary`` (its ``failure_run``: the first
    failing run) and leaves ``sampler`` as the sequential search does (its
    ``stats``, and the tallies its coverage reads).  ``unit_runs`` fixes the
    runs per unit (else about ``unit_seconds`` of runs each, by measure);
    ``progress(executions, transitions)`` is called as units are applied;
    ``renew()``: a new executor when this one broke (a worker process was
    killed; ``dispatch.Dispatch``), as in parallel DPOR."""

    def __init__(self, task: Task, sampler: Sampler, executor: Executor, workers: int, limits: Limits,
                 unit_seconds: float = UNIT_SECONDS, unit_runs: int | None = None,
                 progress: Callable[[int, int], None] | None = None, renew: Callable[[], Executor] | None = None):
        if unit_runs is not None and unit_runs < 1:
            raise UsageError(f"unit_runs must be at least 1, got {unit_runs!r}")
        self.task, self.sampler, self.workers = task, sampler, workers
        self.limits, self.unit_seconds, self.unit_runs, self.progress = limits, unit_seconds, unit_runs, progress
        self.settings = tuple((o.name, getattr(sampler, o.name)) for o in sampler.options)
        self.total = sampler.runs if limits.max_executions is None else min(sampler.runs, limits.max_executions)
        self.summary = Summary(Stats())
        self.dispatch = Dispatch(executor, workers, renew, self.summary.parallel)
        self.failure_run: int | None = None
        self.ranges: list[_Range] = []  # handed out and not applied, in run order
        self.handed = 0  # runs handed out: the next range starts here
        self.measured = [0, 0.0]  # runs done in units so far, and their seconds
        sampler.fresh()
        sampler.stats = self.summary.stats

    def run(self) -> Summary:
        stats, limits = self.summary.stats, self.limits
        try:
            while self.ranges or self.handed < self.total:
                front = self.ranges[0] if self.ranges else None
                if front is not None and front.status == HELD:
                    if front.carried != self.sampler.carried():  # the runs before it left something else
                        self._again(front)
                    else:
                        del self.ranges[0]
                        if self._apply(front):
                            return self.summary
                        if self._left() and limits.deadline is not None and time.monotonic() >= limits.deadline:
                            stats.stop = StopReason.MAX_TIME
                            return self.summary
                        continue
                self._dispatch()
                self._collect()
            if self.total < self.sampler.runs:
                stats.stop = StopReason.MAX_EXECUTIONS
            return self.summary
        finally:  # also on Ctrl-C: the summary then holds what was applied
            self.dispatch.cancel()

    def _left(self) -> bool:
        return bool(self.ranges) or self.handed < self.total

    # -- handing out ---------------------------------------------------------------
    def _dispatch(self) -> None:
        """Start ranges while workers are free: ranges to run again first,
        then new ones (the first alone, until a run has been timed)."""
        for waiting in self.ranges:
            if not self.dispatch.free:
                return
            if waiting.status == PENDING:
                self._submit(waiting)
        while self.dispatch.free and self.handed < self.total and len(self.ranges) < AHEAD * self.workers:
            if self.unit_runs is None and self.measured[0] == 0 and self.ranges:
                return  # the first unit goes alone: it times a run
            size = self._size()
            self.ranges.append(_Range(self.handed, self.handed + size))
            self.handed += size
            self._submit(self.ranges[-1])

    def _size(self) -> int:
        if self.unit_runs is not None:
            size = self.unit_runs
        elif self.measured[0] == 0:
            size = 1
        else:
            runs, seconds = self.measured
            size = int(self.unit_seconds * runs / seconds) if seconds > 0 else self.total
            size = min(size, -(-(self.total - self.handed) // self.workers))  # the rest shared out evenly
        return max(1, min(size, self.total - self.handed))

    def _submit(self, rng: _Range) -> None:
        rng.carried = self._expected(rng)
        unit = SampleUnit(self.task, self.sampler.name, self.settings, rng.carried, rng.first, rng.last)
        rng.status, rng.result = RUNNING, None
        self.dispatch.submit(run_sample_unit, unit, rng)

    def _expected(self, rng: _Range) -> tuple:
        """What the runs before ``rng`` are expected to leave: what the
        applied ones left, with the held results before it added (exact
        when every range before it is applied)."""
        if not any(r.result is not None for r in self.ranges if r.first < rng.first):
            return self.sampler.carried()
        guess = copy.copy(self.sampler)
        for before in self.ranges:
            if before.first >= rng.first:
                break
            if before.result is not None and before.result.error is None:
                guess.absorb(before.result.tallies)
        return guess.carried()

    # -- collecting ----------------------------------------------------------------
    def _collect(self) -> None:
        """Wait for a unit to finish; keep its result until its turn."""
        for rng, result in self.dispatch.finished():
            self.measured[0] += result.stats.executions
            self.measured[1] += result.run_seconds
            rng.status, rng.result = HELD, result

    def _again(self, rng: _Range) -> None:
        rng.status, rng.result = PENDING, None
        self.summary.parallel.rerun += 1

    # -- applying, in run order ----------------------------------------------------------
    def _apply(self, rng: _Range) -> bool:
        """Apply the front range's result; True when the search ends."""
        result, stats = rng.result, self.summary.stats
        if self.summary.failure is None:
            self.failure_run = result.failure_run
        self.summary.add(result, ("executions", "transitions", "cut_executions", "looped", "discarded"))
        if result.stop is None and result.stats.executions != rng.last - rng.first:
            raise RuntimeError(f"internal error: runs {rng.first}..{rng.last - 1} came back with "
                               f"{result.stats.executions} executions")
        self.sampler.absorb(result.tallies)
        if self.progress is not None:
            self.progress(stats.executions, stats.transitions)
        if result.stop is not None:
            stats.stop = result.stop
            return True
        return False

    def witness_runs(self) -> list[int]:
        """The run that drew each outcome's witness, in ``Summary.outcomes`` order."""
        return [run for _, _, run in self.summary.tally.values()]


__all__ = ["ParallelSampler", "SampleResult", "SampleUnit", "run_sample_unit"]
