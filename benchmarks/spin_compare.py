"""State caching versus SPIN on the locked counter, side by side in one run.

The same model in both tools: two threads each add 1 to a shared counter
``times`` times under a lock, the main thread joins them and asserts the
sum.  The Promela version groups statements the way the step program's
``yield``s do (acquire and read in one step; write, release and the loop
test in the next), so both explore one state per combination of thread
positions, counter, lock and loop counters.  SPIN's count differs anyway:
it keeps local variables and program counters that the checker folds into
a generator position, and its partial-order reduction is on by default.

Each row: the checker's ``--strategy cached`` (full state keys hashed to
16-byte digests, ``runtime/state.py``) against SPIN's ``pan`` compiled with
``-O2 -DSAFETY``, exhaustive search; times are the check's wall time and
pan's own "elapsed time" (compilation excluded).  Needs ``spin`` and a C
compiler on the PATH (Debian: ``apt-get install spin gcc``); exits with a
message otherwise.

Run:  python benchmarks/spin_compare.py [--times 5 10 20]
Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROMELA = """
#define N {times}
byte counter = 0;
bit lock = 0;
byte finished = 0;

proctype inc() {{
    byte i = 0;
    byte v;
    do
    :: atomic {{ i < N -> lock == 0 -> lock = 1; v = counter }};
       atomic {{ counter = v + 1; lock = 0; i++ }}
    :: atomic {{ i >= N -> break }}
    od;
    finished++
}}

init {{
    atomic {{ run inc(); run inc() }};
    finished == 2;
    assert(counter == 2 * N)
}}
"""


def spin(times: int, workdir: Path) -> tuple[int, float]:
    """(states stored, pan's elapsed seconds) for ``times``."""
    (workdir / "counter.pml").write_text(PROMELA.format(times=times))
    subprocess.run(["spin", "-a", "counter.pml"], cwd=workdir, check=True, capture_output=True)
    subprocess.run(["gcc", "-O2", "-DSAFETY", "-o", "pan", "pan.c"], cwd=workdir, check=True, capture_output=True)
    out = subprocess.run(["./pan", "-m1000000"], cwd=workdir, check=True, capture_output=True, text=True).stdout
    if "errors: 0" not in out:
        raise SystemExit(f"SPIN found an error in the locked counter (times={times}):\n{out}")
    states = int(re.search(r"(\d+) states, stored", out).group(1))
    elapsed = float(re.search(r"elapsed time ([\d.e+-]+) seconds", out).group(1))
    return states, elapsed


def ours(times: int) -> tuple[int | None, float]:
    sys.path.insert(0, str(ROOT))
    from checker import check, load_model

    sc = load_model(ROOT / "models" / "counter.py").scenario("locked")
    started = time.perf_counter()
    r = check(sc, params={"times": times}, strategy="cached", memory=False)
    if r.verdict != "safe":
        raise SystemExit(f"the checker did not prove the locked counter safe (times={times}): {r.verdict}")
    return r.states_visited, time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--times", type=int, nargs="+", default=[5, 10, 20])
    args = ap.parse_args()
    missing = [tool for tool in ("spin", "gcc") if shutil.which(tool) is None]
    if missing:
        raise SystemExit(f"spin_compare needs {' and '.join(missing)} on the PATH (Debian: apt-get install spin gcc)")
    print(f"Python {sys.version.split()[0]}; {subprocess.run(['spin', '-V'], capture_output=True, text=True).stdout.strip()}")
    print()
    print("| times | checker states | checker s | SPIN states | SPIN s (pan) | checker / SPIN time |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for times in args.times:
            spin_states, spin_seconds = spin(times, Path(tmp))
            states, seconds = ours(times)
            ratio = f"{seconds / spin_seconds:,.0f}x" if spin_seconds > 0 else "pan under its 0.01 s resolution"
            print(f"| {times} | {states:,} | {seconds:.2f} | {spin_states:,} | {spin_seconds:.3f} | {ratio} |",
                  flush=True)


if __name__ == "__main__":
    main()
