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
  ("assume", attr, k)            assume(shared.attr != k): discards the execution when false
  ("assume_free", attr)          assume(shared.attr == 0): a flag taken as a lock (with a write after it)
  ("assume_local", k)            assume(local != k): a discard decided by thread-local data alone
                                 (each holds at first, so that whether it holds depends on the schedule)

A program may also declare an invariant over the shared attributes and run
some workers as daemon threads.

With ``more`` (the visibility family), the shared object is a ``Box``
(a ``Shared`` subclass with a class-level default ``z`` and a property),
and these operations exist too:
  ("read"/"write", "z", ...)     the class-level default until the first write
  ("has", "w") / ("getdef", "w") hasattr / getattr with a default on an attribute that may be absent
  ("write", "w", k) / ("del", "w")  create / delete it (AttributeError caught)
  ("prop",)                      local = sh.zz (a property reading z)
  ("dput", k, v) / ("dget", k) / ("dpop", k) / ("din", k)   on a SharedDict
  ("spawn",)                     start a default-named child thread that prints its name and bumps x
  ("new",)                       create a Shared inside the thread and print its label
  ("ident",)                     print the thread's ident
  ("racq",) / ("rrel",)          RLock acquire (re-entrant) / release if held
  ("bacq", t) / ("brel",)        BoundedSemaphore(1) (ValueError on over-release caught)
  ("barrier", t)                 Barrier(2).wait(t) (BrokenBarrierError caught)
  ("timer",) / ("cancel",)       start a Timer(1) that bumps y / cancel the last one
  ("tl", k)                      thread-local: tl.v = getattr(tl, "v", 0) + k
  ("lput", k) / ("lget",)        LifoQueue(2) put_nowait / get_nowait (Full/Empty caught)
  ("pput", k) / ("pget",)        PriorityQueue(2) likewise
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import strategies as st

from checker import (
    Barrier,
    BoundedSemaphore,
    BrokenBarrierError,
    Condition,
    Empty,
    Event,
    Full,
    LifoQueue,
    Lock,
    PriorityQueue,
    Queue,
    RLock,
    Semaphore,
    Shared,
    SharedDict,
    Thread,
    Timer,
    assume,
    choose,
    current_thread,
    invariant,
    local,
    sleep,
)
from checker.program.scenario import make_scenario

ATTRS = ("x", "y")
BLOCKING = {"acquire", "wait", "sleep", "sem_acquire", "cond_wait", "notify", "put", "get", "racq", "bacq", "barrier"}


class Box(Shared):
    """The visibility family's shared object: ``z`` is a class-level default."""

    z = 0

    @property
    def zz(self):
        return self.z * 10


def _child(sh):
    print(current_thread().name)
    yield
    sh.x = sh.x + 1


def _ring(sh):
    sh.y = sh.y + 10


class More:
    """The visibility family's objects, made in the scenario body."""

    def __init__(self):
        self.d = SharedDict(a=0)
        self.rlock = RLock()
        self.bsem = BoundedSemaphore(1)
        self.barrier = Barrier(2)
        self.tl = local()
        self.lifo = LifoQueue(maxsize=2)
        self.prio = PriorityQueue(maxsize=2)


def _run_more(op, local_value, sh, more, state):
    """One operation of the visibility family; returns the new local value
    (a generator: blocking operations are yielded)."""
    kind = op[0]
    if kind == "has":
        return int(hasattr(sh, op[1]))
    if kind == "getdef":
        return getattr(sh, op[1], 7)
    if kind == "del":
        try:
            delattr(sh, op[1])
        except AttributeError:
            return -1
        return local_value
    if kind == "prop":
        return sh.zz
    if kind == "dput":
        more.d[op[1]] = local_value + op[2]
    elif kind == "dget":
        return more.d.get(op[1], -1)
    elif kind == "dpop":
        return more.d.pop(op[1], -1)
    elif kind == "din":
        return int(op[1] in more.d)
    elif kind == "spawn":
        Thread(target=_child, args=(sh,)).start()
    elif kind == "new":
        obj = Shared(v=local_value)
        print(repr(obj))
    elif kind == "ident":
        print(f"ident {current_thread().ident}")
    elif kind == "racq":
        if (yield more.rlock.acquire(timeout=1)):
            state["rlock"] += 1
    elif kind == "rrel":
        if state["rlock"]:
            state["rlock"] -= 1
            more.rlock.release()
    elif kind == "bacq":
        return int((yield more.bsem.acquire(timeout=op[1])))
    elif kind == "brel":
        try:
            more.bsem.release()
        except ValueError:
            return -1
    elif kind == "barrier":
        try:
            return (yield more.barrier.wait(op[1]))
        except BrokenBarrierError:
            return -1
    elif kind == "timer":
        state["timer"] = Timer(1, _ring, args=(sh,))
        state["timer"].start()
    elif kind == "cancel":
        if state["timer"] is not None:
            state["timer"].cancel()
    elif kind == "tl":
        more.tl.v = getattr(more.tl, "v", 0) + op[1]
        return more.tl.v
    elif kind in ("lput", "pput"):
        try:
            (more.lifo if kind == "lput" else more.prio).put_nowait(local_value + op[1])
        except Full:
            return -1
    elif kind in ("lget", "pget"):
        try:
            return (more.lifo if kind == "lget" else more.prio).get_nowait()
        except Empty:
            return -1
    return local_value


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
    more: bool = False  # the visibility family: see the module docstring

    @property
    def blocking(self) -> bool:
        ops = [op for w in self.workers for op in w] + list(self.main_ops)
        return self.join or any(op[0] in BLOCKING for op in ops)


def _run_ops(ops, sh, locks, events, name, extra=None, more=None):
    """The generator body shared by workers and main: interpret ``ops``."""
    local = 0
    held = set()
    state = {"rlock": 0, "timer": None}
    for op in ops:
        kind = op[0]
        if kind in MORE_KINDS:
            local = yield from _run_more(op, local, sh, more, state)
        elif kind == "yield":
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
        elif kind == "assume":
            assume(getattr(sh, op[1]) != op[2])
        elif kind == "assume_free":
            assume(getattr(sh, op[1]) == 0)
        elif kind == "assume_local":
            assume(local != op[1])
    for i in sorted(held):
        locks[i].release()
    for _ in range(state["rlock"]):
        more.rlock.release()


def build(program: Program, timing: str = "ideal"):
    """A scenario running ``program``."""

    def worker(ops, sh, locks, events, name, extra, more):
        yield from _run_ops(ops, sh, locks, events, name, extra, more)

    def body():
        sh = Box(_name="sh", x=0, y=0) if program.more else Shared(_name="sh", x=0, y=0)
        more = More() if program.more else None
        locks = [Lock() for _ in range(program.locks)]
        events = [Event() for _ in range(program.events)]
        extra = (Semaphore(1), Condition(Lock()), Queue(maxsize=1)) if program.extras else None
        if program.invariant:
            invariant(lambda: sh.x - sh.y != 3, "x - y != 3")
        daemons = program.daemons or (False,) * len(program.workers)
        threads = [
            Thread(target=worker, name=f"w{i}", args=(ops, sh, locks, events, f"w{i}", extra, more), daemon=d)
            for (i, ops), d in zip(enumerate(program.workers), daemons)
        ]
        for t in threads:
            t.start()
        if program.main_ops:
            yield  # a failure in the body's first step is a setup error, not an outcome
        yield from _run_ops(program.main_ops, sh, locks, events, "main", extra, more)
        if program.join:
            for t, d in zip(threads, daemons):
                if not d:
                    yield t.join()
            print(f"final {sh.x} {sh.y}" + (f" {sh.z} {getattr(sh, 'w', None)}" if program.more else ""))

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


_assume_ops = st.one_of(
    st.tuples(st.just("assume"), _attr, st.integers(1, 2)),
    st.tuples(st.just("assume_free"), _attr),
    st.tuples(st.just("assume_local"), st.integers(1, 2)),
)


_more_attr = st.sampled_from(("x", "z", "w"))
_more_ops = st.one_of(
    st.tuples(st.just("read"), _more_attr),
    st.tuples(st.just("write"), _more_attr, st.integers(1, 2)),
    st.tuples(st.sampled_from(["has", "getdef", "del"]), st.just("w")),
    st.just(("prop",)),
    st.tuples(st.just("dput"), st.sampled_from("ab"), st.integers(1, 2)),
    st.tuples(st.sampled_from(["dget", "dpop", "din"]), st.sampled_from("ab")),
    st.sampled_from([("spawn",), ("new",), ("ident",), ("racq",), ("rrel",), ("brel",), ("timer",), ("cancel",),
                     ("lget",), ("pget",)]),
    st.tuples(st.just("bacq"), st.sampled_from([-1, 1])),
    st.tuples(st.just("barrier"), st.sampled_from([None, 1])),
    st.tuples(st.sampled_from(["tl", "lput", "pput"]), st.integers(1, 2)),
)
MORE_KINDS = frozenset({"has", "getdef", "del", "prop", "dput", "dget", "dpop", "din", "spawn", "new", "ident", "racq",
                        "rrel", "bacq", "brel", "barrier", "timer", "cancel", "tl", "lput", "lget", "pput", "pget"})


def _sync_ops(locks: int, events: int, extras: bool = False, more: bool = False, assumes: bool = False):
    options = [_plain_ops] + ([_more_ops, _more_ops] if more else []) + ([_assume_ops] if assumes else [])
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
def programs(
    draw, blocking: bool = True, max_ops: int = 4, extras: bool = False, more: bool = False, assumes: bool = False
) -> Program:
    """Programs of 2-4 threads (main plus 1-3 workers).  ``blocking=False``:
    only shared reads/writes, prints, choose, asserts and spins, no join.
    ``extras``: also semaphores, conditions, queues, daemon threads and
    invariants.  ``more``: the visibility family (module docstring).
    ``assumes``: also ``assume`` ops, at least one per program with (on a
    shared attribute) a write in another thread that can make it false."""
    nworkers = draw(st.integers(1, 3))
    per = max(2, max_ops - nworkers + 1)
    if not blocking:
        plain = st.one_of(_plain_ops, _assume_ops) if assumes else _plain_ops
        ops = st.lists(plain, min_size=1, max_size=per)
        workers = tuple(tuple(draw(ops)) for _ in range(nworkers))
        main_ops = tuple(draw(st.lists(plain, max_size=2)))
        if assumes:
            workers, main_ops = _add_assume(draw, workers, main_ops)
        return Program(workers, 0, 0, join=False, main_ops=main_ops)
    locks = draw(st.integers(0, 2))
    events = draw(st.integers(0, 1))
    ops = st.lists(_sync_ops(locks, events, extras, more, assumes), min_size=1, max_size=per)
    workers = tuple(tuple(draw(ops)) for _ in range(nworkers))
    main_ops = tuple(draw(st.lists(_sync_ops(locks, events, extras, more, assumes), max_size=2)))
    if assumes:
        workers, main_ops = _add_assume(draw, workers, main_ops)
    daemons = tuple(draw(st.lists(st.booleans(), min_size=nworkers, max_size=nworkers))) if extras else ()
    inv = draw(st.booleans()) if extras else False
    return Program(workers, locks, events, draw(st.booleans()), main_ops, extras, daemons, inv, more)


def _add_assume(draw, workers: tuple, main_ops: tuple) -> tuple[tuple, tuple]:
    """One more ``assume`` in some thread and, for one on a shared attribute,
    a write in another thread that makes it false: whether the execution is
    discarded then depends on the order of the two."""
    threads = [*workers, main_ops]
    op = draw(_assume_ops)
    i = draw(st.integers(0, len(threads) - 1))
    at = draw(st.integers(0, len(threads[i])))
    threads[i] = (*threads[i][:at], op, *threads[i][at:])
    if op[0] != "assume_local":
        j = draw(st.integers(0, len(threads) - 2))
        j += j >= i
        write = ("write", op[1], op[2] if op[0] == "assume" else draw(st.integers(1, 2)))
        at = draw(st.integers(0, len(threads[j])))
        threads[j] = (*threads[j][:at], write, *threads[j][at:])
    return tuple(threads[:-1]), threads[-1]
