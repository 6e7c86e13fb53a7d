"""Bug-finding power of the strategies, side by side in one run.

For every model in ``benchmarks/models/bugs/`` (known bugs of depth 1-3 in
state spaces too large for exhaustive DPOR in a minute) and every strategy
-- ``random``, ``pct`` at depth 1, 2 and 3, ``pos``, and, deterministic and
run once, ``dpor`` and (when ``checker.explore.STRATEGIES`` has it)
``bounded`` -- this measures the executions up to and including the first
failing one and the wall time, with a budget of executions per search.
Sampling strategies run once per seed (seeds ``--seed``, ``--seed + 1``,
...); the table gives how many seeds found the bug within the budget and
the median over seeds of executions and seconds, a seed that did not find
it counting as more than the budget (so the median is "> budget" when at
most half of them found it).

The searches call ``Strategy.explore`` directly, stopping at the first
execution that fails with an assertion (any other failure stops the
benchmark: the model is wrong), so the times are the strategy's own, without
the counterexample minimisation ``check`` does afterwards.

    python benchmarks/bugfinding.py                       # defaults: 5 seeds, 1000 executions
    python benchmarks/bugfinding.py --seeds 10 --runs 3000 --models peterson,late_init
"""

from __future__ import annotations

import argparse
import functools
import shlex
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from checker import load_model
from checker.check.checking import ScenarioSpace
from checker.explore import STRATEGIES
from checker.explore.coverage import StopReason
from checker.explore.strategy import Limits, Strategy

BUGS = Path(__file__).resolve().parent / "models" / "bugs"


@dataclass(frozen=True, eq=False)
class Model:
    file: str  # in benchmarks/models/bugs/; its one scenario has the file's name
    depth: int  # the bug's depth (PCT's change points + 1), argued in the model's docstring

    @property
    def name(self) -> str:
        return Path(self.file).stem

    @functools.cached_property
    def scenario(self):
        return load_model(BUGS / self.file).scenario(self.name)

    def label(self) -> str:
        """The scenario with its (default) parameters: ``reorder(setters=19)``."""
        return f"{self.name}({', '.join(f'{k}={v}' for k, v in self.scenario.bind({}).items())})"


MODELS = [
    Model("late_init.py", 1),
    Model("account.py", 1),
    Model("reorder.py", 2),
    Model("twostage.py", 2),
    Model("wronglock.py", 2),
    Model("bluetooth.py", 2),
    Model("peterson.py", 3),
]

SAMPLED = [("random", {}), ("pct", {"depth": 1}), ("pct", {"depth": 2}), ("pct", {"depth": 3}), ("pos", {})]
EXHAUSTIVE = ["dpor", "bounded"]


@dataclass
class Search:
    executions: int  # up to and including the first failing one, or all that ran
    seconds: float
    found: bool


def search(model: Model, strategy: Strategy, budget: int, max_time: float) -> Search:
    sc = model.scenario
    space = ScenarioSpace(sc, sc.bind({}), sc.timing)
    found: list[int] = []
    count = [0]

    def visit(ex, schedule):
        count[0] += 1
        if ex.failure is None:
            return None
        if ex.failure.kind != "assertion":
            raise SystemExit(f"{model.label()}: {strategy.describe()} met a {ex.failure.kind}: "
                             f"{ex.failure.message} (the model is wrong)")
        found.append(count[0])
        return StopReason.VIOLATION

    started = time.perf_counter()
    strategy.explore(space, visit, Limits(max_executions=budget, deadline=time.monotonic() + max_time))
    seconds = time.perf_counter() - started
    return Search(found[0] if found else count[0], seconds, bool(found))


def label(name: str, settings: dict) -> str:
    return name + "".join(f" {k}={v}" for k, v in settings.items())


def median_text(searches: list[Search], budget: int) -> tuple[str, str]:
    """Median executions (a miss counts as more than the budget) and median seconds."""
    runs = sorted(s.executions if s.found else budget + 1 for s in searches)
    mid = statistics.median_low(runs)
    executions = f"> {budget:,}" if mid > budget else f"{mid:,}"
    return executions, f"{statistics.median(s.seconds for s in searches):.2f}"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seeds", type=int, default=5, help="seeds per sampling strategy (default 5)")
    p.add_argument("--seed", type=int, default=1, help="first seed (default 1)")
    p.add_argument("--runs", type=int, default=1000, help="execution budget of every search (default 1000)")
    p.add_argument("--max-time", type=float, default=60.0, help="seconds budget of every search (default 60)")
    p.add_argument("--models", default="", help="comma-separated model names (default: all)")
    args = p.parse_args(argv)
    models = [m for m in MODELS if not args.models or m.name in args.models.split(",")]
    seeds = range(args.seed, args.seed + args.seeds)
    rows = []
    started = time.perf_counter()
    for model in models:
        for name, settings in SAMPLED:
            cls = STRATEGIES[name]
            done = [search(model, cls(runs=args.runs, seed=s, **settings), args.runs, args.max_time) for s in seeds]
            executions, seconds = median_text(done, args.runs)
            rows.append((model, label(name, settings), f"{sum(s.found for s in done)}/{len(done)}", executions, seconds))
            print(f"  {model.label()} {label(name, settings)}: {[s.executions if s.found else None for s in done]}",
                  file=sys.stderr)
        for name in EXHAUSTIVE:
            if name not in STRATEGIES:
                continue
            one = search(model, STRATEGIES[name](), args.runs, args.max_time)
            executions = f"{one.executions:,}" if one.found else f"> {one.executions:,}"
            rows.append((model, name, "found" if one.found else "not found", executions, f"{one.seconds:.2f}"))
    print(f"$ python benchmarks/bugfinding.py {shlex.join(argv if argv is not None else sys.argv[1:])}".rstrip())
    print(f"(seeds {seeds.start}..{seeds.stop - 1}, budget {args.runs:,} executions and {args.max_time:g} s "
          f"per search; total {time.perf_counter() - started:.0f} s)\n")
    print("| model | bug depth | strategy | found | median executions to bug | median seconds |")
    print("|---|---|---|---|---|---|")
    for model, strategy, found, executions, seconds in rows:
        print(f"| {model.label()} | {model.depth} | {strategy} | {found} | {executions} | {seconds} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
