"""Linearizability test cases drawn by hypothesis instead of enumerated.

``@linearizability(..., samples=N, seed=S)`` asks for this: instead of
every case within the bounds (which grows as ``(c^0+...+c^k)^t / t!``),
hypothesis draws ``N`` cases -- for each thread up to ``operations`` calls,
each call one of the ``@operation`` methods with its arguments drawn from
the *whole* strategy it was given (a list of values is sampled from) --
plus ``init``/``post`` calls.  The draw is reproducible: the same ``seed``
gives the same cases in the same order, so replay strings stay valid.

The drawn cases are made canonical (threads are interchangeable: sequences
sorted, empty ones dropped), deduplicated, and ordered smallest first --
fewest calls, then fewest threads, then the shortest arguments (the length
of their reprs, hypothesis's own notion of "simpler" for numbers and
text) -- so the failure a search reports is the smallest failing case
*among those drawn*.  ``shrink_case`` then shrinks it with hypothesis's own
shrinker, each candidate decided by a callback (the check layer's exhaustive
DPOR search: ``checker.check.linearizability_shrink``), and ``parse_case``
reads a case back from its text (the ``case=`` parameter that pins a
scenario to one case).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Call = tuple[str, tuple[Any, ...]]


def _strategy(given: Any) -> Any:
    from hypothesis import strategies as st

    if hasattr(given, "example") and hasattr(given, "map"):
        return given
    return st.sampled_from(list(given))


def _call_strategy(operations: Mapping[str, Mapping[str, Any]]) -> Any:
    from hypothesis import strategies as st

    return st.one_of([st.tuples(st.just(name), st.tuples(*(_strategy(g) for g in args.values())))
                      for name, args in operations.items()])


def _case_strategy(operations: Mapping[str, Mapping[str, Any]], threads: int, per_thread: int, init: int,
                   post: int) -> Any:
    from hypothesis import strategies as st

    call = _call_strategy(operations)
    return st.tuples(st.lists(call, min_size=init, max_size=init),
                     st.lists(st.lists(call, max_size=per_thread), min_size=threads, max_size=threads),
                     st.lists(call, min_size=post, max_size=post))


def _canonical(c: tuple) -> tuple | None:
    before, parallel, after = c
    parallel = tuple(sorted((tuple(s) for s in parallel if s), key=repr))
    return (tuple(before), parallel, tuple(after)) if parallel else None


def _draw_settings(samples: int, seed: int, shrink: bool) -> Callable[[Callable], Callable]:
    from hypothesis import HealthCheck, Phase, Verbosity, settings
    from hypothesis import seed as with_seed

    phases = [Phase.generate, Phase.shrink] if shrink else [Phase.generate]
    configured = settings(max_examples=samples, database=None, phases=phases, deadline=None,
                          suppress_health_check=list(HealthCheck), verbosity=Verbosity.quiet,
                          report_multiple_bugs=False)
    return lambda test: with_seed(seed)(configured(test))


def sample_cases(operations: Mapping[str, Mapping[str, Any]], threads: int, per_thread: int, init: int,
                 post: int, samples: int, seed: int) -> list[tuple]:
    """``samples`` drawn cases ``(init calls, per-thread sequences, post
    calls)``, canonical, distinct, smallest first (see the module
    docstring).  ``operations``: per operation name, its arguments' given
    values (lists or strategies), in signature order."""
    from hypothesis import given

    drawn: dict[str, tuple] = {}

    @_draw_settings(samples, seed, shrink=False)
    @given(_case_strategy(operations, threads, per_thread, init, post))
    def draw(c: tuple) -> None:
        found = _canonical(c)
        if found is not None:
            drawn.setdefault(repr(found), found)

    draw()
    return sorted(drawn.values(), key=_size)


class _Fails(Exception):
    pass


def shrink_case(operations: Mapping[str, Mapping[str, Any]], threads: int, per_thread: int, init: int, post: int,
                samples: int, seed: int, target: tuple, fails: Callable[[tuple], bool | None]) -> tuple:
    """The smallest failing case hypothesis's shrinker reaches from
    ``target``, a failing case of the draw ``sample_cases`` made with the
    same arguments.  The draw is replayed (same seed, same strategy) with a
    test that fails on ``target`` without checking it; hypothesis then
    shrinks that example -- fewer calls (its lists lose elements: dropped
    calls, emptied threads), earlier operations, simpler arguments (toward
    each strategy's simplest values, within its bounds) -- asking
    ``fails(case)`` about each new canonical candidate (True: it fails the
    same way; None: the budget is spent, stop checking).  Returns the
    smallest failing case seen (``_size`` order), ``target`` at worst."""
    from hypothesis import given

    known: dict[str, bool] = {repr(target): True}
    spent = False

    @_draw_settings(samples, seed, shrink=True)
    @given(_case_strategy(operations, threads, per_thread, init, post))
    def replay(c: tuple) -> None:
        nonlocal spent
        found = _canonical(c)
        if found is None:
            return
        text = repr(found)
        if text not in known and not spent:
            verdict = fails(found)
            spent = verdict is None
            known[text] = bool(verdict)
        if known.get(text):
            best.append(found)
            raise _Fails

    best: list[tuple] = [target]
    try:
        replay()
    except _Fails:
        pass
    return min(best, key=_size)


def _size(case: tuple) -> tuple:
    before, parallel, after = case
    every = [*before, *(c for s in parallel for c in s), *after]
    return (len(every), len(parallel), sum(len(repr(a)) for _, args in every for a in args), repr(case))


def parse_case(text: str) -> tuple:
    """A case from its text as traces show it (``Case.__repr__``:
    ``<init: put(1) | t1: get(); get() | t2: put(2)>``), for the ``case=``
    parameter; arguments must be Python literals.  ValueError if it is not
    one."""
    import ast

    inner = text.strip()
    if not (inner.startswith("<") and inner.endswith(">")):
        raise ValueError("a case is written <t1: call(); call() | t2: call()>")
    before: list = []
    parallel: list = []
    after: list = []
    for part in _split(inner[1:-1], "|"):
        label, _, calls = part.partition(":")
        label = label.strip()
        target = {"init": before, "post": after}.get(label)
        if target is None:
            if not (label.startswith("t") and label[1:].isdigit()):
                raise ValueError(f"{label!r} is not init, post or a thread t1, t2, ...")
            parallel.append(target := [])
        for call in _split(calls, ";"):
            node = ast.parse(call.strip(), mode="eval").body
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name) or node.keywords:
                raise ValueError(f"{call.strip()!r} is not a call name(arguments)")
            target.append((node.func.id, tuple(ast.literal_eval(a) for a in node.args)))
    if not any(parallel):
        raise ValueError("a case needs a thread with a call")
    return (tuple(before), tuple(tuple(s) for s in parallel if s), tuple(after))


def _split(text: str, separator: str) -> list[str]:
    """``text`` split at ``separator`` outside brackets and string literals."""
    import io
    import tokenize

    cuts, depth = [], 0
    lines = text.splitlines(keepends=True) or [""]
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type == tokenize.OP and tok.string in "([{":
            depth += 1
        elif tok.type == tokenize.OP and tok.string in ")]}":
            depth -= 1
        elif tok.type == tokenize.OP and tok.string == separator and depth == 0:
            cuts.append(offsets[tok.start[0] - 1] + tok.start[1])
    pieces = [text[a + (a > 0): b] for a, b in zip([0, *cuts], [*cuts, len(text)])]
    return [p for p in pieces if p.strip()]
