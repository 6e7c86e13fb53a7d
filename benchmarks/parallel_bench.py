"""Parallel DPOR against one process: wall time and counts.

    python benchmarks/parallel_bench.py                 # lastzero(12), --jobs 1 vs 2, 1 round
    python benchmarks/parallel_bench.py --n 10 --rounds 3 --jobs 1 2 --split deep shallow --ahead 1 2

For each setting: executions (must be the same for every setting), wall
seconds (the best of ``--rounds``), the speedup over one process, units
applied, units run again (ran ahead on a subtree an earlier unit then
extended), and the seconds spent inside units (all workers together: the
work done, re-runs and replayed prefixes included).  The load average is
printed first: on a shared machine, other processes take cores away from
the workers.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker import check, load_model  # noqa: E402
from checker.explore.parallel import ParallelDPOR  # noqa: E402
from checker.explore.strategy import Limits  # noqa: E402
from checker.explore.units import Task  # noqa: E402

MODEL = ROOT / "benchmarks" / "models" / "lastzero.py"


def sequential(n: int) -> tuple[int, float]:
    sc = load_model(MODEL).scenario("lastzero")
    started = time.perf_counter()
    result = check(sc, params={"n": n}, strategy="dpor", all_outcomes=True)
    return result.executions, time.perf_counter() - started


def parallel(n: int, jobs: int, split: str, unit_seconds: float, ahead: int) -> tuple[int, float, object]:
    task = Task(str(MODEL), "lastzero", {"n": n}, "ideal", 1_000_000, 5.0, True, False)
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs) as pool:  # started inside the timing, as check(jobs=N) does
        summary = ParallelDPOR(task, pool, jobs * ahead, Limits(), unit_seconds=unit_seconds, split=split).run()
    return summary.stats.executions, time.perf_counter() - started, summary.parallel


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=12)
    p.add_argument("--jobs", type=int, nargs="+", default=[2])
    p.add_argument("--split", nargs="+", default=["deep"])
    p.add_argument("--unit-seconds", type=float, default=0.25)
    p.add_argument("--rounds", type=int, default=1)
    p.add_argument("--ahead", type=int, nargs="+", default=[1],
                   help="units in flight per process (more: less idle time, more units run ahead)")
    args = p.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    best = min((sequential(args.n) for _ in range(args.rounds)), key=lambda r: r[1])
    print("| setting | executions | wall s | speedup | units | run again | seconds in units | cpu seconds in units |")
    print("|---|---|---|---|---|---|---|---|")
    print(f"| lastzero({args.n}) one process | {best[0]:,} | {best[1]:.2f} | 1.00 | - | - | - | - |")
    for jobs in args.jobs:
        for split in args.split:
            for ahead in args.ahead:
                runs = [parallel(args.n, jobs, split, args.unit_seconds, ahead) for _ in range(args.rounds)]
                executions, wall, stats = min(runs, key=lambda r: r[1])
                assert executions == best[0], (executions, best[0])
                print(f"| lastzero({args.n}) jobs={jobs} split={split} ahead={ahead} | {executions:,} | {wall:.2f} | "
                      f"{best[1] / wall:.2f} | {stats.units} | {stats.rerun} | {stats.unit_seconds:.2f} | "
                      f"{stats.cpu_seconds:.2f} |")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
