"""Fidelity sweep: many real-thread runs of every fidelity scenario and every
shipped model, each compared with the checker's any-delay prediction.

Run:  python benchmarks/fidelity_sweep.py [--runs 300] [--scale 0.02] [--models] [--generated N --seed S]

``--generated N`` adds N programs of the differential generator
(tests/programs.py, every family, the visibility family included) whose
any-delay exploration is complete within --cap executions.
Prints one line per scenario (runs, distinct real outcomes, predicted
outcomes, time) and every real outcome the checker did not predict; exits 1
if there was one.  Real scheduling is nondeterministic: a clean sweep is
evidence, not proof.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from checker import load_model  # noqa: E402
from checker.check.fidelity import compare  # noqa: E402
from checker.present.fidelity_report import format_fidelity  # noqa: E402
from fidelity_scenarios import SCENARIOS  # noqa: E402


def generated(count: int, seed: int, cap: int) -> list[tuple[str, object]]:
    """``count`` generated programs (spread over the families) whose
    any-delay exploration completes within ``cap`` executions with more
    than one outcome."""
    families = [dict(blocking=False), dict(blocking=True), dict(blocking=True, extras=True),
                dict(blocking=True, extras=True, more=True)]
    out: list[tuple[str, object]] = []
    for i, kwargs in enumerate(families):
        want = count // len(families) + (1 if i < count % len(families) else 0)
        out += _pick(kwargs, want, seed + i, cap)
    return out


def _pick(kwargs: dict, want: int, seed: int, cap: int) -> list[tuple[str, object]]:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import seed as hseed

    from checker import check
    from programs import build, programs

    picked: list[tuple[str, object]] = []

    @hseed(seed)
    @settings(max_examples=want * 20, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(programs(**kwargs))
    def pick(program):
        if len(picked) >= want:
            return
        sc = build(program, "any-delay")
        result = check(sc, timing="any-delay", all_outcomes=True, max_executions=cap)
        if result.complete and len(result.outcome_set()) > 1:  # a program with one outcome shows little
            picked.append((f"generated {program}", sc))

    pick()
    return picked


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=300)
    p.add_argument("--scale", type=float, default=0.02, help="real seconds per virtual second")
    p.add_argument("--models", action="store_true", help="also every scenario in models/")
    p.add_argument("--generated", type=int, default=0, metavar="N", help="also N generated programs")
    p.add_argument("--seed", type=int, default=1, help="hypothesis seed for --generated")
    p.add_argument("--cap", type=int, default=2000, help="--generated: skip programs needing more executions")
    args = p.parse_args()
    targets = [(f"fidelity_scenarios.{n}", sc) for n, sc in SCENARIOS.items()]
    if args.models:
        for path in sorted((ROOT / "models").glob("*.py")):
            targets += [(f"{path.name}:{sc.name}", sc) for sc in load_model(path).scenarios]
    targets += generated(args.generated, args.seed, args.cap)
    bad = 0
    print(f"{'scenario':<55} {'runs':>5} {'real':>5} {'pred':>5} {'time':>7}")
    for name, sc in targets:
        started = time.perf_counter()
        runs = max(args.runs // 20, 3) if "deadlock" in name or "lock_first" in name else args.runs
        f = compare(sc, runs=runs, timing_scale=args.scale, hang_after=0.5)
        took = time.perf_counter() - started
        print(f"{name[:55]:<55} {runs:>5} {len(f.observed):>5} {len(f.predicted):>5} {took:>6.1f}s")
        if not f.ok:
            bad += 1
            print(("    " + name + "\n") if len(name) > 55 else "", end="")
            print(format_fidelity(f, indent="    "))
    print(f"\n{len(targets)} scenarios, {bad} with real outcomes the checker did not predict")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
