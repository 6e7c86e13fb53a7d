"""P-compositionality: deciding a keyed history one key at a time.

Linearizability is *local* (Herlihy & Wing 1990, theorem 1): a history of
several independent objects is linearizable iff the sub-history of each
object is.  Horn & Kroening ("Faster linearizability checking via
P-compositionality", FORTE 2015) apply it inside one object whose
specification is a product of independent parts -- a set or a map is one
part per key: whether ``add(1)`` succeeds never depends on calls on key 2.

``linearize_keyed(ops, make_spec, key_of)`` splits the history by
``key_of(op)`` and decides each sub-history with ``linearize`` on a fresh
specification.  The search of ``k`` keys of ``n/k`` calls each costs about
``k * 2^(n/k)`` (linearized set, state) pairs instead of ``2^n``.

Contract: the *user* promises that the specification is keyed -- every
call touches only its key's part, and the results of calls on one key do
not depend on calls on other keys.  Under that promise the verdict is
exactly the unkeyed one (``tests/test_linearizability_keyed.py`` checks it
on every history of the shipped keyed models).  A specification that is
not keyed (a ``size()``, a capacity shared by every key) can be decided
wrongly either way, which is why the key is declared, never guessed.

A linearizable verdict's ``order`` is one witness for the whole history:
the per-key orders merged in an order that respects real time (one exists,
by locality).  A failing verdict is the first failing key's (keys in the
order their first call was invoked), with ``key`` set.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Hashable, Sequence
from dataclasses import replace
from typing import Any

from .linearize import Op, Verdict, linearize

Decide = Callable[[Sequence[Op], Callable[[], Any]], Verdict]


def partition(ops: Sequence[Op], key_of: Callable[[Op], Hashable]) -> dict[Hashable, list[Op]]:
    """The sub-history of each key, keys in the order of their first
    invocation, calls in invocation order."""
    parts: dict[Hashable, list[Op]] = {}
    for op in sorted(ops, key=lambda o: o.invoked):
        parts.setdefault(key_of(op), []).append(op)
    return parts


def linearize_keyed(ops: Sequence[Op], make_spec: Callable[[], Any], key_of: Callable[[Op], Hashable],
                    decide: Decide = linearize) -> Verdict:
    """Decide ``ops`` key by key (see the module docstring).  ``decide``
    decides one sub-history (``linearize``, or a cached version of it);
    ``searched`` of the result adds up the sub-searches made."""
    verdicts = []
    for key, part in partition(ops, key_of).items():
        verdict = decide(part, make_spec)
        if not verdict.linearizable:
            searched = sum(v.searched for v in verdicts) + verdict.searched
            return replace(verdict, key=(key,), searched=searched)
        verdicts.append(verdict)
    return Verdict(True, merge([v.order for v in verdicts]), searched=sum(v.searched for v in verdicts))


def merge(orders: Sequence[Sequence[Op]]) -> tuple[Op, ...]:
    """One sequential order of all calls that keeps each given order and
    real time (a call whose response precedes another's invocation comes
    first).  Locality guarantees one exists when each order is a
    linearization of its key's sub-history; ties go to the earliest
    invocation."""
    ops = [o for order in orders for o in order]
    after: dict[int, set[int]] = {i: set() for i in range(len(ops))}  # i must come before each of after[i]
    start = 0
    for order in orders:
        for k in range(len(order) - 1):
            after[start + k].add(start + k + 1)
        start += len(order)
    for i, a in enumerate(ops):
        for j, b in enumerate(ops):
            if a.responded < b.invoked:
                after[i].add(j)
    waiting = {i: 0 for i in range(len(ops))}
    for i in after:
        for j in after[i]:
            waiting[j] += 1
    ready = [(ops[i].invoked, i) for i in waiting if waiting[i] == 0]
    heapq.heapify(ready)
    out: list[Op] = []
    while ready:
        _, i = heapq.heappop(ready)
        out.append(ops[i])
        for j in after[i]:
            waiting[j] -= 1
            if waiting[j] == 0:
                heapq.heappush(ready, (ops[j].invoked, j))
    if len(out) != len(ops):
        raise AssertionError("internal error: per-key linearizations that no real-time order merges")
    return tuple(out)
