"""Searches that draw schedules at random: the shared loop, and the baseline.

A ``Sampler`` runs ``runs`` executions from scratch; in each, a
``Scheduler`` made for that run picks every step's choice.  Run ``i`` draws
from its own ``random.Random`` seeded with the text ``"{seed}:{i}"``
(``run_random``: seeded through SHA-512, the same in every process whatever
``PYTHONHASHSEED``), so a seed reproduces the whole search, and any range
of runs can be computed on its own -- the same runs in one process or split
over workers (``explore.parallel_sampling``).  What a run may depend on
besides that is what earlier runs left in the strategy (PCT: the longest
run so far), and a strategy says what it is (``carried``, ``resume``), and
what its coverage needs from runs (``tallies``, ``absorb``).
Its coverage is ``Scope.SAMPLED``: no verdict of "safe", but the number of
runs, the method and the seed, and -- for a strategy with a guarantee (PCT)
-- an upper bound on the probability that a bug of a given depth was missed.

``RandomWalk`` (``--strategy random``) picks uniformly among the enabled
choices at every step: the baseline the others are measured against.
A new sampling strategy is a subclass with its own ``Scheduler`` (see
``pct`` and ``pos``) plus a line in ``checker.explore.STRATEGIES``.
"""

from __future__ import annotations

import random
from abc import abstractmethod

from ..runtime.execution import Execution
from ..runtime.schedule import Choice
from ..runtime.trace import TraceEvent
from .coverage import Coverage, Scope, Unit
from .strategy import Budget, Limits, Option, Space, Stats, Strategy, Visit

RUNS = Option("runs", int, 1000, "sampling strategies: executions to draw")
SEED = Option("seed", int, 0, "sampling strategies: random seed; run i draws from a generator seeded with "
               "'SEED:i' (the same seed reproduces the same runs, in one process or on --jobs N)")


class Scheduler:
    """Picks the choices of one run.  ``pick`` gets the execution (for its
    state: ``ex.runs``, the trace so far) and the enabled choices, and
    returns one of them; ``ran`` is told what the chosen step did."""

    @abstractmethod
    def pick(self, ex: Execution, enabled: tuple[Choice, ...]) -> Choice:
        ...

    def ran(self, ex: Execution, event: TraceEvent) -> None:
        """After each step (its footprint is ``event.accesses``)."""


class Sampler(Strategy):
    """The loop every sampling strategy shares; subclasses give
    ``scheduler`` and may give ``miss_probability``."""

    options: tuple = (RUNS, SEED)

    def __init__(self, runs: int = RUNS.default, seed: int = SEED.default):
        if not isinstance(runs, int) or runs < 1:
            raise ValueError(f"runs must be a positive integer, got {runs!r}")
        self.runs, self.seed = runs, seed

    @abstractmethod
    def scheduler(self, rng: random.Random) -> Scheduler:
        """A fresh scheduler for one run."""

    def miss_probability(self, stats: Stats) -> float | None:
        """An upper bound on the probability that every run so far missed a
        bug this strategy guarantees to find (None: no guarantee)."""
        return None

    def run_random(self, run: int) -> random.Random:
        """The generator of run ``run`` (0-based): seeded with
        ``"{seed}:{run}"``, independent of every other run."""
        return random.Random(f"{self.seed}:{run}")

    def fresh(self) -> None:
        """Forget what the runs of an earlier search left (a new search)."""

    def carried(self) -> tuple:
        """What the next run's schedule depends on besides ``(seed, run)``:
        left by the runs before it (PCT: the longest run so far); ``()``
        when nothing.  Comparable with ``==`` and picklable."""
        return ()

    def resume(self, carried: tuple) -> None:
        """Start a range of runs where earlier runs left ``carried``
        (``tallies`` then count this range's runs only)."""
        self.fresh()

    def tallies(self) -> tuple:
        """What the coverage needs from the runs since ``resume`` (PCT: the
        estimates behind its bound); picklable."""
        return ()

    def absorb(self, tallies: tuple) -> None:
        """Add a range's ``tallies``, the ranges taken in run order."""

    def explore(self, space: Space, visit: Visit, limits: Limits) -> Stats:
        budget = self.start(visit, limits)
        self.fresh()
        self.sample(space, budget, limits, range(self.runs))
        return budget.stats

    def sample(self, space: Space, budget: Budget, limits: Limits, runs: range) -> int | None:
        """Runs ``runs`` (indices into this search's ``self.runs``), each
        reported to ``budget``; the index of the run after which the search
        stopped (the visitor or a limit said so), None when all ran."""
        stats = budget.stats
        for run in runs:
            ex = space.new()
            scheduler = self.scheduler(self.run_random(run))
            schedule: list[Choice] = []
            while not ex.done and not ex.looping and len(schedule) < limits.max_steps:
                choice = scheduler.pick(ex, ex.available())
                schedule.append(choice)
                scheduler.ran(ex, ex.step(choice))
            stats.transitions += len(schedule)
            if not budget.report(ex, tuple(schedule)):
                return run
            if run + 1 < self.runs and budget.spent():
                return run
        return None

    def coverage(self, stats: Stats) -> Coverage:
        return Coverage(Scope.SAMPLED, Unit.RUN, stats.kept, stats.complete, method=self.name, seed=self.seed,
                        depth=getattr(self, "depth", None), miss_probability=self.miss_probability(stats))


class _Uniform(Scheduler):
    def __init__(self, rng: random.Random):
        self.rng = rng

    def pick(self, ex: Execution, enabled: tuple[Choice, ...]) -> Choice:
        return enabled[self.rng.randrange(len(enabled))]


class RandomWalk(Sampler):
    """Uniformly random choice at every step (the baseline)."""

    name = "random"
    summary = "uniformly random schedules, the baseline (--runs, --seed)"

    def scheduler(self, rng: random.Random) -> Scheduler:
        return _Uniform(rng)
