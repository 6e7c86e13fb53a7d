"""Long bounded loops: the tutorial's counter ported as written (2 threads x
N unlocked increments), old engine versus new, side by side in one run.

Each row is one ``check()`` in a fresh process: the time to the verdict,
the peak resident memory, and what was found.  "defaults" runs exactly what
``python -m checker models/counter.py --param times=N`` runs (the new
engine tells the long loop from a cycle and finds the lost update with
DPOR); "dpor, max_steps=10^7" gives both engines the same explicit settings
so their speed per step can be compared (the old default of max_steps=10,000
made ``auto`` switch to state caching, which gives no verdict in minutes).

Run:  python benchmarks/long_loop.py [--base 99aeb6f] [--times 20000 200000]
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from engine_compare import export  # the same export of an old tree

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from checker import check, load_model
settings = json.loads(sys.argv[3])
sc = load_model(sys.argv[2]).scenario("unlocked")
t = time.perf_counter()
r = check(sc, params={"times": int(sys.argv[4])}, memory=False, **settings)
dt = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(json.dumps([r.verdict, r.strategy, r.executions, r.transitions, dt, rss]))
"""

SETTINGS = [("defaults", {}), ("dpor, max_steps=10^7", {"strategy": "dpor", "max_steps": 10**7})]


def run(tree: Path, settings: dict, times: int, timeout: float) -> list | None:
    env = dict(os.environ, PYTHONPATH=str(tree))
    try:
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(tree), str(ROOT / "models" / "counter.py"), json.dumps(settings),
             str(times)], capture_output=True, text=True, env=env, cwd=tempfile.gettempdir(), timeout=timeout,
            check=True).stdout
    except subprocess.TimeoutExpired:
        return None
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", default="99aeb6f", help="git revision of the old engine")
    ap.add_argument("--times", type=int, nargs="+", default=[20_000, 200_000])
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds before a run counts as no verdict")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        export(args.base, base)
        print(f"old = {args.base}, new = working tree; one run each, alternating; Python {sys.version.split()[0]}")
        print()
        print("| times | settings | engine | verdict | strategy | executions | steps | seconds | us/step | peak MB |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for times in args.times:
            for label, settings in SETTINGS:
                for engine, tree in (("old", base), ("new", ROOT)):
                    row = run(tree, settings, times, args.timeout)
                    if row is None:
                        print(f"| {times:,} | {label} | {engine} | no verdict in {args.timeout:g} s | | | | | | |",
                              flush=True)
                        continue
                    verdict, strategy, executions, steps, seconds, rss = row
                    print(f"| {times:,} | {label} | {engine} | {verdict} | {strategy} | {executions} | {steps:,} "
                          f"| {seconds:.1f} | {1e6 * seconds / max(steps, 1):.1f} | {rss:,} |", flush=True)


if __name__ == "__main__":
    main()
