"""Probabilistic concurrency testing: random priorities with ``depth - 1``
priority change points (Burckhardt, Kothari, Musuvathi, Nagarakatte, "A
Randomized Scheduler with Probabilistic Guarantees of Finding Bugs",
ASPLOS 2010).

One run of ``PCT`` (``--strategy pct --depth d --runs N --seed S``):

* every thread gets a random priority when it is first offered (threads
  started during the run included): a uniform draw in ``[d, d + 1)``, so it
  lands at a uniformly random rank among the priorities drawn so far and
  above every lowered one;
* ``d - 1`` change points are drawn uniformly, without repetition, among the
  steps ``1..k`` (``k``: see below); the ``i``-th drawn one gets level ``i``;
* at every step the enabled thread with the highest priority runs; when the
  step numbered by a change point of level ``i`` has run, the thread that ran
  it drops to priority ``i`` -- below every initial priority (all ``>= d``),
  as in the paper;
* alternatives of one ``choose`` are picked uniformly (data, not
  scheduling: the paper's guarantee does not cover them, see below);
* the clock (``TICK``) is a pseudo-thread with a priority of its own, drawn
  like a thread's when the clock is first offered.  In ideal timing it is
  offered only when no thread can run, so its priority never matters; in
  any-delay timing a timeout firing early is then one more ordering of
  pseudo-thread against thread, which is what PCT samples.  (Not the
  lowest priority: that would never fire a timeout early without a change
  point, making such bugs one depth deeper than they are.)

Estimating ``k``.  The paper needs ``k``, the number of steps of a run, in
advance.  Run 1 of a search has no estimate: it runs with random priorities
and no change point (a PCT run of depth 1) and measures it; from run 2 on,
``k`` is the longest run seen so far (steps counted as every transition,
ticks included), updated as runs go.  A run longer than the estimate has
its tail past ``k`` free of change points.  So run ``i`` depends on the runs
before it through ``k`` alone (``carried``): a parallel search
(``explore.parallel_sampling``) starts a range of runs from the ``k`` it
expects there and runs the range again if the runs before it leave another.

Guarantee (``miss_probability``).  The paper shows that one run finds a
given bug of depth ``d`` (one needing ``d`` ordering constraints between
steps) with probability at least ``p = 1 / (n * k ** (d - 1))`` for ``n``
threads and ``k`` steps; runs are independent, so all ``N`` PCT runs miss
it with probability at most ``(1 - p) ** N``.  We report that value with
``n`` = the most threads (plus the clock when it was offered alongside a
thread) and ``k`` = the longest run seen in this search, and ``N`` = the
runs whose change points were drawn (all but the first for ``d > 1``; all
of them for ``d = 1``, which has none).  It is a bound *with
estimated parameters*, not a proof: it holds if no run has more than ``n``
threads and, in every run, the steps the bug needs lie within the ``k``
estimated when that run's change points were drawn (the estimate only
grows, so early runs are the ones at risk) -- which the runs drawn suggest
but do not prove.  A model
that made a ``choose`` with more than one enabled alternative gets no
bound (None): the bug could also need particular data choices, which PCT
does not sample with a known probability.
"""

from __future__ import annotations

import random

from ..runtime.execution import Execution
from ..runtime.schedule import TICK, Choice
from ..runtime.trace import TraceEvent
from .sampling import RUNS, SEED, Sampler, Scheduler
from .strategy import Option, Stats

DEPTH = Option("depth", int, 3, "pct: bug depth to target (d - 1 priority change points per run)")


class PCT(Sampler):
    """See the module docstring."""

    name = "pct"
    summary = "random priorities, depth - 1 change points, a bound on missing a bug (--depth, --runs, --seed)"
    options = (RUNS, SEED, DEPTH)

    def __init__(self, runs: int = RUNS.default, seed: int = SEED.default, depth: int = DEPTH.default):
        super().__init__(runs, seed)
        if isinstance(depth, bool) or not isinstance(depth, int) or depth < 1:
            raise ValueError(f"depth must be a positive integer, got {depth!r}")
        self.depth = depth
        self.fresh()

    def fresh(self) -> None:
        self.longest = 0  # k: the most steps one run of this search took
        self.threads = 0  # n: the most threads (and the contested clock) one run had
        self.pct_runs = 0  # runs with their d - 1 change points drawn (N of the bound)
        self.branching = False  # a choose() offered more than one alternative

    def carried(self) -> tuple:
        return (self.longest,)  # k: where the next run's change points are drawn

    def resume(self, carried: tuple) -> None:
        self.fresh()
        (self.longest,) = carried

    def tallies(self) -> tuple:
        return self.longest, self.threads, self.pct_runs, self.branching

    def absorb(self, tallies: tuple) -> None:
        longest, threads, pct_runs, branching = tallies
        self.longest, self.threads = max(self.longest, longest), max(self.threads, threads)
        self.pct_runs += pct_runs
        self.branching = self.branching or branching

    def scheduler(self, rng: random.Random) -> Scheduler:
        if self.depth == 1 or self.longest > 0:
            self.pct_runs += 1
        return _Priorities(self, rng)

    def miss_probability(self, stats: Stats) -> float | None:
        """``(1 - 1/(n k^(d-1))) ** N`` with the estimated ``n``, ``k`` (see
        the module docstring); 1.0 before any PCT run; None with ``choose``."""
        if self.branching:
            return None
        if self.pct_runs == 0:
            return 1.0
        p = 1 / (self.threads * self.longest ** (self.depth - 1))
        return (1 - p) ** self.pct_runs

    def bound_parameters(self) -> tuple[int, int, int]:
        """``(n, k, N)`` behind ``miss_probability``: threads, steps, PCT runs."""
        return self.threads, self.longest, self.pct_runs


class _Priorities(Scheduler):
    """One PCT run: priorities by thread index (``-1``: the clock); records
    the run's length and threads for the estimates."""

    def __init__(self, owner: PCT, rng: random.Random):
        self.owner, self.rng = owner, rng
        d, k = owner.depth, owner.longest  # k = 0: the first run, no change point
        self.initial = d  # initial priorities are drawn in [d, d + 1)
        points = rng.sample(range(1, k + 1), min(d - 1, k))
        self.change = {step: level for level, step in enumerate(points, start=1)}
        self.priority: dict[int, float] = {}
        self.steps = 0
        self.clock_contested = False

    def pick(self, ex: Execution, enabled: tuple[Choice, ...]) -> Choice:
        if TICK in enabled and len(enabled) > 1:
            self.clock_contested = True
        if len({thread for thread, _ in enabled}) < len(enabled):
            self.owner.branching = True  # a choose() offers alternatives
        priority = self.priority
        best, top = None, -1.0
        for thread, _ in enabled:
            p = priority.get(thread)
            if p is None:
                p = priority[thread] = self.initial + self.rng.random()
            if p > top:
                best, top = thread, p
        mine = [c for c in enabled if c[0] == best]
        return mine[0] if len(mine) == 1 else mine[self.rng.randrange(len(mine))]  # choose(): uniformly

    def ran(self, ex: Execution, event: TraceEvent) -> None:
        self.steps += 1
        owner = self.owner
        owner.longest = max(owner.longest, self.steps)
        owner.threads = max(owner.threads, len(ex.runs) + self.clock_contested)
        level = self.change.get(self.steps)
        if level is not None:
            self.priority[event.thread] = float(level)
