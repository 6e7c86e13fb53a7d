"""How far is the engine from the limit?  Cost per *execution* of brute force
(dfs) and DPOR versus a bare loop that resumes the very same generators
through the very same schedules, side by side in one run.

Workload: models/counter.py (two threads, ``times`` increments each; the
``unlocked`` or ``locked`` scenario).  Each strategy is run once through the
explorer to collect the schedules it executes; the bare loop then replays
each schedule with no checker at all: fresh generators of the model's own
thread function over a plain object (and a plain ``threading.Lock`` for the
locked variant, acquired by ``yield lock.acquire()`` ... here simply
resumed), resumed in the schedule's order (the scenario body's own steps
are left out, so the bare loop does strictly less).  Rows are timed in
interleaved rounds (``--rounds``), best of each, so machine noise hits all
alike.  The ratio is engine ms/execution over bare-loop ms/execution for
the same set of schedules.

Run:  python benchmarks/engine_limit.py [--times 4] [--variant unlocked] [--rounds 3]
      CHECKER_TREE=/tmp/base python benchmarks/engine_limit.py   (an exported old revision)
"""

from __future__ import annotations

import argparse
import os
import importlib.util
import sys
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
# CHECKER_TREE: a folder holding another checker/ package (e.g. an old revision, git archive REV checker | tar -x)
sys.path.insert(0, os.environ.get("CHECKER_TREE", str(ROOT)))

from checker import check, load_model  # noqa: E402
from checker.check.checking import ScenarioSpace  # noqa: E402
from checker.explore import STRATEGIES, Limits  # noqa: E402

MODEL_PATH = ROOT / "models" / "counter.py"


class _BareLock:
    """Stands in for the model's Lock: ``acquire()`` is only yielded."""

    def acquire(self):
        return None

    def release(self):
        return None


def _thread_functions():
    spec = importlib.util.spec_from_file_location("counter_model_bare", MODEL_PATH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.increment, mod.increment_locked


def schedules_of(variant: str, times: int, strategy: str) -> list[list[int]]:
    """The thread schedules (1 = t, 2 = s) of every execution ``strategy`` runs."""
    sc = load_model(MODEL_PATH).scenario(variant)
    found: list[list[int]] = []

    def visit(ex, schedule):
        found.append([c[0] for c in schedule if c[0] in (1, 2)])
        return True

    STRATEGIES[strategy]().explore(ScenarioSpace(sc, {"times": times}, "ideal"), visit, Limits())
    return found


def bare_loop(variant: str, times: int, schedules: list[list[int]]) -> float:
    """Seconds to resume fresh generators through every schedule."""
    inc, inc_locked = _thread_functions()
    started = time.perf_counter()
    for schedule in schedules:
        counter = SimpleNamespace(value=0)
        if variant == "locked":
            lock = _BareLock()
            gens = [None, inc_locked(counter, lock, times), inc_locked(counter, lock, times)]
        else:
            gens = [None, inc(counter, times), inc(counter, times)]
        for t in schedule:
            try:
                next(gens[t])
            except StopIteration:
                pass
    return time.perf_counter() - started


def engine(variant: str, times: int, strategy: str) -> tuple[float, int]:
    sc = load_model(MODEL_PATH).scenario(variant)
    started = time.perf_counter()
    r = check(sc, params={"times": times}, strategy=strategy, all_outcomes=True)
    return time.perf_counter() - started, r.executions


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--times", type=int, default=4)
    ap.add_argument("--variant", default="unlocked", choices=["unlocked", "locked"])
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    print(f"counter {args.variant}, 2 threads x {args.times} increments; best of {args.rounds} interleaved rounds; "
          f"Python {sys.version.split()[0]}")
    print()
    print("| strategy | executions | engine ms/execution | bare loop ms/execution | engine / bare loop |")
    print("|---|---|---|---|---|")
    strategies = ("dfs", "dpor")
    scheds = {s: schedules_of(args.variant, args.times, s) for s in strategies}
    best: dict[tuple[str, str], float] = {}
    executions: dict[str, int] = {}
    for _ in range(args.rounds):
        for s in strategies:
            secs = bare_loop(args.variant, args.times, scheds[s])
            best[s, "bare"] = min(best.get((s, "bare"), secs), secs)
            secs, executions[s] = engine(args.variant, args.times, s)
            best[s, "engine"] = min(best.get((s, "engine"), secs), secs)
    for s in strategies:
        n = executions[s]
        assert n == len(scheds[s]), (s, n, len(scheds[s]))
        e, b = 1000 * best[s, "engine"] / n, 1000 * best[s, "bare"] / n
        print(f"| {s} | {n:,} | {e:.3f} | {b:.4f} | {e / b:,.0f}x |")


if __name__ == "__main__":
    main()
