"""Footprints: what one transition touched, and when two transitions conflict.

Every effect a transition has on shared state is an ``Access`` to a
*location*: an attribute of a shared object, or a field of a primitive's
internal state (a lock's ``state``, an event's ``flag``, a thread's ``state``,
``stdout``'s ``text``, the virtual ``clock``'s ``now``).  Primitives express
their synchronisation as reads and writes of such fields, so one rule decides
dependency for everything:

    two accesses conflict iff they touch the same location and at least one
    of them writes it.

``dependent`` is the single place this is decided; DPOR, race reports and the
graphs all call it.  Accesses are plain data (ints and strings) so traces can
be stored, compared and rendered without the runtime.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

READ = "r"
WRITE = "w"


class Access(NamedTuple):
    """One read or write of one location (a named tuple: the runtime builds
    one per access of every step, so it must be cheap; ``_asdict()`` gives
    its fields by name).

    ``obj`` is the object's creation index within the execution (stable across
    replays of a deterministic model), ``label`` its display name, ``field``
    the attribute or internal field, ``value`` the ``repr`` of the value read
    or written, ``line`` the model source line that made the access (or None),
    ``sync`` whether the location is a primitive's internal state rather than
    a shared object's attribute (for display only: dependency ignores it).
    """

    obj: int
    label: str
    field: str
    kind: str
    value: str = ""
    line: int | None = None
    sync: bool = False

    @property
    def location(self) -> tuple[int, str]:
        return (self.obj, self.field)

    def conflicts_with(self, other: Access) -> bool:
        return self.obj == other.obj and self.field == other.field and WRITE in (self.kind, other.kind)

    def describe(self) -> str:
        verb = "read" if self.kind == READ else "write"
        target = f"{self.label}.{self.field}"
        return f"{verb} {target} = {self.value}" if self.value else f"{verb} {target}"


_INTERNED: dict[frozenset, frozenset] = {}
_INTERNED_MAX = 100_000


def interned(s: frozenset) -> frozenset:
    """One shared object for each distinct set (equal sets are
    interchangeable): the steps of a long execution repeat a few location
    sets, and an explorer keeps one per step.  The table is emptied when
    it reaches ``_INTERNED_MAX`` sets, so it never grows without bound."""
    found = _INTERNED.get(s)
    if found is None:
        if len(_INTERNED) >= _INTERNED_MAX:
            _INTERNED.clear()
        _INTERNED[s] = found = s
    return found


class Footprint:
    """A transition's footprint precomputed for repeated dependency tests:
    the set of locations it reads and the set it writes.

    ``conflicts`` is the rule of this module (same location, at least one
    write) applied to the two sets; explorers that test the same transitions
    many times (DPOR) build one ``Footprint`` per transition instead of
    rescanning its accesses.  ``sync_writes`` tells whether the transition
    wrote some primitive's internal state (a lock, an event, a thread's
    state, stdout, the clock).
    """

    __slots__ = ("reads", "writes", "sync_writes")

    def __init__(self, accesses: Iterable[Access] = ()):
        reads: set[tuple[int, str]] = set()
        writes: set[tuple[int, str]] = set()
        sync_writes = False
        for x in accesses:
            if x.kind == WRITE:
                writes.add((x.obj, x.field))
                sync_writes = sync_writes or x.sync
            else:
                reads.add((x.obj, x.field))
        self.reads = interned(frozenset(reads - writes))  # a location both read and written counts as written
        self.writes = interned(frozenset(writes))
        self.sync_writes = sync_writes

    def conflicts(self, other: Footprint) -> bool:
        w = self.writes
        return bool(w and (not w.isdisjoint(other.writes) or not w.isdisjoint(other.reads))) or bool(
            other.writes and not other.writes.isdisjoint(self.reads)
        )


def dependent(a: Iterable[Access], b: Iterable[Access]) -> bool:
    """True when some access of ``a`` conflicts with some access of ``b``.

    Transitions of the same thread are always ordered by program order; that
    is the caller's business, not this function's.
    """
    return Footprint(a).conflicts(Footprint(b))


def conflicting_pairs(a: Iterable[Access], b: Iterable[Access]) -> list[tuple[Access, Access]]:
    """Every (x, y) with x in ``a``, y in ``b`` that conflict, in order."""
    bs = list(b)
    return [(x, y) for x in a for y in bs if x.conflicts_with(y)]
