"""Turning what went wrong in model code into ``Failure`` records."""

from __future__ import annotations

from typing import Iterable, Mapping

from ..program.model_file import model_frames
from ..errors import ModelError
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
    message = f"no thread can run ({text})"
    if cycle:
        message += f"; wait-for cycle: {format_cycle(cycle)}"
    return Failure("deadlock", message, waits=waits, cycle=cycle)


def wait_cycle(blockers: Blockers) -> tuple[tuple[str, str], ...]:
    """The shortest cycle thread -> resource -> thread -> ... among blocked
    threads, as (thread, resource it waits for) pairs; each pair's next entry
    is a thread that could end the wait.  Exact edges (lock holders, joined
    threads) are preferred: a wait that any thread could end (an event, a
    condition, a queue) links to every other blocked thread only when no
    cycle of exact edges exists.  Empty when there is no cycle (e.g. a thread
    waits for an event no live thread will set)."""
    exact = {t: list(owners) for t, (_, owners) in blockers.items() if owners is not None}
    loose = {t: (owners if owners is not None else [u for u in blockers if u != t])
             for t, (_, owners) in blockers.items()}
    for graph in (exact, loose):
        best: list[str] | None = None
        for start in sorted(graph):
            path = _shortest_path_back(graph, start)
            if path is not None and (best is None or len(path) < len(best)):
                best = path
        if best is not None:
            return tuple((t, blockers[t][0]) for t in best)
    return ()


def _shortest_path_back(graph: Mapping[str, list[str]], start: str) -> list[str] | None:
    """Breadth-first: the shortest list of nodes from ``start`` whose last
    node has an edge back to ``start``."""
    parents: dict[str, str | None] = {start: None}
    frontier = [start]
    while frontier:
        nxt = []
        for node in frontier:
            for succ in graph.get(node, ()):
                if succ == start:
                    path = [node]
                    while parents[path[-1]] is not None:
                        path.append(parents[path[-1]])  # type: ignore[arg-type]
                    return path[::-1]
                if succ not in parents and succ in graph:
                    parents[succ] = node
                    nxt.append(succ)
        frontier = nxt
    return None


def format_cycle(cycle: Iterable[tuple[str, str]]) -> str:
    """``a -> lock second -> b -> lock first -> a``."""
    pairs = list(cycle)
    if not pairs:
        return ""
    return " -> ".join(f"{t} -> {r}" for t, r in pairs) + f" -> {pairs[0][0]}"


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
