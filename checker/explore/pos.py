"""Partial-order sampling (Yuan, Yang, Gu, "Partial Order Aware Concurrency
Sampling", CAV 2018), adapted to steps whose footprint is known only after
they run.

The paper's POS gives every pending event a random priority, runs the
enabled event with the highest one, and after running event ``e`` re-draws
the priorities of the pending events that race with ``e`` (so that the
order of two racing events is re-sampled, while independent events keep
theirs).  Sampling this way spreads runs over partial orders (Mazurkiewicz
traces) far more evenly than a uniform random walk, which over-samples
traces with many equivalent interleavings.

What we cannot do literally: a thread's next step here is arbitrary Python
code up to its next ``yield``, so its footprint is known only once it has
run (the strategy never looks inside operations or model state, see
``checker.program.operation``).  ``POS`` (``--strategy pos --runs N --seed S``)
therefore keeps one priority per thread -- the priority of its pending
step -- and *predicts* whether a pending step races with the step ``e`` just
run:

* the thread that ran ``e`` has a new pending step: new priority;
* a thread that ``e`` enabled (it could not run before ``e`` and can now;
  ``e`` wrote what its blocked operation waits on, a race in DPOR's sense):
  new priority;
* any other thread whose *most recent step* touched a location ``e``
  touched (same object and field, read or write): new priority.  The last
  step is the predictor of the next one; we ignore read/write kinds because
  a thread's next step often writes what its last one read (``value =
  c.value; yield; c.value = value + 1``), so a read-read overlap is taken as
  a likely race.  A thread that has not run yet predicts nothing.

Every other thread keeps its priority.  Priorities are uniform draws in
``[0, 1)``, taken when a thread is first offered.  ``choose`` alternatives
of the chosen thread are picked uniformly.  The clock (``TICK``, any-delay
timing) is a pseudo-thread like the others; its steps write the clock, so
threads waiting with a timeout (which read it) race with it.

Known limits of the adaptation: a prediction can be wrong both ways (a
thread whose next step touches new locations keeps its priority; one
whose next step leaves the shared location re-draws needlessly), so the
paper's analysis of how evenly partial orders are sampled does not carry
over, and no probability bound is claimed (``miss_probability`` is None).
A run is still an ordinary schedule: replayable and exact.
"""

from __future__ import annotations

import random

from ..runtime.execution import Execution
from ..runtime.schedule import Choice
from ..runtime.trace import TraceEvent
from .sampling import RUNS, SEED, Sampler, Scheduler


class POS(Sampler):
    """See the module docstring."""

    name = "pos"
    summary = "partial-order sampling: priorities re-drawn for racing steps (--runs, --seed)"
    options = (RUNS, SEED)

    def scheduler(self, rng: random.Random) -> Scheduler:
        return _RacePriorities(rng)


class _RacePriorities(Scheduler):
    """One POS run: a priority per thread (``-1``: the clock) and the
    locations each thread's last step touched."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.priority: dict[int, float] = {}
        self.touched: dict[int, frozenset[tuple[int, str]]] = {}
        self.offered: frozenset[int] = frozenset()  # threads enabled before the step just run

    def pick(self, ex: Execution, enabled: tuple[Choice, ...]) -> Choice:
        priority, rng = self.priority, self.rng
        best, top = None, -1.0
        for thread, _ in enabled:
            p = priority.get(thread)
            if p is None:
                p = priority[thread] = rng.random()
            if p > top:
                best, top = thread, p
        self.offered = frozenset(thread for thread, _ in enabled)
        mine = [c for c in enabled if c[0] == best]
        return mine[0] if len(mine) == 1 else mine[rng.randrange(len(mine))]

    def ran(self, ex: Execution, event: TraceEvent) -> None:
        ran = event.thread
        locations = frozenset((a.obj, a.field) for a in event.accesses)
        self.touched[ran] = locations
        now = frozenset(thread for thread, _ in ex.available())
        priority, rng = self.priority, self.rng
        for thread in sorted(priority):
            if thread == ran:
                priority[thread] = rng.random()
            elif thread not in now:
                continue  # blocked or finished: redrawn if and when a step enables it
            elif thread not in self.offered or not locations.isdisjoint(self.touched.get(thread, ())):
                priority[thread] = rng.random()
