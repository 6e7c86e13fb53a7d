"""How far is the engine from the limit?  Transitions/second of brute-force
exploration versus a bare loop that resumes the very same generators.

Workload: models/counter.py's ``increment`` threads (two threads, ``times``
increments each).  The bare loop runs every interleaving by hand, with no
checker at all: it replays each schedule by creating fresh generators over
a plain object and resuming them (``next``) in the schedule's order, so a
"transition" is one generator resume, exactly the unit the engine counts.
The engine rows run the same interleavings through ``check`` (brute force
and DPOR, every outcome tallied).

Run:  python benchmarks/engine_limit.py [--times 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from itertools import combinations
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker import check, load_model  # noqa: E402

MODEL = load_model(ROOT / "models" / "counter.py")


def _increment_fn():
    import importlib.util

    spec = importlib.util.spec_from_file_location("counter_model", ROOT / "models" / "counter.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.increment


def bare_loop(times: int, rounds: int) -> tuple[int, float]:
    """Every interleaving of the two threads' steps, by hand."""
    inc = _increment_fn()
    steps = times + 1  # resumes per thread: one per yield plus the final one
    schedules = []
    for picks in combinations(range(2 * steps), steps):
        chosen = set(picks)
        schedules.append([0 if i in chosen else 1 for i in range(2 * steps)])
    resumes = 0
    started = time.perf_counter()
    for _ in range(rounds):
        for schedule in schedules:
            counter = SimpleNamespace(value=0)
            gens = [inc(counter, times), inc(counter, times)]
            for t in schedule:
                try:
                    next(gens[t])
                except StopIteration:
                    pass
                resumes += 1
    return resumes, time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--times", type=int, default=3)
    args = ap.parse_args()
    print(f"counter, 2 threads x {args.times} increments; Python {sys.version.split()[0]}")
    print()
    print("| runner | executions | transitions | seconds | transitions/s | vs bare loop |")
    print("|---|---|---|---|---|---|")
    resumes, secs = bare_loop(args.times, rounds=200)
    bare_rate = resumes / secs
    n_sched = resumes // 200 // (2 * (args.times + 1))
    print(f"| bare generator loop (200 rounds) | {n_sched * 200:,} | {resumes:,} | {secs:.2f} | {bare_rate:,.0f} | 1x |")
    for strategy in ("dfs", "dpor"):
        r = check(MODEL.scenario("unlocked"), params={"times": args.times}, strategy=strategy, all_outcomes=True)
        rate = r.transitions / r.wall_time
        print(
            f"| check(strategy={strategy!r}) | {r.executions:,} | {r.transitions:,} | {r.wall_time:.2f} | "
            f"{rate:,.0f} | {bare_rate / rate:,.0f}x slower |"
        )


if __name__ == "__main__":
    main()
