"""Units in flight on a ``concurrent.futures.Executor``, for the parallel
drivers (``parallel``: DPOR; ``parallel_sampling``).

Contract: ``submit(fn, unit, key)`` runs ``fn(unit)`` (``key``: the
driver's record of it); ``finished()`` waits for a unit to finish and
returns ``(key, result)`` for each unit found finished, once each, in no
set order ([] with none in flight).  ``fn`` returns a user's mistake in its
result; a future raises only ``BrokenExecutor``: a worker process died.
Then every unit not yet returned goes, unchanged, to a new executor from
``renew()`` (a driver applies a result only if its inputs are still right,
so a unit run again is judged like any), up to ``RENEWALS`` times per
search; past that, or without ``renew``, the error is raised (``check.jobs``
names the likely cause).  Dask runs a lost worker's task again by itself.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, Executor, Future, wait
from dataclasses import dataclass
from typing import Any

from ..errors import UsageError

RENEWALS = 3  # new executors after a broken one, per search


@dataclass
class ParallelStats:
    """Units applied, run again (their input changed, or their executor
    broke), submitted in all; wall and processor seconds inside them all."""

    units: int = 0
    rerun: int = 0
    submitted: int = 0
    unit_seconds: float = 0.0
    cpu_seconds: float = 0.0


class Dispatch:
    """At most ``workers`` units in flight (``free``: fewer); ``renewed``:
    executors replaced; ``stats``: counts submissions and seconds."""

    def __init__(self, executor: Executor, workers: int, renew: Callable[[], Executor] | None,
                 stats: ParallelStats):
        if workers < 1:
            raise UsageError(f"workers must be at least 1, got {workers!r}")
        self.executor, self.workers, self.renew, self.stats = executor, workers, renew, stats
        self.renewed = 0
        self.running: dict[Future, tuple[Any, Callable[[Any], Any], Any]] = {}

    @property
    def free(self) -> bool:
        return len(self.running) < self.workers

    def submit(self, fn: Callable[[Any], Any], unit: Any, key: Any) -> None:
        self.running[self.executor.submit(fn, unit)] = (key, fn, unit)
        self.stats.submitted += 1

    def finished(self) -> list[tuple[Any, Any]]:
        if not self.running:
            return []
        done, _ = wait(list(self.running), return_when=FIRST_COMPLETED)
        results = []
        for future in done:
            try:
                result = future.result()
            except BrokenExecutor:
                if self.renew is None or self.renewed >= RENEWALS:
                    raise
                self.renewed, self.executor = self.renewed + 1, self.renew()
                lost, self.running = list(self.running.values()), {}
                for key, fn, unit in lost:
                    self.submit(fn, unit, key)
                    self.stats.rerun += 1
                return results
            self.stats.unit_seconds += result.seconds
            self.stats.cpu_seconds += result.cpu_seconds
            results.append((self.running.pop(future)[0], result))
        return results

    def cancel(self) -> None:
        """Cancel what is in flight (the search ended, or Ctrl-C)."""
        for future in self.running:
            future.cancel()


__all__ = ["Dispatch", "ParallelStats", "RENEWALS"]
