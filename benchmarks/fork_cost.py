"""What restoring a state by ``os.fork`` would cost (issue 12).

Generators cannot be copied, so the only way to resume from a state
without replaying its prefix is to keep a process parked there and fork
it.  This measures a fork + child exit + wait round trip in a process of
the checker's size (the package imported, a heap of ``--heap-mb``), next
to the cost of one whole DPOR execution of lastzero(10), side by side.

    python benchmarks/fork_cost.py [--rounds 300] [--heap-mb 30]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker import check, load_model  # noqa: E402


def fork_round_trip(rounds: int) -> float:
    started = time.perf_counter()
    for _ in range(rounds):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.write(w, b"x")
            os._exit(0)
        os.read(r, 1)
        os.waitpid(pid, 0)
        os.close(r)
        os.close(w)
    return (time.perf_counter() - started) / rounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--heap-mb", type=int, default=30)
    args = parser.parse_args()
    heap = [bytearray(1024) for _ in range(args.heap_mb * 1024)]  # noqa: F841 - the process's size
    sc = load_model(ROOT / "benchmarks" / "models" / "lastzero.py").scenarios[0]
    started = time.perf_counter()
    result = check(sc, params={"n": 10}, all_outcomes=True, strategy="dpor")
    per_execution = (time.perf_counter() - started) / result.executions
    fork = fork_round_trip(args.rounds)
    print("| measure | ms |")
    print("|---|---|")
    print(f"| fork + exit + wait, one round trip | {1e3 * fork:.2f} |")
    print(f"| one DPOR execution of lastzero(10), all included ({result.executions:,} executions) "
          f"| {1e3 * per_execution:.2f} |")
    print(f"\nfork / execution: {fork / per_execution:.1f}x")


if __name__ == "__main__":
    main()
