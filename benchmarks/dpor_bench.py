"""Brute force (dfs) versus optimal DPOR (and state caching) on the classic
DPOR benchmarks (benchmarks/models/) and the tutorial's counter.

For each model and size: executions, transitions, wall time,
transitions/second and peak memory (resident set size of a fresh process
running that one check, so the numbers include the interpreter, ~20 MB).
Brute force is capped (--cap executions); a capped row says so.

Run:  python benchmarks/dpor_bench.py [--cap 50000] [--quick]
Prints a Markdown table.  Timings are wall-clock on this machine.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CASES = [
    # (file, scenario, param name, brute-force sizes, DPOR-only sizes)
    ("models/counter.py", "unlocked", "times", [1, 2, 3], [4]),
    ("models/counter.py", "locked", "times", [1, 2, 3], [4, 5]),
    ("benchmarks/models/lastzero.py", "lastzero", "n", [2, 3, 4], [5, 8, 10]),
    ("benchmarks/models/indexer.py", "indexer", "n", [2, 3], [11, 12, 13, 14]),
    ("benchmarks/models/filesystem.py", "filesystem", "n", [2, 3], [14, 16, 18]),
    ("benchmarks/models/readers_writers.py", "readers", "n", [2, 3, 4], [6, 8]),
    ("benchmarks/models/readers_writers.py", "readers_writers", "readers", [1, 2], [3, 4]),
    ("benchmarks/models/philosophers.py", "philosophers", "n", [2, 3], [4, 5]),
    ("benchmarks/models/philosophers.py", "ordered_philosophers", "n", [2, 3], [4, 5]),
]
QUICK = {"lastzero": [2, 3], "indexer": [2, 12], "filesystem": [2, 14]}


def _measure(path: str, name: str, params: dict, strategy: str, cap: int | None, out) -> None:
    sys.path.insert(0, str(ROOT))
    from checker import check, load_model

    sc = load_model(ROOT / path).scenario(name)
    r = check(sc, params=params, strategy=strategy, all_outcomes=True, max_executions=cap)
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out.put((r.executions, r.transitions, r.wall_time, r.complete, rss_kb, len(r.outcomes)))


def measure(path, name, params, strategy, cap):
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=_measure, args=(path, name, params, strategy, cap, q))
    p.start()
    result = q.get()
    p.join()
    return result


def row(label, strategy, m):
    executions, transitions, secs, complete, rss_kb, outcomes = m
    secs = max(secs, 1e-9)
    execs = f"{executions:,}" if complete else f">{executions:,} (capped)"
    return (
        f"| {label} | {strategy} | {execs} | {transitions:,} | {secs:.2f} | {transitions / secs:,.0f} | "
        f"{rss_kb / 1024:.0f} | {outcomes} |"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cap", type=int, default=50_000, help="max brute-force executions per row")
    ap.add_argument("--quick", action="store_true", help="small sizes only")
    args = ap.parse_args()
    print(f"Python {sys.version.split()[0]}; brute force capped at {args.cap:,} executions")
    print()
    print("| model (size) | strategy | executions | transitions | seconds | transitions/s | peak RSS MB | outcomes |")
    print("|---|---|---|---|---|---|---|---|")
    for path, name, param, brute_sizes, dpor_sizes in CASES:
        sizes = brute_sizes + ([] if args.quick else dpor_sizes)
        if args.quick and name in QUICK:
            sizes = QUICK[name]
        for size in sizes:
            label = f"{name}({param}={size})"
            strategies = ["dfs", "dpor"] if size in brute_sizes else ["dpor"]
            for strategy in strategies:
                m = measure(path, name, {param: size}, strategy, args.cap if strategy == "dfs" else None)
                print(row(label, strategy, m), flush=True)


if __name__ == "__main__":
    main()
