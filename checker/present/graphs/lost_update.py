"""Lost updates in one trace: the read-modify-write pattern gone wrong.

A *lost update* on a shared location L is three accesses:

    stale read     thread T reads L                      (value v)
    lost write     another thread U writes L afterwards   (its update)
    stale write    T writes L, computed from its read     (overwrites U's)

where T's read is its latest read of L before the stale write and T did not
write L in between (a read-modify-write), and U's write falls between the
two.  U's own read of L before its write, when it saw the same value v, is
the "other read of the same value": with the stale read it shows that both
threads started from v.

Only shared (non-sync) accesses are considered; which accesses conflict is
decided by ``Access.conflicts_with`` (``checker.program.footprint``), so this
module adds no rule of its own about dependency.  Works on plain trace data.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...program.footprint import READ, WRITE, Access
from ...runtime.trace import Trace


@dataclass(frozen=True)
class LostUpdate:
    """Step indices (``TraceEvent.index``) of one lost update on ``location``.

    ``other_read`` is None when the overwritten thread read no equal value
    before its write (it may have written without reading).
    """

    location: tuple[int, str]
    label: str
    stale_read: int
    lost_write: int
    stale_write: int
    other_read: int | None

    @property
    def steps(self) -> tuple[int, ...]:
        return tuple(s for s in (self.stale_read, self.other_read, self.lost_write, self.stale_write) if s is not None)


def _shared(accesses: tuple[Access, ...]) -> list[Access]:
    return [a for a in accesses if not a.sync]


def find_lost_updates(trace: Trace) -> list[LostUpdate]:
    """Every lost update in ``trace``, in the order of their stale writes.

    For each stale write only the latest overwritten write is reported (the
    one whose effect the stale write destroys directly).
    """
    # per location: the shared accesses in trace order as (step, thread, access)
    history: dict[tuple[int, str], list[tuple[int, int, Access]]] = {}
    for ev in trace.events:
        if ev.is_tick:
            continue
        for a in _shared(ev.accesses):
            history.setdefault(a.location, []).append((ev.index, ev.thread, a))
    found: list[LostUpdate] = []
    for location, accesses in history.items():
        for k, (step, _thread, access) in enumerate(accesses):
            if access.kind != WRITE:
                continue
            hit = _lost_update_at(accesses, k)
            if hit is not None:
                read_k, lost_k = hit
                other = _other_read(accesses, lost_k, accesses[read_k][2])
                found.append(LostUpdate(
                    location, f"{access.label}.{access.field}", accesses[read_k][0], accesses[lost_k][0], step,
                    None if other is None else accesses[other][0],
                ))
    found.sort(key=lambda u: u.stale_write)
    return found


def _lost_update_at(accesses: list[tuple[int, int, Access]], k: int) -> tuple[int, int] | None:
    """(stale read, lost write) positions when the write at ``k`` is stale."""
    step, thread, write = accesses[k]
    lost: int | None = None
    for j in range(k - 1, -1, -1):
        s, t, a = accesses[j]
        if t == thread:
            if a.kind == WRITE or s == step:
                return None  # T wrote L itself since (or in this very step): not a read-modify-write
            if a.kind == READ and write.conflicts_with(a):
                return (j, lost) if lost is not None else None
        elif a.kind == WRITE and lost is None and write.conflicts_with(a):
            lost = j
    return None


def _other_read(accesses: list[tuple[int, int, Access]], lost_k: int, stale: Access) -> int | None:
    """The overwritten thread's latest read of L before its write, if it
    read the same value as the stale read."""
    _, thread, write = accesses[lost_k]
    for j in range(lost_k - 1, -1, -1):
        _, t, a = accesses[j]
        if t != thread:
            continue
        if a.kind == WRITE:
            return None
        if a.kind == READ and write.conflicts_with(a):
            return j if a.value == stale.value else None
    return None
