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
of ``events.Dependence``.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..runtime.schedule import TICK, Choice
from .events import Dependence, Event


class Execution_:
    """The facts about one explored execution that race analysis needs.

    ``events[i]`` is the i-th step; ``enabled[k]`` and ``live[k]`` are the
    choices available and the unfinished started threads in the state
    before step k (k == len(events): the final state); ``failed`` tells
    whether the last step ended the execution early (a failure other than
    deadlock, or daemon threads left running); ``ideal`` whether timing is
    ideal.
    """

    def __init__(self, events, enabled, live, failed: bool, ideal: bool, dep: Dependence):
        self.events: list[Event] = events
        self.enabled: list[tuple[Choice, ...]] = enabled
        self.live: list[frozenset[int]] = live
        self.failed = failed
        self.ideal = ideal
        self.dep = dep
        self._clocks()

    # -- happens-before ---------------------------------------------------
    def _clocks(self) -> None:
        events = self.events
        slots = max((e.thread for e in events), default=0) + 2
        self.tick_slot = slots - 1
        self.slot = [e.thread if e.thread >= 0 else self.tick_slot for e in events]
        self.pos: list[int] = []
        self.vc: list[list[int]] = []
        self.preds: list[list[int]] = []  # direct happens-before predecessors
        count = [0] * slots
        last_of: dict[int, int] = {}
        last_write: dict = {}
        reads_since: dict = {}
        last_writer = None  # for the invariant rule: any two writing steps conflict
        last_barrier = None
        wc = self.dep.writers_conflict
        for i, e in enumerate(events):
            s = self.slot[i]
            count[s] += 1
            self.pos.append(count[s])
            preds = set()
            if s in last_of:
                preds.add(last_of[s])
            if last_barrier is not None:
                preds.add(last_barrier)
            barrier = self.dep.is_barrier(e)
            if barrier:
                preds.update(last_of.values())
            else:
                for loc in e.fp.reads:
                    w = last_write.get(loc)
                    if w is not None:
                        preds.add(w)
                for loc in e.fp.writes:
                    w = last_write.get(loc)
                    if w is not None:
                        preds.add(w)
                    preds.update(reads_since.get(loc, ()))
                if wc and e.fp.writes and last_writer is not None:
                    preds.add(last_writer)
            vc = [0] * slots
            for p in preds:
                vc = list(map(max, vc, self.vc[p]))
            vc[s] = count[s]
            self.vc.append(vc)
            self.preds.append(sorted(preds))
            last_of[s] = i
            if barrier:
                last_barrier = i
                continue
            for loc in e.fp.reads:
                reads_since.setdefault(loc, []).append(i)
            for loc in e.fp.writes:
                last_write[loc] = i
                reads_since[loc] = []
            if e.fp.writes:
                last_writer = i

    def hb(self, j: int, i: int) -> bool:
        """Event j happens before event i (j < i)."""
        return j < i and self.vc[i][self.slot[j]] >= self.pos[j]

    def notdep(self, i: int) -> list[Event]:
        return [self.events[j] for j in range(i + 1, len(self.events)) if not self.hb(i, j)]

    # -- what to reverse --------------------------------------------------
    def reversals(self) -> Iterable[tuple[int, list[Event]]]:
        yield from self._races()
        yield from self._blocking()
        yield from self._alternatives()
        if self.failed and self.events:
            yield from self._failure()

    def _races(self):
        events, dep = self.events, self.dep
        for j, e2 in enumerate(events):
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
        prev = self._previous_of_thread(j)
        if prev is None:
            return False  # e1 started e2's thread
        if prev < i:
            return e2.choice in self.enabled[i]  # e2's operation was already pending
        return None

    def _previous_of_thread(self, j: int) -> int | None:
        t = self.events[j].thread
        for k in range(j - 1, -1, -1):
            if self.events[k].thread == t:
                return k
        return None

    def _op_event(self, p: int, k: int) -> Event:
        """Thread p's next event from state k on (unknown if it never ran)."""
        for e in self.events[k:]:
            if e.thread == p:
                return e
        return Event.unknown((p, 0))

    def _blocked(self, k: int) -> set[int]:
        return self.live[k].difference([c[0] for c in self.enabled[k]])

    def _blocking(self):
        n = len(self.events)
        last = n if not self.failed else n - 1
        for k in range(1, last + 1):
            x = self.events[k - 1]
            before = self._blocked(k - 1)
            for p in sorted(self._blocked(k) - before):
                if p not in self.live[k - 1]:
                    continue
                op = self._op_event(p, k)
                if x.thread != p:
                    if (p, 0) in self.enabled[k - 1]:
                        yield k - 1, [op]
                else:
                    yield from self._writers_before(p, k - 1, op)
            if not self.ideal and TICK in self.enabled[k - 1] and TICK not in self.enabled[k] and x.thread >= 0:
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

    def _alternatives(self):
        for k, e in enumerate(self.events):
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
