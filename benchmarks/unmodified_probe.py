"""Probes behind docs/unmodified.md (issue 16): can unmodified threading code
be scheduled by the checker, and at what cost?  Nothing here is part of the
checker; it measures the mechanisms the design relies on.

Sections (all by default; name some to run only those):

* ``lost-update`` (CPython 3.11 only): two real OS threads run
  ``def inc(c): c.value += 1`` one at a time under a baton.  A
  ``sys.settrace`` opcode tracer stops each thread before every
  ``LOAD_ATTR``/``STORE_ATTR`` whose owner (read off the evaluation stack)
  is shared, so a schedule decides the interleaving; brute force over all
  schedules finds the lost update, and replaying a schedule 200 times gives
  the same trace every time.
* ``state`` (3.11 only): a parked thread's evaluation stacks (its own and
  its callers') can be read, so its state can be keyed as a suspended
  generator's is (position, locals and stack), for state caching.
* ``opcodes``: microseconds per traced opcode: an untraced loop against the
  same loop under a ``sys.settrace`` opcode tracer (3.11+) and under
  ``sys.monitoring`` INSTRUCTION events (3.12+; also with local-only
  instructions disabled per location, which settrace cannot do).
* ``baton``: microseconds per hand-over between two OS threads, and per
  start of an OS thread.
* ``scoping``: which names captured by a user module (``from threading
  import Lock``, defaults, class attributes, module-level instances,
  subclasses) each way of redirecting ``threading``/``time`` reaches.

* ``gil-switching``: real threads with a 1 µs switch interval: does
  ``c.value += 1`` lose updates in practice, with and without a Python call
  between the read and the write?

Run:  python benchmarks/unmodified_probe.py [SECTION...]
      python3.12 benchmarks/unmodified_probe.py opcodes   # sys.monitoring
Timings are wall-clock, best of several repetitions; compare rows, not machines.
"""

from __future__ import annotations

import _thread
import builtins
import ctypes
import dis
import os
import sys
import tempfile
import threading
import time
import types
from collections.abc import Callable

# ----------------------------------------------------------------------------
# Reading the evaluation stack inside an 'opcode' trace event (CPython 3.11)
# ----------------------------------------------------------------------------
_PTR = ctypes.sizeof(ctypes.c_void_p)
_F_FRAME = 3 * _PTR  # PyFrameObject: ob_refcnt, ob_type, f_back, then f_frame
_STACKTOP = 8 * _PTR  # _PyInterpreterFrame: 8 pointers, then int stacktop
_LOCALSPLUS = 9 * _PTR  # ... bool is_entry, char owner, padding, localsplus[]


def stack_item(frame: types.FrameType, depth: int) -> object:
    """The value ``depth`` entries below the top of ``frame``'s evaluation
    stack (0 is the top).  Valid on 3.11 only, and only during an 'opcode'
    event: the interpreter saves the stack pointer before calling the tracer."""
    iframe = ctypes.c_void_p.from_address(id(frame) + _F_FRAME).value
    top = ctypes.c_int.from_address(iframe + _STACKTOP).value  # type: ignore[operator]
    address = ctypes.c_void_p.from_address(iframe + _LOCALSPLUS + (top - 1 - depth) * _PTR).value  # type: ignore[operator]
    return ctypes.cast(address, ctypes.py_object).value


_OPS: dict[types.CodeType, dict[int, str]] = {}


def ops_of(code: types.CodeType) -> dict[int, str]:
    """offset -> opname, decoded once per code object."""
    found = _OPS.get(code)
    if found is None:
        found = _OPS[code] = {i.offset: i.opname for i in dis.get_instructions(code)}
    return found


# (kind, stack depth of the object accessed)
VISIBLE = {"LOAD_ATTR": ("r", 0), "STORE_ATTR": ("w", 0), "LOAD_METHOD": ("r", 0),
           "BINARY_SUBSCR": ("r", 1), "STORE_SUBSCR": ("w", 1)}


# ----------------------------------------------------------------------------
# lost-update: one OS thread at a time, scheduling points from the tracer
# ----------------------------------------------------------------------------
class Run:
    """One execution: model threads on OS threads, only one of which runs."""

    def __init__(self, shared: dict[str, object], targets: list[tuple[Callable, tuple]]):
        self.labels = {id(obj): name for name, obj in shared.items()}
        self.back = _thread.allocate_lock()
        self.back.acquire()
        self.trace: list[tuple[int, tuple]] = []
        self.threads = [ModelThread(self, i, f, a) for i, (f, a) in enumerate(targets)]

    def step(self, index: int) -> None:
        """Let thread ``index`` run to its next scheduling point (or its end)."""
        thread = self.threads[index]
        thread.footprint = []
        thread.go.release()
        self.back.acquire()
        self.trace.append((index, tuple(thread.footprint)))

    def enabled(self) -> list[int]:
        return [t.index for t in self.threads if not t.finished]


class ModelThread:
    def __init__(self, run: Run, index: int, target: Callable, args: tuple):
        self.run, self.index, self.target, self.args = run, index, target, args
        self.go = _thread.allocate_lock()
        self.go.acquire()
        self.finished = False
        self.footprint: list[tuple] = []
        _thread.start_new_thread(self._bootstrap, ())

    def _bootstrap(self) -> None:
        self.go.acquire()  # the thread's first step starts here
        sys.settrace(self._trace)
        try:
            self.target(*self.args)
        finally:
            sys.settrace(None)
            self.finished = True
            self.run.back.release()

    def _trace(self, frame: types.FrameType, event: str, arg: object):
        if event == "call":
            frame.f_trace_lines = False
            frame.f_trace_opcodes = True
        elif event == "opcode":
            spec = VISIBLE.get(ops_of(frame.f_code).get(frame.f_lasti, ""))
            if spec is not None:
                label = self.run.labels.get(id(stack_item(frame, spec[1])))
                if label is not None:  # another thread can see it: a scheduling point before the access
                    self.run.back.release()
                    self.go.acquire()
                    name = frame.f_code.co_names[frame.f_code.co_code[frame.f_lasti + 1]]
                    self.footprint.append((spec[0], f"{label}.{name}", frame.f_lineno))
        return self._trace


class Counter:
    def __init__(self) -> None:
        self.value = 0


def inc(c: Counter) -> None:
    c.value += 1


def counter_run(schedule: list[int]) -> tuple[int, Run]:
    c = Counter()
    run = Run({"counter": c}, [(inc, (c,)), (inc, (c,))])
    for i in schedule:
        run.step(i)
    return c.value, run


def brute_force() -> tuple[dict[int, list[int]], int, int]:
    """Every schedule, each execution re-run from scratch (as the checker does)."""
    outcomes: dict[int, list[int]] = {}
    executions = runs = 0
    stack: list[list[int]] = [[]]
    while stack:
        prefix = stack.pop()
        value, run = counter_run(prefix)
        runs += 1
        enabled = run.enabled()
        if not enabled:
            executions += 1
            outcomes.setdefault(value, prefix)
            continue
        stack.extend(prefix + [i] for i in reversed(enabled))
    return outcomes, executions, runs


def section_lost_update() -> None:
    print("## lost-update (sys.settrace opcode events, real OS threads under a baton)\n")
    if sys.version_info[:2] != (3, 11):
        print(f"skipped: reading the evaluation stack is written for CPython 3.11 (this is {sys.version.split()[0]})\n")
        return
    value, run = counter_run([0, 1, 0, 1, 0, 1])
    print(f"schedule 0,1,0,1,0,1 -> counter.value = {value}")
    for index, footprint in run.trace:
        print(f"    thread {index}: {footprint or '(no shared access)'}")
    print(f"schedule 0,0,0,1,1,1 -> counter.value = {counter_run([0, 0, 0, 1, 1, 1])[0]}")
    start = time.perf_counter()
    outcomes, executions, runs = brute_force()
    elapsed = time.perf_counter() - start
    print(f"brute force: {executions} executions ({runs} runs incl. prefixes), outcomes {sorted(outcomes)}, "
          f"lost update at {outcomes.get(1)}; {elapsed * 1e3:.0f} ms, {elapsed / runs * 1e6:.0f} us per run")
    reference = counter_run([0, 1, 0, 1, 0, 1])[1].trace
    same = sum(counter_run([0, 1, 0, 1, 0, 1])[1].trace == reference for _ in range(200))
    print(f"replaying 0,1,0,1,0,1 200 times: {same}/200 identical traces\n")


def whole_stack(frame: types.FrameType) -> list[object]:
    """Every value on ``frame``'s evaluation stack (3.11; the innermost frame
    during an 'opcode' event, or any caller of it: a call saves the caller's
    stack pointer)."""
    iframe = ctypes.c_void_p.from_address(id(frame) + _F_FRAME).value
    top = ctypes.c_int.from_address(iframe + _STACKTOP).value  # type: ignore[operator]
    code = frame.f_code
    first = code.co_nlocals + len(code.co_cellvars) + len(code.co_freevars)
    found = []
    for i in range(first, top):
        address = ctypes.c_void_p.from_address(iframe + _LOCALSPLUS + i * _PTR).value  # type: ignore[operator]
        found.append(ctypes.cast(address, ctypes.py_object).value if address else None)
    return found


def section_state() -> None:
    print("## state (can a parked real thread's position be keyed like a generator's?)\n")
    if sys.version_info[:2] != (3, 11):
        print("skipped: written for CPython 3.11\n")
        return
    seen = []

    def inner(c):
        return c.x

    def outer(c, items):
        total = 0
        for _ in items:  # the list iterator lives on outer's stack while inner runs
            total += 10 + inner(c)
        return total

    def tracer(frame, event, arg):
        if event == "call":
            frame.f_trace_lines = False
            frame.f_trace_opcodes = True
        elif event == "opcode" and frame.f_code is inner.__code__ and ops_of(frame.f_code)[frame.f_lasti] == "LOAD_ATTR":
            seen.append((frame.f_lasti, whole_stack(frame), frame.f_back.f_lasti, whole_stack(frame.f_back)))
        return tracer

    sys.settrace(tracer)
    try:
        outer(Plain(), [1, 2])
    finally:
        sys.settrace(None)
    for lasti, stack, caller_lasti, caller_stack in seen:
        print(f"inner at {lasti}: stack {[type(v).__name__ for v in stack]}; "
              f"caller at {caller_lasti}: stack {[v if isinstance(v, int) else type(v).__name__ for v in caller_stack]}")
    print()


# ----------------------------------------------------------------------------
# opcodes: the cost of seeing every instruction
# ----------------------------------------------------------------------------
class Plain:
    def __init__(self) -> None:
        self.x = 0


def local_work(n: int) -> int:
    s = 0
    for i in range(n):
        s += i
    return s


def attribute_work(n: int) -> int:
    p = Plain()  # thread-local: every access is checked and found invisible
    for i in range(n):
        p.x = p.x + i
    return p.x


def best(f: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return min(times)


def settrace_time(work: Callable[[int], int], n: int, peek: bool) -> tuple[float, int]:
    events = [0]
    shared: dict[int, str] = {}
    can_peek = peek and sys.version_info[:2] == (3, 11)

    def tracer(frame, event, arg):
        if event == "call":
            frame.f_trace_lines = False
            frame.f_trace_opcodes = True
        elif event == "opcode":
            events[0] += 1
            spec = VISIBLE.get(ops_of(frame.f_code).get(frame.f_lasti, ""))
            if spec is not None and can_peek:
                shared.get(id(stack_item(frame, spec[1])))
        return tracer

    def traced():
        sys.settrace(tracer)
        try:
            work(n)
        finally:
            sys.settrace(None)

    elapsed = best(traced)
    events[0] = 0
    traced()
    return elapsed, events[0]


def monitoring_time(work: Callable[[int], int], n: int, disable_local: bool) -> tuple[float, int] | None:
    mon = getattr(sys, "monitoring", None)
    if mon is None:
        return None
    tool = mon.PROFILER_ID
    events = [0]

    def on_instruction(code, offset):
        events[0] += 1
        if VISIBLE.get(ops_of(code).get(offset, "")) is None and disable_local:
            return mon.DISABLE  # this instruction never touches shared state: stop reporting it
        return None

    mon.use_tool_id(tool, "unmodified-probe")
    try:
        mon.register_callback(tool, mon.events.INSTRUCTION, on_instruction)

        def traced():
            mon.set_local_events(tool, work.__code__, mon.events.INSTRUCTION)
            try:
                work(n)
            finally:
                mon.set_local_events(tool, work.__code__, 0)
                mon.restart_events()

        elapsed = best(traced)
        events[0] = 0
        traced()
        return elapsed, events[0]
    finally:
        mon.register_callback(tool, mon.events.INSTRUCTION, None)
        mon.free_tool_id(tool)


def section_opcodes(n: int = 50_000) -> None:
    print(f"## opcodes (Python {sys.version.split()[0]}, n = {n:,} loop iterations)\n")
    print("| workload | mechanism | time (ms) | x untraced | events | µs per event (above untraced) |")
    print("|---|---|---|---|---|---|")
    for work in (local_work, attribute_work):
        base = best(lambda work=work: work(n))
        print(f"| {work.__name__} | untraced | {base * 1e3:.1f} | 1 | - | - |")
        rows = []
        if sys.version_info[:2] == (3, 11):  # 3.12 emits settrace opcode events only in a corner case (gh-103615)
            rows += [("settrace opcode (classify)", settrace_time(work, n, peek=False)),
                     ("settrace opcode (classify + read stack)", settrace_time(work, n, peek=True))]
        for disable in (False, True):
            measured = monitoring_time(work, n, disable)
            if measured is not None:
                rows.append((f"sys.monitoring INSTRUCTION{' (local ones disabled)' if disable else ''}", measured))
        for name, (elapsed, events) in rows:
            per = f"{(elapsed - base) / events * 1e6:.3f}" if events >= 1000 else "-"
            print(f"| {work.__name__} | {name} | {elapsed * 1e3:.1f} | {elapsed / base:.0f} | {events:,} | {per} |")
    print()


# ----------------------------------------------------------------------------
# baton: the cost of handing the CPU from one OS thread to another
# ----------------------------------------------------------------------------
def section_baton(rounds: int = 20_000) -> None:
    print("## baton (OS threads, _thread locks)\n")
    go, back = _thread.allocate_lock(), _thread.allocate_lock()
    go.acquire()
    back.acquire()

    def partner():
        for _ in range(rounds):
            go.acquire()
            back.release()

    _thread.start_new_thread(partner, ())
    start = time.perf_counter()
    for _ in range(rounds):
        go.release()
        back.acquire()
    elapsed = time.perf_counter() - start
    print(f"hand-over and back (one scheduled step's switching): {elapsed / rounds * 1e6:.1f} µs")
    done = _thread.allocate_lock()

    def empty():
        done.release()

    start = time.perf_counter()
    for _ in range(500):
        done.acquire()
        _thread.start_new_thread(empty, ())
        done.acquire()
        done.release()
    elapsed = time.perf_counter() - start
    print(f"start an OS thread and see it run: {elapsed / 500 * 1e6:.0f} µs\n")


# ----------------------------------------------------------------------------
# scoping: which captured names each redirection reaches
# ----------------------------------------------------------------------------
USER_MODULE = '''
import threading, time
from threading import Lock, Event
from time import sleep
MODULE_LOCK = Lock()
def make(): return Lock()
def make_attr(): return threading.Lock()
def make_default(f=Lock): return f()
class Box:
    factory = Lock
    def make(self): return self.factory()
class MyEvent(Event):
    pass
def nap(): return sleep(0)
'''


class CLock:
    """Stand-in for the checker's counterpart of ``threading.Lock``."""


class CEvent:
    pass


def csleep(secs: float) -> str:
    return "counterpart"


def _probe(m: types.ModuleType) -> dict[str, bool]:
    def ours(x: object) -> bool:
        return isinstance(x, CLock) or x == "counterpart"

    return {"from threading import Lock": ours(m.make()), "threading.Lock()": ours(m.make_attr()),
            "default argument": ours(m.make_default()), "class attribute": ours(m.Box().make()),
            "from time import sleep": ours(m.nap()), "module-level instance": ours(m.MODULE_LOCK),
            "subclass of Event": issubclass(m.MyEvent, CEvent)}


def section_scoping() -> None:
    print("## scoping (which captured names reach the counterparts)\n")
    folder = tempfile.mkdtemp()
    path = os.path.join(folder, "probe_user_module.py")
    with open(path, "w") as f:
        f.write(USER_MODULE)
    sys.path.insert(0, folder)
    try:
        import probe_user_module as um  # type: ignore[import-not-found]
    finally:
        sys.path.remove(folder)
    fake_threading = types.ModuleType("threading")
    fake_threading.__dict__.update(vars(threading), Lock=CLock, Event=CEvent)
    fake_time = types.ModuleType("time")
    fake_time.__dict__.update(vars(time), sleep=csleep)
    table: dict[str, dict[str, bool]] = {}

    saved = (threading.Lock, threading.Event, time.sleep)  # A: patch the modules' attributes
    threading.Lock, threading.Event, time.sleep = CLock, CEvent, csleep  # type: ignore[misc,assignment]
    try:
        table["A: patch threading/time attributes"] = _probe(um)
        leak = isinstance(threading.Lock(), CLock)
    finally:
        threading.Lock, threading.Event, time.sleep = saved  # type: ignore[misc]

    subst = {id(threading.Lock): CLock, id(threading.Event): CEvent, id(time.sleep): csleep,
             id(threading): fake_threading, id(time): fake_time}
    undo: list[Callable[[], None]] = []  # B: rewrite by identity what the module captured, restore after
    for name, value in list(vars(um).items()):
        if id(value) in subst:
            vars(um)[name] = subst[id(value)]
            undo.append(lambda n=name, v=value: vars(um).__setitem__(n, v))
        if isinstance(value, types.FunctionType) and value.__defaults__:
            old = value.__defaults__
            value.__defaults__ = tuple(subst.get(id(d), d) for d in old)
            undo.append(lambda f=value, o=old: setattr(f, "__defaults__", o))
        if isinstance(value, type) and value.__module__ == um.__name__:
            for key, attr in list(vars(value).items()):
                if id(attr) in subst:
                    setattr(value, key, subst[id(attr)])
                    undo.append(lambda c=value, k=key, o=attr: setattr(c, k, o))
    table["B: rewrite captured names by identity"] = _probe(um)
    for u in reversed(undo):
        u()
    restored = not any(_probe(um).values())

    def redirected(name, globals=None, locals=None, fromlist=(), level=0):  # C: a private copy
        return {"threading": fake_threading, "time": fake_time}.get(name) or builtins.__import__(
            name, globals, locals, fromlist, level)

    private = types.ModuleType("checker_private_probe_user_module")
    private.__dict__["__builtins__"] = dict(vars(builtins), __import__=redirected)
    exec(compile(USER_MODULE, path, "exec"), private.__dict__)
    table["C: private copy, imports redirected"] = _probe(private)

    names = list(next(iter(table.values())))
    print("| captured as | " + " | ".join(table) + " |")
    print("|---|" + "---|" * len(table))
    for n in names:
        print(f"| `{n}` | " + " | ".join("counterpart" if row[n] else "**real**" for row in table.values()) + " |")
    print(f"\nA: meanwhile every other thread of the process gets the counterpart too: {leak}; "
          f"B: restored afterwards: {restored}; C: the real module untouched: {not any(_probe(um).values())}\n")


# ----------------------------------------------------------------------------
# gil-switching: where CPython actually switches threads
# ----------------------------------------------------------------------------
def _increment(c: Counter, n: int) -> None:
    for _ in range(n):
        c.value += 1


def _identity(x: int) -> int:
    return x


def _increment_with_call(c: Counter, n: int) -> None:
    for _ in range(n):
        v = c.value
        c.value = _identity(v) + 1  # a Python call between the read and the write


def section_gil_switching(n: int = 200_000, runs: int = 3) -> None:
    print(f"## gil-switching (real threads, Python {sys.version.split()[0]}, switch interval 1 µs)\n")
    saved = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        for body in (_increment, _increment_with_call):
            lost = []
            for _ in range(runs):
                c = Counter()
                threads = [threading.Thread(target=body, args=(c, n)) for _ in range(2)]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                lost.append(2 * n - c.value)
            print(f"{body.__name__}: lost updates in {runs} runs of 2 x {n:,}: {lost}")
    finally:
        sys.setswitchinterval(saved)
    print()


SECTIONS = {"lost-update": section_lost_update, "state": section_state, "opcodes": section_opcodes, "baton": section_baton,
            "scoping": section_scoping,
            "gil-switching": section_gil_switching}

if __name__ == "__main__":
    chosen = sys.argv[1:] or list(SECTIONS)
    for s in chosen:
        if s not in SECTIONS:
            sys.exit(f"unknown section {s!r}; choose from {', '.join(SECTIONS)}")
    for s in chosen:
        SECTIONS[s]()
