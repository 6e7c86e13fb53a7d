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
text) -- so the failure reported is the smallest failing case *among those
drawn*.  It is not shrunk further: a smaller failing case that was not
drawn is not found (exhaustive enumeration within small bounds is what
guarantees a minimal case).
"""

from __future__ import annotations

from collections.abc import Mapping
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


def sample_cases(operations: Mapping[str, Mapping[str, Any]], threads: int, per_thread: int, init: int,
                 post: int, samples: int, seed: int) -> list[tuple]:
    """``samples`` drawn cases ``(init calls, per-thread sequences, post
    calls)``, canonical, distinct, smallest first (see the module
    docstring).  ``operations``: per operation name, its arguments' given
    values (lists or strategies), in signature order."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as with_seed
    from hypothesis import strategies as st

    call = _call_strategy(operations)
    case = st.tuples(st.lists(call, min_size=init, max_size=init),
                     st.lists(st.lists(call, max_size=per_thread), min_size=threads, max_size=threads),
                     st.lists(call, min_size=post, max_size=post))
    drawn: dict[str, tuple] = {}

    @with_seed(seed)
    @settings(max_examples=samples, database=None, phases=[Phase.generate], deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(case)
    def draw(c: tuple) -> None:
        before, parallel, after = c
        parallel = tuple(sorted((tuple(s) for s in parallel if s), key=repr))
        if parallel:
            found = (tuple(before), parallel, tuple(after))
            drawn.setdefault(repr(found), found)

    draw()
    return sorted(drawn.values(), key=_size)


def _size(case: tuple) -> tuple:
    before, parallel, after = case
    every = [*before, *(c for s in parallel for c in s), *after]
    return (len(every), len(parallel), sum(len(repr(a)) for _, args in every for a in args), repr(case))
