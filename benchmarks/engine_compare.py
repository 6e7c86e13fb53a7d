"""Old engine versus new, side by side in one run: ms per execution.

The base revision's ``checker/`` package is exported (``git archive``) into a
temporary folder; every workload then runs alternately under the base and
under the working tree, each in a fresh subprocess, ``--rounds`` times, and
the best time of each is compared (the machine is shared and noisy: the
minimum is the least disturbed run).  The analysis columns are the time
spent in DPOR's race analysis and wakeup-tree insertion
(``OptimalDPOR._analyse``, timed by wrapping it), per execution.  Execution counts must agree between
old and new (a difference is printed as a failure).

Run:  python benchmarks/engine_compare.py [--base HEAD~3] [--rounds 2] [--quick]
      python benchmarks/engine_compare.py --only lastzero
Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (label, model file, scenario, params, strategy)
WORKLOADS = [
    ("lastzero(8) dpor", "benchmarks/models/lastzero.py", "lastzero", {"n": 8}, "dpor"),
    ("lastzero(10) dpor", "benchmarks/models/lastzero.py", "lastzero", {"n": 10}, "dpor"),
    ("lastzero(12) dpor", "benchmarks/models/lastzero.py", "lastzero", {"n": 12}, "dpor"),
    ("counter locked(6) dpor", "models/counter.py", "locked", {"times": 6}, "dpor"),
    ("counter unlocked(4) dfs", "models/counter.py", "unlocked", {"times": 4}, "dfs"),
    ("indexer(13) dpor", "benchmarks/models/indexer.py", "indexer", {"n": 13}, "dpor"),
    ("readers_writers(3) dpor", "benchmarks/models/readers_writers.py", "readers_writers", {"readers": 3}, "dpor"),
]
QUICK = {"lastzero(8) dpor", "counter locked(6) dpor", "counter unlocked(4) dfs"}

CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
from checker import check, load_model
from checker.explore import dpor
spent = [0.0]
analyse = dpor.OptimalDPOR._analyse
def timed(*args, **kwargs):
    t0 = time.perf_counter()
    try:
        return analyse(*args, **kwargs)
    finally:
        spent[0] += time.perf_counter() - t0
dpor.OptimalDPOR._analyse = timed
model, name, params, strategy = sys.argv[2], sys.argv[3], json.loads(sys.argv[4]), sys.argv[5]
sc = load_model(model).scenario(name)
t = time.perf_counter()
r = check(sc, params=params, strategy=strategy, all_outcomes=True)
dt = time.perf_counter() - t
print(json.dumps([r.executions, dt, len(r.outcomes), spent[0]]))
"""


def run(tree: Path, model: str, name: str, params: dict, strategy: str) -> tuple[int, float, int, float]:
    """(executions, seconds, outcomes, seconds in DPOR's race analysis) of one check in a fresh process."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(tree), str(ROOT / model), name, json.dumps(params), strategy],
        capture_output=True, text=True, env=env, cwd=tempfile.gettempdir(), check=True,
    ).stdout
    executions, seconds, outcomes, analysis = json.loads(out.strip().splitlines()[-1])
    return executions, seconds, outcomes, analysis


def export(rev: str, into: Path) -> None:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "checker"], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", default="4dd1cc6", help="git revision of the old engine")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", default=None, help="substring of the workload labels to run")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        export(args.base, base)
        print(f"old = {args.base}, new = working tree; best of {args.rounds} alternating runs each; "
              f"Python {sys.version.split()[0]}")
        print()
        print("| workload | executions | old ms/execution | new ms/execution | new/old "
              "| old analysis ms/execution | new analysis ms/execution |")
        print("|---|---|---|---|---|---|---|")
        for label, model, name, params, strategy in WORKLOADS:
            if args.quick and label not in QUICK or args.only and args.only not in label:
                continue
            old, new = [], []
            for _ in range(args.rounds):
                old.append(run(base, model, name, params, strategy))
                new.append(run(ROOT, model, name, params, strategy))
            (eo, _, oo, _), (en, _, on, _) = old[0], new[0]
            to, tn = min(r[1] for r in old), min(r[1] for r in new)
            ao, an = min(r[3] for r in old), min(r[3] for r in new)
            same = "" if (eo, oo) == (en, on) else f" MISMATCH old {eo}/{oo} new {en}/{on} (executions/outcomes)"
            print(f"| {label} | {en:,}{same} | {1000 * to / eo:.3f} | {1000 * tn / en:.3f} | {tn / to:.2f} "
                  f"| {1000 * ao / eo:.3f} | {1000 * an / en:.3f} |", flush=True)


if __name__ == "__main__":
    main()
