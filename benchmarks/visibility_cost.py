"""What the guard against unseen changes costs (runtime.visibility).

Every step re-fingerprints the plain objects other threads can reach (the
arguments handed to threads, mutable values read from shared objects) and,
at the end of each execution, the module-level variables the threads' code
names.  This script times the same exhaustive explorations with the guard
on and with it switched off (its two per-step/per-execution checks replaced
by no-ops), in interleaved rounds in one process, and prints the ratio.

Run:  python benchmarks/visibility_cost.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from checker import check, load_model  # noqa: E402
from checker.runtime.visibility import Visibility  # noqa: E402

def handed_plain_data(size: int):
    """Two threads, each handed a list of locks and a read-only dict of
    ``size`` entries (plain objects the guard fingerprints after every
    step), doing a locked read-modify-write twice."""
    from checker import Lock, Shared, Thread
    from checker.program.scenario import make_scenario

    def work(counter, locks, config):
        for _ in range(2):
            yield locks[0].acquire()
            value = counter.value + config["step"]
            yield
            counter.value = value
            yield locks[0].release()

    def body():
        counter = Shared(value=0)
        locks = [Lock() for _ in range(4)]
        config = {f"k{i}": i for i in range(size)} | {"step": 1}
        threads = [Thread(target=work, args=(counter, locks, config)) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            yield t.join()

    return make_scenario(body, expect="safe", name=f"plain_{size}", timing="ideal")


WORKLOADS = [
    # (label, model file, scenario, params): a tuple of plain ints handed over, a list of locks, a list of forks
    ("counter unlocked times=3 (args: Shared, int)", "models/counter.py", "unlocked", {"times": 3}),
    ("counter locked times=2", "models/counter.py", "locked", {"times": 2}),
    ("dining philosophers (a list of forks handed to each thread)", "models/dining_philosophers.py",
     "ordered_forks", {}),
    ("readers-writers (locks and counters)", "models/readers_writers.py", "counter_locked", {}),
]


def timed(sc, params) -> tuple[float, int]:
    started = time.perf_counter()
    r = check(sc, params=params, all_outcomes=True, strategy="dfs", max_executions=20000)
    return time.perf_counter() - started, r.executions


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    after_step, at_end = Visibility.after_step, Visibility.at_end

    def guard(on: bool) -> None:
        Visibility.after_step = after_step if on else (lambda *a: None)
        Visibility.at_end = at_end if on else (lambda *a: None)

    print("| workload | executions | guard on (s) | guard off (s) | on / off |")
    print("|---|---|---|---|---|")
    plain = [(f"a list of 4 locks and a dict of {n} entries handed to each thread", handed_plain_data(n), {})
             for n in (10, 100)]
    loaded = [(label, next(s for s in load_model(ROOT / path).scenarios if s.name == name), params)
              for label, path, name, params in WORKLOADS]
    for label, sc, params in loaded + plain:
        on, off, n = [], [], 0
        for _ in range(args.rounds):
            for state, bucket in ((True, on), (False, off)):
                guard(state)
                secs, n = timed(sc, params)
                bucket.append(secs)
        guard(True)
        a, b = min(on), min(off)
        print(f"| {label} | {n} | {a:.3f} | {b:.3f} | {a / b:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
