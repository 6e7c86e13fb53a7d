"""Parallel DPOR's size estimate against one process's, along the search.

    python benchmarks/parallel_estimate.py                  # lastzero(10), --jobs 2
    python benchmarks/parallel_estimate.py --n 11 --jobs 2 4

One process: the estimate after every run (``explore.estimate``).  In
parallel (``check(jobs=N)``: a process pool, units of about 0.25 s): the
estimate after each unit applied, as ``check(on_estimate=...)`` receives
it.  Printed, at 10, 25, 50, 75 and 90% of the search: the estimate one
process made after that many executions, and the parallel one at the first
unit applied from there on (with its executions); then how many estimates
each made, and how many of the parallel ones are estimates one process
made (all of them: a unit's estimate is the sequential one after the same
run, ``explore.parallel``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker import check, load_model  # noqa: E402
from checker.check.checking import ScenarioSpace  # noqa: E402
from checker.explore import OptimalDPOR  # noqa: E402
from checker.explore.estimate import Estimate, Estimator  # noqa: E402
from checker.explore.strategy import Limits  # noqa: E402

MODEL = ROOT / "benchmarks" / "models" / "lastzero.py"
MARKS = (0.10, 0.25, 0.50, 0.75, 0.90)


def sequential(n: int) -> tuple[list[Estimate], float]:
    """Every estimate one process makes (one a run), and the seconds it took."""
    sc = load_model(MODEL).scenario("lastzero")
    made, estimate = [], Estimator.estimate

    def recording(self: Estimator, pending: list[int]) -> Estimate:
        made.append(estimate(self, pending))
        return made[-1]

    Estimator.estimate = recording
    try:
        started = time.perf_counter()
        OptimalDPOR().explore(ScenarioSpace(sc, sc.bind({"n": n}), "ideal"), lambda ex, s: None, Limits())
        return made, time.perf_counter() - started
    finally:
        Estimator.estimate = estimate


def parallel(n: int, jobs: int) -> tuple[list[Estimate], float]:
    sc = load_model(MODEL).scenario("lastzero")
    made: list[Estimate] = []
    started = time.perf_counter()
    check(sc, params={"n": n}, strategy="dpor", all_outcomes=True, jobs=jobs, on_estimate=made.append)
    return made, time.perf_counter() - started


def at(estimates: list[Estimate], executions: int) -> Estimate:
    """The first estimate made after ``executions`` executions or more."""
    return next(e for e in estimates if e.done >= executions)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=10)
    p.add_argument("--jobs", type=int, nargs="+", default=[2])
    args = p.parse_args()
    one, seconds = sequential(args.n)
    total = one[-1].done
    runs = {"one process": (one, seconds)}
    for jobs in args.jobs:
        runs[f"--jobs {jobs}"] = parallel(args.n, jobs)
    print(f"lastzero({args.n}), {total:,} executions; the estimate at each point of the search")
    print("| done | " + " | ".join(runs) + " |")
    print("|---" * (len(runs) + 1) + "|")
    for mark in MARKS:
        cells = [f"{at(made, round(mark * total)).executions:,.0f} (at {at(made, round(mark * total)).done:,})"
                 for made, _ in runs.values()]
        print(f"| {mark:.0%} ({round(mark * total):,}) | " + " | ".join(cells) + " |")
    known = set(one)
    for name, (made, took) in runs.items():
        same = sum(e in known for e in made)
        print(f"{name}: {len(made):,} estimates in {took:.2f} s, {same:,} of them made by one process too")


if __name__ == "__main__":
    main()
