"""The ``Outcome`` of an execution (checker or real threads) from its objects.

``state`` holds reprs, which equality and hashing use; ``values`` holds the
Python values, copied when the execution ends so that nothing running later
(a generator's ``finally`` run by the garbage collector, the caller mutating
a list) changes them.  Immutable values are not copied; a mutable one is
deep-copied with every checker object of the execution (``Shared`` objects,
primitives, threads) kept as itself, since those cannot be copied and are
only changed inside an execution.  A value ``copy.deepcopy`` refuses is
kept as it is.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from ..program.shared import Shared, data_items, label_of, needs_watch, snapshot
from .trace import Failure, Outcome, location


def outcome_of(objects: Iterable[object], output: str, failure: Failure | None) -> Outcome:
    """The outcome of an execution whose model objects (creation order) are
    ``objects``."""
    objects = list(objects)
    shared = [o for o in objects if isinstance(o, Shared)]
    labels = [label_of(o) for o in shared]
    state = tuple((label, snapshot(o)) for label, o in zip(labels, shared))
    keep: dict[int, Any] | None = None  # id -> checker object, made for the first mutable value
    values: dict[str, Any] = {}
    for label, o in zip(labels, shared):
        for name, value in data_items(o):
            if needs_watch(value):
                if keep is None:
                    keep = {id(x): x for x in objects}
                value = frozen_copy(value, keep)
            values[location(label, name)] = value
    return Outcome(state, output, failure.summary() if failure else None, values)


def frozen_copy(value: Any, keep: dict[int, Any]) -> Any:
    """A deep copy of ``value`` in which the objects of ``keep`` (by id) stay
    themselves; ``value`` itself when it cannot be copied."""
    try:
        return copy.deepcopy(value, dict(keep))
    except Exception:
        return value
