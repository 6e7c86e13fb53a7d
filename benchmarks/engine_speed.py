"""Brute-force exploration speed: executions/second and transitions/second.

Workloads (issue 2):
* models/counter.py, ``unlocked`` and ``locked``, times = 1..4, exploring
  every execution (``all_outcomes``), capped at ``--cap`` executions;
* a two-thread program of N independent steps per thread (comb(2N, N)
  executions).

Run:  python benchmarks/engine_speed.py [--cap 20000] [--strategy dfs]
Prints a Markdown table.  Timings are wall-clock on this machine; compare
rows, not machines.
"""

from __future__ import annotations

import argparse
import sys
from math import comb
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker import Shared, Thread, check, load_model  # noqa: E402
from checker.program.scenario import make_scenario  # noqa: E402


def independent_steps(n: int):
    def steps(obj, name):
        for i in range(n):
            setattr(obj, name, i)
            if i < n - 1:
                yield
        return
        yield

    def two_threads():
        x = Shared(a=0, b=0)
        Thread(target=steps, args=(x, "a")).start()
        Thread(target=steps, args=(x, "b")).start()

    return make_scenario(two_threads, expect="safe", name=f"independent_{n}", timing="ideal")


def row(label, result, expected=None):
    secs = max(result.wall_time, 1e-9)
    complete = "yes" if result.complete else f"no ({result.limit_hit})"
    extra = f" (expected {expected})" if expected is not None else ""
    return (
        f"| {label} | {result.executions}{extra} | {result.transitions} | {secs:.2f} | "
        f"{result.executions / secs:,.0f} | {result.transitions / secs:,.0f} | {complete} |"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cap", type=int, default=20_000, help="max executions per workload")
    ap.add_argument("--strategy", default="dfs")
    ap.add_argument("--max-n", type=int, default=7, help="largest N for the independent-steps program")
    args = ap.parse_args()
    print(f"strategy {args.strategy}, cap {args.cap} executions, Python {sys.version.split()[0]}")
    print()
    print("| workload | executions | transitions | seconds | executions/s | transitions/s | complete |")
    print("|---|---|---|---|---|---|---|")
    model = load_model(ROOT / "models" / "counter.py")
    for variant in ("unlocked", "locked"):
        for times in range(1, 5):
            r = check(model.scenario(variant), params={"times": times}, all_outcomes=True,
                      strategy=args.strategy, max_executions=args.cap)
            print(row(f"counter {variant} times={times}", r), flush=True)
    for n in range(2, args.max_n + 1):
        r = check(independent_steps(n), all_outcomes=True, strategy=args.strategy, max_executions=args.cap)
        print(row(f"2 threads x {n} independent steps", r, comb(2 * n, n) if args.strategy == "dfs" else None),
              flush=True)


if __name__ == "__main__":
    main()
