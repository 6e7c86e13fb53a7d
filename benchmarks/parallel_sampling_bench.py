"""Parallel sampling against one process: wall time, and the same results.

    python benchmarks/parallel_sampling_bench.py                  # peterson, 3000 runs, --jobs 1 vs 2, 1 round
    python benchmarks/parallel_sampling_bench.py --runs 10000 --rounds 3 --jobs 1 2 --strategies pos

For each strategy (``random``, ``pct`` depth 3, ``pos``; seed 1) and each
``--jobs``: ``check(..., all_outcomes=True, jobs=N)`` on the Peterson model
of ``benchmarks/models/bugs/`` (a process pool started inside the timing,
as ``check`` does), the wall seconds (best of ``--rounds``) and the speedup
over ``--jobs 1``.  Every result is compared with the one-process result
(executions, outcomes with counts and witnesses, coverage); a difference
stops the benchmark.  The load average is printed first: on a shared
machine, other processes take cores away from the workers.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker import check, load_model  # noqa: E402
from checker.explore import STRATEGIES  # noqa: E402

MODEL = ROOT / "benchmarks" / "models" / "bugs" / "peterson.py"
SETTINGS = {"random": {}, "pct": {"depth": 3}, "pos": {}}


def view(result) -> tuple:
    return (result.executions, result.transitions, result.coverage,
            [(o.outcome, o.count, o.witness) for o in result.outcomes])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=3000)
    p.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    p.add_argument("--strategies", nargs="+", default=list(SETTINGS), choices=list(SETTINGS))
    p.add_argument("--rounds", type=int, default=1)
    args = p.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    sc = load_model(MODEL).scenario("peterson")
    print("| strategy | jobs | runs | outcomes | wall s | speedup |")
    print("|---|---|---|---|---|---|")
    for name in args.strategies:
        reference, first = None, None
        for jobs in args.jobs:
            best = float("inf")
            for _ in range(args.rounds):
                strategy = STRATEGIES[name](runs=args.runs, seed=1, **SETTINGS[name])
                started = time.perf_counter()
                result = check(sc, strategy=strategy, all_outcomes=True, jobs=jobs, minimize=False)
                best = min(best, time.perf_counter() - started)
                if reference is None:
                    reference = view(result)
                elif view(result) != reference:
                    raise SystemExit(f"{strategy.describe()} on {jobs} processes differs from the first setting")
            first = first or best
            print(f"| {strategy.describe()} | {jobs} | {result.executions:,} | {len(result.outcomes)} | {best:.2f} "
                  f"| {first / best:.2f} |")


if __name__ == "__main__":
    main()
