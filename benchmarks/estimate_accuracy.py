"""How close DPOR's size estimate is, as the search goes: the estimate
DPOR reports after the runs nearest to 10, 25, 50, 75 and 90% of the
search, against the exact count of the finished search.

Run:  python benchmarks/estimate_accuracy.py
Prints a Markdown table (used in docs/exploration.md).
"""

from __future__ import annotations

from pathlib import Path

from checker import check, load_model
from checker.explore.estimate import Estimate

ROOT = Path(__file__).resolve().parent.parent
MODELS = [
    ("locked counter times=7", "models/counter.py", "locked", {"times": 7}),
    ("locked counter times=6", "models/counter.py", "locked", {"times": 6}),
    ("lastzero(10)", "benchmarks/models/lastzero.py", "lastzero", {"n": 10}),
    ("readers_writers(3)", "benchmarks/models/readers_writers.py", "readers_writers", {"readers": 3}),
]
FRACTIONS = (0.1, 0.25, 0.5, 0.75, 0.9)


def main() -> None:
    print("| model (exact) | estimate at " + " / ".join(f"{f:.0%}" for f in FRACTIONS) + " of the search |")
    print("|---|---|")
    for label, path, name, params in MODELS:
        seen: list[Estimate] = []

        def keep(estimate: Estimate | None, seen: list[Estimate] = seen) -> None:
            if estimate is not None:
                seen.append(estimate)

        r = check(load_model(ROOT / path).scenario(name), params=params, strategy="dpor", memory=False,
                  on_estimate=keep)
        at = [min(seen, key=lambda e, f=f: abs(e.done - r.executions * f)) for f in FRACTIONS]
        print(f"| {label} ({r.executions:,}) | " + " / ".join(f"{e.executions:,.0f}" for e in at) + " |",
              flush=True)


if __name__ == "__main__":
    main()
