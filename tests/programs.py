"""Random small step programs for differential testing of reductions.

A program is plain data (``Program``): per worker thread a list of
operations, plus what the main thread does.  ``build`` turns it into a
scenario whose threads are generator closures interpreting the operations,
so hypothesis can generate, shrink and print programs.

Operations (tuples):
  ("yield",)                     end the step
  ("read", attr)                 local = shared.attr
  ("write", attr, k)             shared.attr = local + k
  ("branch", attr, a, b)         write a or b depending on local (data-dependent control flow)
  ("print",)                     print the local value (stdout is shared)
  ("choose", n)                  local = yield choose(range(n))
  ("acquire", lock, timeout)     yield lock.acquire(timeout=...) (-1: no timeout, 0: non-blocking)
  ("release", lock)              release if this thread holds it
  ("set", ev) / ("clear", ev)    event.set() / event.clear()
  ("wait", ev, timeout)          local = yield event.wait(timeout) (None: no timeout)
  ("is_set", ev)                 local = event.is_set()
  ("sleep", t)                   yield sleep(t)
  ("assert", attr, k)            assert shared.attr != k
  ("spin", attr, n)              up to n rounds of: stop if shared.attr is non-zero, else yield
  ("sem_acquire", t) / ("sem_release",)   on a Semaphore(1) (t: -1 no timeout)
  ("cond_wait", t) / ("notify",)          on a Condition (each takes and releases its lock)
  ("put", k) / ("get", t)                 on a Queue(maxsize=1) (Full/Empty caught)

A program may also declare an invariant over the shared attributes and run
some workers as daemon threads.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import strategies as st

from checker import Condition, Empty, Event, Full, Lock, Queue, Semaphore, Shared, Thread, choose, invariant, sleep
from checker.program.scenario import make_scenario

ATTRS = ("x", "y")
BLOCKING = {"acquire", "wait", "sleep", "sem_acquire", "cond_wait", "notify", "put", "get"}


@dataclass(frozen=True)
class Program:
    workers: tuple[tuple[tuple, ...], ...]
    locks: int = 0
    events: int = 0
    join: bool = True  # main joins the workers and prints the final values
    main_ops: tuple[tuple, ...] = field(default=())  # main's own operations between start and join
    extras: bool = False  # a Semaphore, a Condition and a Queue exist
    daemons: tuple[bool, ...] = ()  # per worker: run as a daemon thread
    invariant: bool = False  # declare invariant x - y != 3

    @property
    def blocking(self) -> bool:
        ops = [op for w in self.workers for op in w] + list(self.main_ops)
        return self.join or any(op[0] in BLOCKING for op in ops)


def _run_ops(ops, sh, locks, events, name, extra=None):
    """The generator body shared by workers and main: interpret ``ops``."""
    local = 0
    held = set()
    for op in ops:
        kind = op[0]
        if kind == "yield":
            yield
        elif kind == "read":
            local = getattr(sh, op[1])
        elif kind == "write":
            setattr(sh, op[1], local + op[2])
        elif kind == "branch":
            setattr(sh, op[1], op[2] if local % 2 == 0 else op[3])
        elif kind == "print":
            print(f"{name}:{local}")
        elif kind == "choose":
            local = yield choose(range(op[1]))
        elif kind == "acquire":
            lk = locks[op[1]]
            if op[1] in held:
                continue
            ok = yield (lk.acquire(blocking=False) if op[2] == 0 else lk.acquire(timeout=op[2]))
            if ok:
                held.add(op[1])
        elif kind == "release":
            if op[1] in held:
                held.discard(op[1])
                locks[op[1]].release()
        elif kind == "set":
            events[op[1]].set()
        elif kind == "clear":
            events[op[1]].clear()
        elif kind == "wait":
            local = int((yield events[op[1]].wait(op[2])))
        elif kind == "is_set":
            local = int(events[op[1]].is_set())
        elif kind == "sleep":
            yield sleep(op[1])
        elif kind == "spin":
            for _ in range(op[2]):
                if getattr(sh, op[1]):
                    break
                yield
        elif kind == "sem_acquire":
            sem = extra[0]
            ok = yield (sem.acquire() if op[1] == -1 else sem.acquire(timeout=op[1]))
            local = int(ok)
        elif kind == "sem_release":
            extra[0].release()
        elif kind == "cond_wait":
            cond = extra[1]
            yield cond.acquire()
            local = int((yield cond.wait(None if op[1] == -1 else op[1])))
            cond.release()
        elif kind == "notify":
            cond = extra[1]
            yield cond.acquire()
            cond.notify()
            cond.release()
        elif kind == "put":
            try:
                yield extra[2].put(local + op[1], timeout=1)
            except Full:
                local = -1
        elif kind == "get":
            try:
                local = yield extra[2].get(timeout=None if op[1] == -1 else op[1])
            except Empty:
                local = -1
        elif kind == "assert":
            assert getattr(sh, op[1]) != op[2], f"{name} saw {op[1]}={op[2]}"
    for i in sorted(held):
        locks[i].release()


def build(program: Program, timing: str = "ideal"):
    """A scenario running ``program``."""

    def worker(ops, sh, locks, events, name, extra):
        yield from _run_ops(ops, sh, locks, events, name, extra)

    def body():
        sh = Shared(_name="sh", x=0, y=0)
        locks = [Lock() for _ in range(program.locks)]
        events = [Event() for _ in range(program.events)]
        extra = (Semaphore(1), Condition(Lock()), Queue(maxsize=1)) if program.extras else None
        if program.invariant:
            invariant(lambda: sh.x - sh.y != 3, "x - y != 3")
        daemons = program.daemons or (False,) * len(program.workers)
        threads = [
            Thread(target=worker, name=f"w{i}", args=(ops, sh, locks, events, f"w{i}", extra), daemon=d)
            for (i, ops), d in zip(enumerate(program.workers), daemons)
        ]
        for t in threads:
            t.start()
        if program.main_ops:
            yield  # a failure in the body's first step is a setup error, not an outcome
        yield from _run_ops(program.main_ops, sh, locks, events, "main", extra)
        if program.join:
            for t, d in zip(threads, daemons):
                if not d:
                    yield t.join()
            print(f"final {sh.x} {sh.y}")

    return make_scenario(body, expect="safe", name="generated", timing=timing)


# -- hypothesis strategies -----------------------------------------------------
_attr = st.sampled_from(ATTRS)
_plain_ops = st.one_of(
    st.just(("yield",)),
    st.tuples(st.just("read"), _attr),
    st.tuples(st.just("write"), _attr, st.integers(1, 2)),
    st.tuples(st.just("branch"), _attr, st.integers(3, 4), st.integers(5, 6)),
    st.just(("print",)),
    st.tuples(st.just("choose"), st.integers(2, 3)),
    st.tuples(st.just("assert"), _attr, st.integers(1, 3)),
    st.tuples(st.just("spin"), _attr, st.integers(1, 2)),
)


def _sync_ops(locks: int, events: int, extras: bool = False):
    options = [_plain_ops]
    if extras:
        options += [
            st.tuples(st.just("sem_acquire"), st.sampled_from([-1, 1])),
            st.just(("sem_release",)),
            st.tuples(st.just("cond_wait"), st.sampled_from([-1, 1])),
            st.just(("notify",)),
            st.tuples(st.just("put"), st.integers(1, 2)),
            st.tuples(st.just("get"), st.sampled_from([-1, 1])),
        ]
    if locks:
        lk = st.integers(0, locks - 1)
        options += [
            st.tuples(st.just("acquire"), lk, st.sampled_from([-1, -1, 0, 1])),
            st.tuples(st.just("release"), lk),
        ]
    if events:
        ev = st.integers(0, events - 1)
        options += [
            st.tuples(st.just("set"), ev),
            st.tuples(st.just("clear"), ev),
            st.tuples(st.just("wait"), ev, st.sampled_from([None, 1, 2])),
            st.tuples(st.just("is_set"), ev),
        ]
    options.append(st.tuples(st.just("sleep"), st.sampled_from([1, 2])))
    return st.one_of(*options)


@st.composite
def programs(draw, blocking: bool = True, max_ops: int = 4, extras: bool = False) -> Program:
    """Programs of 2-4 threads (main plus 1-3 workers).  ``blocking=False``:
    only shared reads/writes, prints, choose, asserts and spins, no join.
    ``extras``: also semaphores, conditions, queues, daemon threads and
    invariants."""
    nworkers = draw(st.integers(1, 3))
    per = max(2, max_ops - nworkers + 1)
    if not blocking:
        ops = st.lists(_plain_ops, min_size=1, max_size=per)
        workers = tuple(tuple(draw(ops)) for _ in range(nworkers))
        main_ops = tuple(draw(st.lists(_plain_ops, max_size=2)))
        return Program(workers, 0, 0, join=False, main_ops=main_ops)
    locks = draw(st.integers(0, 2))
    events = draw(st.integers(0, 1))
    ops = st.lists(_sync_ops(locks, events, extras), min_size=1, max_size=per)
    workers = tuple(tuple(draw(ops)) for _ in range(nworkers))
    main_ops = tuple(draw(st.lists(_sync_ops(locks, events, extras), max_size=2)))
    daemons = tuple(draw(st.lists(st.booleans(), min_size=nworkers, max_size=nworkers))) if extras else ()
    inv = draw(st.booleans()) if extras else False
    return Program(workers, locks, events, draw(st.booleans()), main_ops, extras, daemons, inv)
