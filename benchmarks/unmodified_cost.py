"""What unmodified threading code costs against the same step program.

Two measurements, side by side in one run (best of ``--rounds``):

1. The tutorial's locked counter: ``models/counter_threads.py::locked``
   (plain ``threading``) against ``models/counter.py::locked`` (the step
   program), every class explored: ms per execution and µs per transition.
   The two explore the same classes; the unmodified one has more
   transitions per execution (a step per shared access, where the step
   program groups a read and a write).
2. Non-shared work: two threads that each do one shared write after
   ``k`` iterations of local arithmetic, for k = 0, 100, 1,000, 10,000:
   ms per execution, unmodified against the step program doing the same
   loop inside one step.  This is the tracer's per-instruction cost on
   3.11 (settrace opcode events on every instruction of traced code).

    python benchmarks/unmodified_cost.py [--rounds 3] [--n 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import textwrap
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker import check, load_model  # noqa: E402

LOCAL_PLAIN = """
    import threading
    from checker import scenario

    class Box:
        def __init__(self):
            self.x = 0

    def work(box, k):
        total = 0
        for i in range(k):
            total += i
        box.x = total

    @scenario
    def local(k=0):
        box = Box()
        a = threading.Thread(target=work, args=(box, k)); b = threading.Thread(target=work, args=(box, k))
        a.start(); b.start(); a.join(); b.join()
"""

LOCAL_STEPS = """
    from checker import Shared, Thread, scenario

    def work(box, k):
        total = 0
        for i in range(k):
            total += i
        yield
        box.x = total

    @scenario
    def local(k=0):
        box = Shared(x=0)
        a = Thread(target=work, args=(box, k)); b = Thread(target=work, args=(box, k))
        a.start(); b.start()
        yield a.join()
        yield b.join()
"""


def timed(sc, params: dict, rounds: int) -> tuple[float, int, int]:
    """Best seconds of ``rounds`` exhaustive searches, executions, transitions."""
    best, result = float("inf"), None
    for _ in range(rounds):
        started = time.perf_counter()
        result = check(sc, params=params, all_outcomes=True, strategy="dpor")
        best = min(best, time.perf_counter() - started)
    assert result is not None
    return best, result.executions, result.transitions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--n", type=int, default=3, help="increments per thread of the locked counter")
    args = parser.parse_args()
    warnings.simplefilter("ignore")

    print("## The locked counter, every class\n")
    print("| version | n | executions | transitions | ms/execution | µs/transition |")
    print("|---|---|---|---|---|---|")
    for label, path, key in (("step program", "models/counter.py", "times"),
                             ("unmodified", "models/counter_threads.py", "n")):
        sc = load_model(ROOT / path).scenario("locked")
        seconds, executions, transitions = timed(sc, {key: args.n}, args.rounds)
        print(f"| {label} | {args.n} | {executions:,} | {transitions:,} | {1e3 * seconds / executions:.3f} "
              f"| {1e6 * seconds / transitions:.1f} |")

    folder = Path(tempfile.mkdtemp())
    (folder / "plain.py").write_text(textwrap.dedent(LOCAL_PLAIN))
    (folder / "steps.py").write_text(textwrap.dedent(LOCAL_STEPS))
    plain = load_model(folder / "plain.py").scenario("local")
    steps = load_model(folder / "steps.py").scenario("local")
    print("\n## Local work before one shared write (two threads, every class)\n")
    print("| k (local iterations) | step program ms/execution | unmodified ms/execution | ratio |")
    print("|---|---|---|---|")
    for k in (0, 100, 1_000, 10_000):
        s, s_exec, _ = timed(steps, {"k": k}, args.rounds)
        u, u_exec, _ = timed(plain, {"k": k}, args.rounds)
        print(f"| {k:,} | {1e3 * s / s_exec:.3f} | {1e3 * u / u_exec:.3f} | {(u / u_exec) / (s / s_exec):.1f}x |")


if __name__ == "__main__":
    main()
