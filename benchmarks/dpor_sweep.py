"""Differential sweep: DPOR and state caching against brute force on many
generated programs (the CI test runs a few hundred; this runs thousands).

Four families of programs (never blocking; blocking; with semaphores,
conditions, queues, daemons and invariants; and the visibility family of
class-level defaults, absent attributes, SharedDict, threads spawned by
threads, objects created in threads, idents and every other primitive).
For each program (tests/programs.py) and timing mode: the outcome sets must
be equal, the reduced strategy must not run more executions than brute
force, and on programs that never block DPOR must run exactly one execution
per Mazurkiewicz trace.  Programs whose brute force exceeds --cap
executions are skipped (and counted).

Run:  python benchmarks/dpor_sweep.py [--programs 2000] [--seed 1] [--strategy dpor]
Prints one line per failure and a summary; exit status 1 on any failure.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from hypothesis import HealthCheck, given, seed, settings, strategies as st  # noqa: E402

from differential import compare, mazurkiewicz_classes  # noqa: E402
from programs import build, programs  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--programs", type=int, default=2000, help="programs per family")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cap", type=int, default=3000, help="skip programs whose brute force needs more executions")
    ap.add_argument("--strategy", default="dpor", choices=["dpor", "cached"])
    args = ap.parse_args()
    tally = {"compared": 0, "skipped": 0, "failures": 0, "optimality_checked": 0, "dfs_executions": 0, "executions": 0}
    families = [("plain (never blocks)", dict(blocking=False)), ("blocking", dict(blocking=True)),
                ("blocking + semaphore/condition/queue/daemons/invariant", dict(blocking=True, extras=True)),
                ("visibility: class defaults, absent attributes, SharedDict, spawned threads, every primitive",
                 dict(blocking=True, extras=True, more=True))]
    started = time.perf_counter()
    current = {"plain": False}
    for label, kwargs in families:
        family_start = dict(tally)
        current["plain"] = not kwargs.get("blocking", True)

        @seed(args.seed)
        @settings(max_examples=args.programs, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(programs(**kwargs), st.sampled_from(["ideal", "any-delay"]))
        def one(program, timing):
            sc = build(program, timing)
            c = compare(sc, timing, args.strategy, cap=args.cap)
            if c is None:
                tally["skipped"] += 1
                return
            tally["compared"] += 1
            tally["dfs_executions"] += c.dfs_executions
            tally["executions"] += c.executions
            problem = ""
            if c.missing or c.extra or c.executions > c.dfs_executions:
                problem = f"outcomes missing {c.missing} extra {c.extra}, executions {c.executions}/{c.dfs_executions}"
            elif args.strategy == "dpor" and current["plain"]:
                tally["optimality_checked"] += 1
                k = mazurkiewicz_classes(sc, timing, cap=args.cap)
                if k is not None and k != c.executions:
                    problem = f"{c.executions} executions for {k} Mazurkiewicz traces"
            if problem:
                tally["failures"] += 1
                print(f"FAIL {timing} {program}: {problem}", flush=True)

        one()
        done = {k: tally[k] - family_start[k] for k in tally}
        print(f"{label}: {done}", flush=True)
    secs = time.perf_counter() - started
    print(f"total ({args.strategy}): {tally} in {secs:.0f}s")
    return 1 if tally["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
