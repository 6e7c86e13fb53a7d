"""Race analysis of one explored execution: what Optimal DPOR must reverse.

Given the events of an execution E and what was enabled (and alive) in each
of its states, ``reversals`` returns pairs ``(i, v)``: "at the state before
event i, the sequence v must be explored (unless already covered)".  These
come from four sources:

1. **Races** (Abdulla, Aronis, Jonsson, Sagonas, "Source Sets: A Foundation
   for Optimal Dynamic Partial Order Reduction", JACM 64(4) 2017, section 5;
   first published as "Optimal DPOR", POPL 2014): e <. e' when e happens
   before e', they are dependent, of different threads, and no event lies
   between them in happens-before.  ``v = notdep(e, E) . e'``: the events
   after e that do not happen after it, then e'.  A race is skipped when e'
   provably cannot run at that point (it is enabled there only through e:
   e' completes a blocking operation whose condition e wrote, and e''s
   thread was blocked before e); when that cannot be decided from E the
   sequence is inserted and the explorer drops it if it turns out not to be
   executable.
2. **Blocking** (the "failed attempt" of a blocked operation, cf. the lock
   races of Nidhugg and Jonsson, Lang, Sagonas, "Awaiting for Godot",
   FMCAD 2022): when a thread p is blocked, its operation *read* a location
   whose last writer w blocked it; the alternative is p's operation before
   w.  If w is the step right before p became blocked, p was enabled before
   w and ``v = p``.  If p issued the operation into an already blocked state,
   every writer w of the operation's locations that does not happen before
   p's issuing step is a candidate (``v = notdep(w, E) . p``).  An operation
   that never ran in E has unknown locations: every step that wrote a
   primitive's state is a candidate.  The same "disabled" rule applies to
   the clock tick in any-delay timing, which a step can disable by
   completing the last operation with a deadline.
3. **Alternatives** of ``choose``: every other alternative enabled where one
   was taken.
4. **Early ends**: a failing step (or the last non-daemon thread finishing
   while daemon threads still could run) ends the execution, so every other
   choice enabled before it is a pending event that races with it.

Happens-before is computed with vector clocks over the dependency relation
of ``events.Dependence``, **incrementally along the exploration stack**
(``HappensBefore``): the explorer truncates it to the prefix a new execution
shares with the previous one and appends only the new events, so the clocks
of the replayed prefix are never recomputed.

Only reversals that involve a new event are derived (``reversals(new_from)``):
a race is analysed once, in the execution where its later event first ran
(as in Nidhugg's implementation of Optimal DPOR).  The replayed prefix is
checked to be identical, step for step (footprints included), to the run it
was recorded from, so a race with both events in it was found then, at a
state that is still on the stack, and its sequence inserted (or found
covered) there.  Precisely, a candidate is skipped when the event it
reverses *to* is in the prefix: a race's later event, a blocked thread's
operation that ran in the prefix, a ``choose`` alternative or a disabled
tick at a prefix state.  Blocked operations that ran only in the new part,
or never ran, are analysed again.  When the dependency relation changes
(``Dependence.learn``: an invariant or a daemon thread first seen), the
explorer analyses the whole execution again.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable

from ..program.footprint import interned
from ..runtime.schedule import TICK, Choice
from .events import Dependence, Event


def _join(a: list[int], b: list[int]) -> list[int]:
    if len(a) < len(b):
        a, b = b, a
    out = a.copy()
    for k, x in enumerate(b):
        if x > out[k]:
            out[k] = x
    return out


class HappensBefore:
    """Vector clocks of the events of the current execution, kept as a stack.

    ``append(e)`` adds the next event; ``truncate(n)`` drops every event from
    index n on (undoing its bookkeeping), so an explorer that backtracks
    keeps the clocks of the prefix it replays.  Slot 0 is the clock tick,
    slot t+1 thread t.  ``preds[i]`` are the direct happens-before
    predecessors of event i (same thread, last barrier, last conflicting
    accesses; with ``dep.writers_conflict`` the last writer), sorted.
    ``dep`` must not change while events are kept (``truncate(0)`` first).
    """

    def __init__(self, dep: Dependence):
        self.dep = dep
        self.events: list[Event] = []
        self.slot: list[int] = []
        self.pos: list[int] = []
        self.vc: list[list[int]] = []
        self.preds: list[list[int]] = []
        self.barrier: list[bool] = []
        self.of_thread: dict[int, list[int]] = {}  # slot -> indices of its events
        self.writes: dict = {}  # location -> indices of (non-barrier) events writing it
        self.reads: dict = {}  # location -> indices of (non-barrier) events reading it
        self.writers: list[int] = []  # non-barrier events that write anything
        self.barriers: list[int] = []

    def __len__(self) -> int:
        return len(self.events)

    def truncate(self, n: int) -> None:
        for i in range(len(self.events) - 1, n - 1, -1):
            e = self.events[i]
            self.of_thread[self.slot[i]].pop()
            if self.barrier[i]:
                self.barriers.pop()
            else:
                for loc in e.fp.reads:
                    self.reads[loc].pop()
                for loc in e.fp.writes:
                    self.writes[loc].pop()
                if e.fp.writes:
                    self.writers.pop()
        for seq in (self.events, self.slot, self.pos, self.vc, self.preds, self.barrier):
            del seq[n:]

    def append(self, e: Event) -> None:
        i = len(self.events)
        s = e.thread + 1  # the tick (thread -1) is slot 0
        mine = self.of_thread.setdefault(s, [])
        preds = set()
        if mine:
            preds.add(mine[-1])
        if self.barriers:
            preds.add(self.barriers[-1])
        barrier = self.dep.is_barrier(e)
        if barrier:
            preds.update(idx[-1] for idx in self.of_thread.values() if idx)
        else:
            writes, reads = self.writes, self.reads
            for loc in e.fp.reads:
                w = writes.get(loc)
                if w:
                    preds.add(w[-1])
            for loc in e.fp.writes:
                w = writes.get(loc)
                last = -1
                if w:
                    last = w[-1]
                    preds.add(last)
                r = reads.get(loc)
                if r:
                    for k in reversed(r):
                        if k <= last:
                            break
                        preds.add(k)
            if self.dep.writers_conflict and e.fp.writes and self.writers:
                preds.add(self.writers[-1])
        vc: list[int] = []
        for p in preds:
            vc = _join(vc, self.vc[p])
        if len(vc) <= s:
            vc.extend([0] * (s + 1 - len(vc)))
        vc[s] = len(mine) + 1
        self.events.append(e)
        self.slot.append(s)
        self.pos.append(len(mine) + 1)
        self.vc.append(vc)
        self.preds.append(sorted(preds))
        self.barrier.append(barrier)
        mine.append(i)
        if barrier:
            self.barriers.append(i)
            return
        for loc in e.fp.reads:
            self.reads.setdefault(loc, []).append(i)
        for loc in e.fp.writes:
            self.writes.setdefault(loc, []).append(i)
        if e.fp.writes:
            self.writers.append(i)

    def hb(self, j: int, i: int) -> bool:
        """Event j happens before event i (j < i)."""
        if j >= i:
            return False
        vc, s = self.vc[i], self.slot[j]
        return s < len(vc) and vc[s] >= self.pos[j]

    def next_of_thread(self, t: int, k: int) -> int | None:
        """Index of thread t's first event at or after k, or None."""
        idx = self.of_thread.get(t + 1)
        if not idx:
            return None
        n = bisect_left(idx, k)
        return idx[n] if n < len(idx) else None

    def previous_of_thread(self, j: int) -> int | None:
        idx = self.of_thread[self.slot[j]]
        n = bisect_left(idx, j)
        return idx[n - 1] if n > 0 else None


def blocked_threads(enabled: tuple[Choice, ...], live: frozenset[int]) -> frozenset[int]:
    """The live threads without an enabled choice in a state."""
    return interned(live.difference([c[0] for c in enabled]))


class Execution_:
    """The facts about one explored execution that race analysis needs.

    ``hb`` holds the execution's events and their clocks (its ``dep`` is the
    dependency relation); ``enabled[k]`` and ``live[k]`` are the choices
    available and the unfinished started threads in the state before step k
    (k == len(events): the final state); ``failed`` tells whether the last
    step ended the execution early (a failure other than deadlock, or daemon
    threads left running); ``ideal`` whether timing is ideal.
    """

    def __init__(self, hb: HappensBefore, enabled, live, failed: bool, ideal: bool, blocked=None):
        self.clocks = hb
        self.events: list[Event] = hb.events
        self.enabled: list[tuple[Choice, ...]] = enabled
        self.live: list[frozenset[int]] = live
        # blocked[k]: live threads with no enabled choice in state k (computed here when not given)
        self.blocked: list[frozenset[int]] = blocked if blocked is not None else [
            blocked_threads(e, lv) for e, lv in zip(enabled, live)
        ]
        self.failed = failed
        self.ideal = ideal
        self.dep = hb.dep
        self.preds = hb.preds
        self.hb = hb.hb

    def notdep(self, i: int) -> list[Event]:
        """The events after event i that do not happen after it, in order."""
        c = self.clocks
        s, p, vc, events = c.slot[i], c.pos[i], c.vc, self.events
        return [events[j] for j in range(i + 1, len(events)) if not (s < len(vc[j]) and vc[j][s] >= p)]

    # -- what to reverse --------------------------------------------------
    def reversals(self, new_from: int = 0) -> Iterable[tuple[int, list[Event]]]:
        """The sequences to insert, skipping those that involve only the
        first ``new_from`` events (analysed when they were new; see the
        module docstring)."""
        yield from self._races(new_from)
        yield from self._blocking(new_from)
        yield from self._alternatives(new_from)
        if self.failed and self.events:
            yield from self._failure()

    def _races(self, new_from: int):
        events, dep = self.events, self.dep
        for j in range(new_from, len(events)):
            e2 = events[j]
            preds = self.preds[j]
            for i in preds:
                e1 = events[i]
                if e1.thread == e2.thread or not dep(e1, e2):
                    continue
                if any(x != i and (self.hb(i, x)) for x in preds):
                    continue  # not immediate: something lies between
                between = self.notdep(i)
                if self._reversible(i, j, not between) is False:
                    continue
                yield i, between + [e2]

    def _reversible(self, i: int, j: int, at_observed_state: bool) -> bool | None:
        """Can e2 (event j) run before e1 (event i)?  True, False, or None
        when only running it will tell.  ``at_observed_state``: notdep(e1)
        is empty, so e2 would run in the very state E had before e1."""
        e1, e2 = self.events[i], self.events[j]
        if at_observed_state:
            return e2.choice in self.enabled[i]
        if e1.thread < 0 or e2.thread < 0:
            # ideal timing: a tick happens exactly when every thread is blocked
            return False if self.ideal else None
        if e1.fp.writes.isdisjoint(e2.op_locs):
            return True  # e2's enabling condition does not involve e1
        prev = self.clocks.previous_of_thread(j)
        if prev is None:
            return False  # e1 started e2's thread
        if prev < i:
            return e2.choice in self.enabled[i]  # e2's operation was already pending
        return None

    def _op_event(self, p: int, k: int) -> tuple[int | None, Event]:
        """Thread p's next event from state k on, and its index (None, and
        an unknown event, if it never ran)."""
        idx = self.clocks.next_of_thread(p, k)
        if idx is None:
            return None, Event.unknown((p, 0))
        return idx, self.events[idx]

    def _blocking(self, new_from: int):
        n = len(self.events)
        last = n if not self.failed else n - 1
        blocked = self.blocked
        for k in range(1, last + 1):
            if blocked[k] is blocked[k - 1] or blocked[k] <= blocked[k - 1]:
                newly = ()
            else:
                newly = sorted(blocked[k] - blocked[k - 1])
            x = self.events[k - 1]
            for p in newly:
                if p not in self.live[k - 1]:
                    continue
                at, op = self._op_event(p, k)
                if at is not None and at < new_from:
                    continue  # the operation ran in the prefix: analysed then
                if x.thread != p:
                    if (p, 0) in self.enabled[k - 1]:
                        yield k - 1, [op]
                else:
                    yield from self._writers_before(p, k - 1, op)
            if (k - 1 >= new_from and not self.ideal and TICK in self.enabled[k - 1]
                    and TICK not in self.enabled[k] and x.thread >= 0):
                yield k - 1, [Event(TICK, barrier=True)]

    def _writers_before(self, p: int, issue: int, op: Event):
        """Candidates for an operation issued (by event ``issue``) into an
        already blocked state."""
        locs = None if op.barrier and op.signature is None else op.op_locs
        for w in range(issue - 1, -1, -1):
            ew = self.events[w]
            if ew.thread == p or ew.thread < 0:
                continue
            if locs is not None:
                if ew.fp.writes.isdisjoint(locs):
                    continue
            elif not ew.fp.sync_writes:
                continue
            if self.hb(w, issue):
                if locs is not None and len(locs) == 1:
                    break  # earlier writers of the one location happen before this one
                continue
            yield w, self.notdep(w) + [op]

    def _alternatives(self, new_from: int):
        for k in range(new_from, len(self.events)):
            e = self.events[k]
            if e.thread < 0:
                continue
            for c in self.enabled[k]:
                if c[0] == e.thread and c != e.choice:
                    yield k, [Event.unknown(c)]

    def _failure(self):
        k = len(self.events) - 1
        f = self.events[k]
        for c in self.enabled[k]:
            if c[0] != f.thread:
                yield k, [Event.unknown(c)]
