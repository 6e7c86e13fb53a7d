"""Time to verdict: ``python -m checker models/counter.py --graph none``
against ``python -c pass``, side by side in interleaved rounds (so both see
the same machine load), with the ratio of medians.

    python benchmarks/startup.py [--rounds 15]

Also lists the heavy modules the checker run imported (networkx, graphviz,
rich and checker.present.graphs should be absent when nothing is drawn).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKER = [sys.executable, "-m", "checker", "models/counter.py", "--graph", "none", "--no-memory"]
BASELINE = [sys.executable, "-c", "pass"]
HEAVY = ("networkx", "graphviz", "rich", "checker.present.graphs")


def timed(cmd: list[str]) -> float:
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}")
    return elapsed


def heavy_imports() -> list[str]:
    probe = (
        "import runpy, sys\n"
        f"sys.argv = {['checker', *CHECKER[3:]]!r}\n"
        "try:\n    runpy.run_module('checker', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        f"print(sorted({{m.split('.')[0] if not m.startswith('checker') else m for m in sys.modules "
        f"if m.startswith({HEAVY!r})}}))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True).stdout
    return out.strip().splitlines()[-1:]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=15)
    args = ap.parse_args()
    timed(CHECKER)  # warm the file cache and the bytecode
    base, run = [], []
    for _ in range(args.rounds):
        base.append(timed(BASELINE))
        run.append(timed(CHECKER))
    b, r = statistics.median(base), statistics.median(run)
    print(f"python -c pass                                    median {b * 1000:7.1f} ms  (min {min(base) * 1000:.1f})")
    print(f"python -m checker models/counter.py --graph none  median {r * 1000:7.1f} ms  (min {min(run) * 1000:.1f})")
    print(f"ratio of medians: {r / b:.1f}x  ({args.rounds} interleaved rounds)")
    heavy = heavy_imports()
    print(f"heavy modules imported by the checker run: {heavy[0] if heavy else '?'}")


if __name__ == "__main__":
    main()
