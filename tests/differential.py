"""Differential checking of a reduction against brute force (helpers shared
by tests/test_dpor_differential.py and benchmarks/dpor_sweep.py)."""

from __future__ import annotations

from dataclasses import dataclass

from checker import check
from checker.check.checking import ScenarioSpace
from checker.explore import DepthFirst, Limits
from checker.explore.events import Dependence, event_from_trace

DFS_CAP = 3000  # programs whose brute force needs more are skipped


@dataclass
class Comparison:
    dfs_executions: int
    executions: int
    outcomes: int
    missing: set
    extra: set
    classes: int | None = None  # Mazurkiewicz traces among the brute-force executions


def mazurkiewicz_classes(sc, timing: str, cap: int = DFS_CAP, params: dict | None = None) -> int | None:
    """How many equivalence classes (same events, same order of every
    dependent pair) the brute-force executions fall into, or None when brute
    force needs more than ``cap`` executions."""
    keys = set()
    dep = Dependence()

    def visit(ex, schedule):
        dep.learn(ex)
        events = list(ex.trace.events)
        ended_early = ex.done and (
            ex.discarded
            or (ex.failure is not None and ex.failure.kind != "deadlock")
            or (ex.failure is None and any(not r.finished for r in ex.runs))
        )
        evs = [
            event_from_trace(te, ended_early and i == len(events) - 1, te.thread >= 0 and ex.runs[te.thread].thread.daemon)
            for i, te in enumerate(events)
        ]
        count: dict[int, int] = {}
        ids = []
        for te in events:
            count[te.thread] = count.get(te.thread, 0) + 1
            ids.append((te.thread, count[te.thread]))
        labels = frozenset(zip(ids, (te.signature() for te in events)))
        order = frozenset(
            (ids[i], ids[j]) for j in range(len(evs)) for i in range(j) if dep(evs[i], evs[j])
        )
        keys.add((labels, order))
        return None

    stats = DepthFirst().explore(ScenarioSpace(sc, sc.bind(params or {}), timing), visit, Limits(max_executions=cap))
    return len(keys) if stats.complete else None


def compare(sc, timing: str, strategy: str = "dpor", cap: int = DFS_CAP) -> Comparison | None:
    """Brute force and ``strategy`` on ``sc`` with every outcome tallied, or
    None when brute force needs more than ``cap`` executions."""
    dfs = check(sc, strategy="dfs", all_outcomes=True, timing=timing, max_executions=cap)
    if not dfs.complete:
        return None
    red = check(sc, strategy=strategy, all_outcomes=True, timing=timing)
    assert red.complete, f"{strategy} did not complete: {red.limit_hit}"
    a, b = dfs.outcome_set(), red.outcome_set()
    return Comparison(dfs.executions, red.executions, len(a), a - b, b - a)
