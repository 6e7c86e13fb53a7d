"""Deciding whether one concurrent history is linearizable.

A *history* is what one execution of a linearizability scenario did: for
each operation, the thread, the call, the result, and two positions in one
global order -- its invocation and its response.  It is **linearizable**
(Herlihy & Wing, TOPLAS 1990) when the operations can be put in one
sequential order that

* respects real time: if A's response comes before B's invocation, A comes
  before B, and
* gives every operation the result it had, when the calls are replayed in
  that order on a fresh sequential specification object.

``linearize`` searches for such an order the way Wing & Gong (JPDC 1993)
do -- repeatedly pick a *minimal* operation (one that no other pending
operation's response precedes), apply it to the specification, backtrack on
a mismatch -- with Lowe's memoisation (Lowe, "Testing for linearizability",
CCPE 2017): a (set of linearized operations, specification state) pair seen
once is never searched again, which keeps the search polynomial on the
histories of small tests.  The specification state is keyed by its pickle;
two equal states that pickle differently only cost a repeated search, never
a wrong answer.

Results are compared with ``==``.  The specification must not raise: a
specification that raises is the user's mistake and is reported as such
(``SpecError``).
"""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Op:
    """One completed operation of a history."""

    thread: str
    name: str
    args: tuple[Any, ...]
    result: Any
    invoked: int  # position of the invocation in the execution's order of events
    responded: int  # position of the response (> invoked)

    def call(self) -> str:
        return f"{self.name}({', '.join(map(repr, self.args))})"


class SpecError(Exception):
    """The sequential specification raised on a call (``call``, ``error``)."""

    def __init__(self, call: str, error: BaseException):
        super().__init__(f"the specification raised {type(error).__name__}: {error} on {call}")
        self.call, self.error = call, error


@dataclass(frozen=True)
class Attempt:
    """A sequential order that came closest: ``order`` ran with the right
    results, then ``failed`` would have returned ``expected`` (the
    specification's result) but returned ``failed.result``."""

    order: tuple[Op, ...]
    failed: Op
    expected: Any


@dataclass(frozen=True)
class Verdict:
    """``order`` is a witness when linearizable; otherwise ``closest`` are
    the longest orders tried, each with the call that broke it.
    ``searched``: how many (linearized set, specification state) pairs the
    search expanded (the memo's size; a measure of its cost).  ``key``:
    for a history decided key by key (``linearize_keyed``), ``(k,)`` when
    the sub-history of key ``k`` failed; ``()`` otherwise."""

    linearizable: bool
    order: tuple[Op, ...] = ()
    closest: tuple[Attempt, ...] = ()
    searched: int = 0
    key: tuple[Any, ...] = ()


def canonical(ops: Sequence[Op], threads: Sequence[str]) -> list[Op]:
    """``ops`` renumbered so that executions DPOR treats as equivalent get
    the same numbers.  Only the order of a response and an invocation on
    different threads (the real-time order) and the order within a thread
    are fixed by the execution; invocations (or responses) of different
    threads may come in either order.  The events are numbered by a
    topological sort of exactly those constraints, ties going to the thread
    listed first in ``threads``.  Linearizability depends only on those
    constraints, so the verdict does not change; the numbers (and the
    message built from them) stop depending on the representative."""
    events = [(o.invoked, "inv", i) for i, o in enumerate(ops)] + [(o.responded, "res", i) for i, o in enumerate(ops)]
    events.sort()
    rank = {t: k for k, t in enumerate(threads)}
    before: dict[int, set[int]] = {e: set() for e in range(len(events))}
    for a, (_, kind_a, i) in enumerate(events):
        for b in range(a + 1, len(events)):
            _, kind_b, j = events[b]
            same_thread = ops[i].thread == ops[j].thread
            if same_thread or kind_a != kind_b:
                before[b].add(a)
    numbers: dict[tuple[str, int], int] = {}
    placed: set[int] = set()
    while len(placed) < len(events):
        ready = [e for e in range(len(events)) if e not in placed and before[e] <= placed]
        e = min(ready, key=lambda e: (rank.get(ops[events[e][2]].thread, len(rank)), events[e][1] == "res"))
        placed.add(e)
        numbers[(events[e][1], events[e][2])] = len(placed)
    return [Op(o.thread, o.name, o.args, o.result, numbers[("inv", i)], numbers[("res", i)])
            for i, o in enumerate(ops)]


def _key(spec: Any) -> bytes | None:
    try:
        return pickle.dumps(spec.__dict__ if hasattr(spec, "__dict__") else spec)
    except Exception:  # an unpicklable state: no memoisation for it
        return None


def _apply(spec: Any, op: Op) -> tuple[Any, Any]:
    """(the specification after ``op``, the result it returns)."""
    after = copy.deepcopy(spec)
    try:
        return after, getattr(after, op.name)(*op.args)
    except Exception as error:
        raise SpecError(op.call(), error) from None


def linearize(ops: Sequence[Op], make_spec: Callable[[], Any], keep: int = 3) -> Verdict:
    """Decide whether ``ops`` (every operation of one history) is
    linearizable against fresh ``make_spec()`` objects; see the module
    docstring.  ``keep``: how many closest attempts a failing verdict lists
    (``Closest``)."""
    ops = sorted(ops, key=lambda o: o.invoked)
    n = len(ops)
    seen: set[tuple[int, bytes]] = set()
    expanded = 0
    closest = Closest(keep)
    order: list[Op] = []

    def minimal(done: int) -> list[int]:
        pending = [i for i in range(n) if not done >> i & 1]
        first_response = min(ops[i].responded for i in pending)
        return [i for i in pending if ops[i].invoked < first_response]

    def search(done: int, spec: Any) -> bool:
        nonlocal expanded
        if done == (1 << n) - 1:
            return True
        key = _key(spec)
        if key is not None:
            if (done, key) in seen:
                return False
            seen.add((done, key))
        expanded += 1
        for i in minimal(done):
            op = ops[i]
            after, expected = _apply(spec, op)
            if expected != op.result:
                closest.offer(done, order, op, expected)
                continue
            order.append(op)
            if search(done | 1 << i, after):
                return True
            order.pop()
        return False

    if search(0, make_spec()):
        return Verdict(True, tuple(order), searched=expanded)
    return Verdict(False, closest=closest.attempts(), searched=expanded)


class Closest:
    """The ``keep`` failed attempts that got furthest (most calls placed
    before the call whose result the specification contradicts), first
    found first among equals.  Two attempts that placed the same *set* of
    calls and then broke on the same call with the same expected result
    are one (``t1.inc(), t2.inc()`` and ``t2.inc(), t1.inc()`` before a
    wrong ``get``): only the first is kept.  An order that reaches an
    already-searched (set, state) pair is not searched again, but any
    attempt it would give has the set, call and expected result of one
    already offered, so nothing distinct is lost."""

    def __init__(self, keep: int):
        self.keep = keep
        self._kept: list[tuple[int, tuple, Attempt]] = []  # (-placed, identity, attempt), furthest first

    def offer(self, done: int, order: Sequence[Op], failed: Op, expected: Any) -> None:
        placed = len(order)
        if len(self._kept) == self.keep and -self._kept[-1][0] >= placed:
            return  # not further than the last kept (ties: the earlier stays)
        try:
            identity = (done, failed.invoked, expected)
            hash(identity)
        except TypeError:  # an unhashable expected result: compared by repr
            identity = (done, failed.invoked, repr(expected))
        if any(k[1] == identity for k in self._kept):
            return
        at = next((k for k, item in enumerate(self._kept) if -item[0] < placed), len(self._kept))
        self._kept.insert(at, (-placed, identity, Attempt(tuple(order), failed, expected)))
        del self._kept[self.keep:]

    def attempts(self) -> tuple[Attempt, ...]:
        return tuple(a for _, _, a in self._kept)
