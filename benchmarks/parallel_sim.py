"""Parallel DPOR on many workers, simulated: the speedup curve and where the
coordinator becomes the bottleneck.

    python benchmarks/parallel_sim.py                       # lastzero(10), 1 2 8 64 512 workers
    python benchmarks/parallel_sim.py --n 11 --workers 1 2 4 8 --task-ms 1

The real coordinator (``explore.parallel.ParallelDPOR``) drives the search;
the executor is simulated: each unit really runs, in this process, at the
moment it is submitted, and its processor time is its duration on a
simulated worker; the unit's result reaches the coordinator at its
simulated finish time (start when a worker is free, plus ``--task-ms`` per
task: Dask's cost is about 1 ms).  The coordinator's own work (applying a
result, choosing and packing the next units) is measured and advances the
simulated clock too: one coordinator, doing one thing at a time.  Both
are measured as processor time, so a busy machine does not stretch them.  So the
simulated wall time includes units run ahead and thrown away, short units,
and the coordinator's queue; "coordinator busy" near 100% means more
workers cannot help.  Pickling and transport are not simulated beyond
``--task-ms``.
"""

from __future__ import annotations

import argparse
import heapq
import sys
import time
from concurrent.futures import Executor, Future
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import checker.explore.dispatch as dispatch  # noqa: E402
import checker.explore.parallel as parallel  # noqa: E402
from checker.explore.strategy import Limits  # noqa: E402
from checker.explore.units import Task  # noqa: E402

MODEL = ROOT / "benchmarks" / "models" / "lastzero.py"


class SimulatedCluster(Executor):
    """``workers`` simulated workers and a simulated clock (see the module
    docstring); ``wait`` replaces ``concurrent.futures.wait`` in the
    coordinator while it runs."""

    def __init__(self, workers: int, task_seconds: float):
        self.free = [0.0] * workers  # when each worker is free again (a heap)
        self.task_seconds = task_seconds
        self.now = 0.0
        self.finish: dict[Future, float] = {}
        self.results: dict[Future, object] = {}
        self.inside = 0.0  # processor seconds spent running units since the coordinator last waited
        self.last = time.process_time()
        self.coordinator = 0.0

    def submit(self, fn, /, *args, **kwargs):
        started = time.process_time()
        result = fn(*args, **kwargs)
        self.inside += time.process_time() - started
        self._coordinate()
        start = max(self.now, heapq.heappop(self.free))
        end = start + result.cpu_seconds + self.task_seconds
        heapq.heappush(self.free, end)
        future: Future = Future()
        self.finish[future], self.results[future] = end, result
        return future

    def _coordinate(self) -> None:
        """The coordinator's work since it last waited moves the clock."""
        now = time.process_time()
        spent = now - self.last - self.inside
        self.now += spent
        self.coordinator += spent
        self.last, self.inside = now, 0.0

    def wait(self, futures, return_when=None):
        self._coordinate()
        pending = [f for f in futures if not f.done()]
        first = min(self.finish[f] for f in pending)
        self.now = max(self.now, first)
        done = set()
        for f in pending:
            if self.finish[f] <= self.now:
                f.set_result(self.results.pop(f))
                done.add(f)
        self.last = time.process_time()
        return done, set(futures) - done


def simulate(n: int, workers: int, task_seconds: float, unit_seconds: float):
    cluster = SimulatedCluster(workers, task_seconds)
    task = Task(str(MODEL), "lastzero", {"n": n}, "ideal", 1_000_000, 5.0, True, False)
    real_wait = dispatch.wait
    dispatch.wait = cluster.wait
    try:
        summary = parallel.ParallelDPOR(task, cluster, workers, Limits(), unit_seconds=unit_seconds).run()
    finally:
        dispatch.wait = real_wait
    cluster._coordinate()
    return summary, cluster.now, cluster.coordinator


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=10)
    p.add_argument("--workers", type=int, nargs="+", default=[1, 2, 8, 64, 512])
    p.add_argument("--task-ms", type=float, default=1.0)
    p.add_argument("--unit-seconds", type=float, default=0.25)
    args = p.parse_args()
    print("| workers | executions | simulated wall s | speedup | units | run again | work s | coordinator busy |")
    print("|---|---|---|---|---|---|---|---|")
    base = None
    for workers in args.workers:
        summary, wall, coordinator = simulate(args.n, workers, args.task_ms / 1000, args.unit_seconds)
        base = base or wall
        stats = summary.parallel
        print(f"| {workers} | {summary.stats.executions:,} | {wall:.2f} | {base / wall:.2f} | {stats.units} | "
              f"{stats.rerun} | {stats.cpu_seconds:.2f} | {coordinator / wall:.0%} |", flush=True)


if __name__ == "__main__":
    main()
