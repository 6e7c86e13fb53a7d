"""Turning what went wrong in model code into ``Failure`` records."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..program.model_file import model_frames
from ..errors import ModelError
from ..program.operation import Operation
from .trace import Failure


def from_exception(exc: BaseException, thread: str) -> Failure:
    """A failure for an exception that escaped a thread (or a property)."""
    frames = model_frames(exc.__traceback__)
    lines = tuple(f"{f.filename}:{f.lineno} in {f.name}: {(f.line or '').strip()}" for f in frames)
    where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else None
    message = str(exc)
    if isinstance(exc, AssertionError):
        if not message and frames:
            message = (frames[-1].line or "").strip() or "assertion failed"
        return Failure("assertion", message or "assertion failed", thread, where, "AssertionError", lines)
    return Failure("exception", message, thread, where, type(exc).__name__, lines)


def from_property(kind_text: str, message: str, result: object) -> Failure:
    return Failure("invariant", f"{kind_text} {message!r} is {result!r}")


Blockers = Mapping[str, tuple[str, "list[str] | None"]]


def deadlock(waits: Iterable[tuple[str, str]], blockers: Blockers | None = None) -> Failure:
    """A deadlock: ``waits`` says what each unfinished thread waits for;
    ``blockers`` maps each blocked thread to (resource, threads that could end
    the wait or None for any thread), from which the wait-for cycle is found."""
    waits = tuple(waits)
    text = "; ".join(f"{name} {what}" for name, what in waits)
    cycle = wait_cycle(blockers or {})
    failure = Failure("deadlock", f"no thread can run ({text})", waits=waits, cycle=cycle)
    if cycle:
        failure = Failure("deadlock", f"{failure.message}; wait-for cycle: {failure.cycle_text()}", waits=waits, cycle=cycle)
    return failure


def wait_cycle(blockers: Blockers) -> tuple[tuple[str, str], ...]:
    """The most telling cycle thread -> resource -> thread -> ... among
    blocked threads, as (thread, resource it waits for) pairs; each pair's
    next entry is a thread that could end the wait.  Edges to a known owner
    (a lock's holder) cost 1, to a joined thread 2, and a wait that any
    thread could end (an event, a condition, a queue) links to every other
    blocked thread at cost 3; the cheapest cycle wins (ties: by name).
    Empty when there is no cycle."""
    graph: dict[str, list[tuple[int, str]]] = {}
    for t, (resource, owners) in blockers.items():
        if owners is None:
            graph[t] = [(3, u) for u in blockers if u != t]
        else:
            cost = 2 if resource.startswith("thread ") else 1
            graph[t] = [(cost, u) for u in owners if u in blockers]
    best: tuple[int, list[str]] | None = None
    for start in sorted(graph):
        found = _cheapest_cycle(graph, start)
        if found is not None and (best is None or found[0] < best[0]):
            best = found
    return tuple((t, blockers[t][0]) for t in best[1]) if best else ()


def _cheapest_cycle(graph: Mapping[str, list[tuple[int, str]]], start: str) -> tuple[int, list[str]] | None:
    """Dijkstra from ``start``: the cheapest path that returns to it."""
    dist = {start: 0}
    paths = {start: [start]}
    frontier = [(0, start)]
    best: tuple[int, list[str]] | None = None
    while frontier:
        frontier.sort()
        d, node = frontier.pop(0)
        if d > dist.get(node, d) or (best is not None and d >= best[0]):
            continue
        for cost, succ in graph.get(node, ()):
            nd = d + cost
            if succ == start:
                if best is None or nd < best[0]:
                    best = (nd, paths[node])
            elif nd < dist.get(succ, nd + 1):
                dist[succ] = nd
                paths[succ] = paths[node] + [succ]
                frontier.append((nd, succ))
    return best


def setup_error(scenario: str, exc: BaseException) -> ModelError:
    """An exception raised by a scenario body before its first ``yield``:
    no thread has run yet, so it is a mistake in the model, not a finding."""
    frames = model_frames(exc.__traceback__)
    where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else None
    return ModelError(
        f"scenario {scenario} raised {type(exc).__name__}: {exc} while setting up (before any thread ran)",
        where=where,
        hint="fix the scenario body; if this exception is the behaviour to check, raise it in a thread "
        "or after a `yield` in the scenario body",
    )


def deadlock_of(runs: Iterable[Any]) -> Failure:
    """The deadlock failure of an execution whose unfinished ``runs``
    (``ThreadRun``s) cannot move: what each waits for, and who could end
    each wait (for the wait-for cycle)."""
    waits, blockers = [], {}
    for run in runs:
        if run.finished:
            continue
        op = run.pending
        what = op.waiting_for() if isinstance(op, Operation) else "is runnable"
        waits.append((run.thread.name, what + (f" at line {run.line}" if run.line else "")))
        if isinstance(op, Operation):
            owners = op.waits_on()
            blockers[run.thread.name] = (op.resource(), None if owners is None else [t.name for t in owners])
    return deadlock(waits, blockers)
