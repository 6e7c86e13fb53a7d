"""How fast linearizability checking is.

1. Deciding histories: every history of the racy and the locked counter
   with 3 threads x 3 operations that a capped exploration produces (real
   histories, not synthetic ones), each decided from scratch by
   ``linearize`` (no verdict cache), timed one by one.
2. The shipped linearizability models checked end to end (case
   enumeration and every interleaving), as ``python -m checker`` would.

Run:  python benchmarks/linearizability_bench.py [--executions 3000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker import check, load_model  # noqa: E402
lin = sys.modules["checker.program.linearizability"]  # the package's name `linearizability` is the decorator
from checker.program.linearize import linearize  # noqa: E402


def histories(impl, spec, executions):
    """The histories of the first full cases (3 threads x 3 operations,
    9 operations) as the exploration decides them, up to ``executions``."""
    from checker.program.scenario import make_scenario

    calls = lin._calls(impl, spec, "bench")
    full = [c for c in lin.cases(calls, 3, 3, 0, 0) if sum(map(len, c[1])) == 9 and len(c[1]) == 3]
    seen = []
    original = lin._decide

    def record(ops, spec, key_of=None):
        seen.append((list(ops), spec))
        return original(ops, spec, key_of)

    lin._decide = record
    try:
        for case in full[::max(1, len(full) // 8)]:
            def body(case=case):
                yield from lin._run_case(impl, spec, case)

            sc = make_scenario(body, expect="safe", name="full_case", timing="ideal")
            check(sc, all_outcomes=True, strategy="dpor", max_executions=executions // 8)
    finally:
        lin._decide = original
    return seen


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--executions", type=int, default=3000)
    args = ap.parse_args()
    model = load_model(ROOT / "models" / "linearizable_counter.py")
    print("| implementation | histories (3 threads x 3 ops) | mean | median | max | not linearizable |")
    print("|---|---|---|---|---|---|")
    for name in ("RacyCounter", "LockedCounter"):
        sc = model.scenario(name)
        big = histories(sc.extra["linearizability"], sc.extra["spec"], args.executions)
        assert big and all(len(ops) == 9 for ops, _ in big)
        times, bad = [], 0
        for ops, spec in big:
            started = time.perf_counter()
            verdict = linearize(ops, spec)
            times.append(time.perf_counter() - started)
            bad += not verdict.linearizable
        print(f"| {name} | {len(big)} | {statistics.mean(times) * 1e6:.0f} µs | "
              f"{statistics.median(times) * 1e6:.0f} µs | {max(times) * 1e6:.0f} µs | {bad} |")
    print()
    print("| model | scenario | verdict | executions | seconds |")
    print("|---|---|---|---|---|")
    for path in sorted((ROOT / "models").glob("linearizable_*.py")):
        for sc in load_model(path).scenarios:
            r = check(sc)
            print(f"| {path.name} | {sc.name} | {r.verdict} | {r.executions} | {r.wall_time:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
