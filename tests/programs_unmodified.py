"""Generated programs (tests/programs.py) as unmodified threading code, and
as the step program that says exactly the same thing.

``unmodified_source(program)`` writes a model file of plain ``threading``
code: one function per worker, straight-line statements, shared data in
the attributes ``x`` and ``y`` of an instance of a plain class, locks and
events from ``threading``, ``time.sleep``.  ``steps_source(program)``
writes the same program as a step program with a ``yield`` wherever the
real code can switch threads (before every statement that touches shared
data or a primitive), so the two must reach the same outcomes.

Operations used (a subset of tests/programs.py): read, write, branch,
print, assert, spin, yield (nothing happens), acquire (blocking, timeout,
non-blocking), release, set, clear, wait, is_set, sleep; and on a shared
list ``sh.items`` (a tuple in the step program, replaced whole):
``append``, ``pop0`` (``pop(0)``), ``contains`` (``v in sh.items``) and
``total`` (``sum(sh.items)``).  Under ``semantics="free-threading"`` the
step program reads the list one element per step for ``contains`` and
``total``, as CPython's free-threaded build does
(checker/program/unmodified/free_threading.py).
"""

from __future__ import annotations

from hypothesis import strategies as st

from programs import Program

KINDS = {"yield", "read", "write", "branch", "print", "assert", "spin", "acquire", "release", "set", "clear", "wait",
         "is_set", "sleep", "append", "pop0", "contains", "total"}
LIST_KINDS = {"append", "pop0", "contains", "total"}

#: The free-threading step program of a lock-free read of the list: the
#: element ``i`` in a step of its own (the first in the instruction's step).
_SCAN = """i = 0
acc = 0
while True:
    if i:
        yield
    t = sh.items
    if i >= len(t):
        break
    {body}
    i += 1
local = acc"""


def supported(program: Program) -> bool:
    ops = [op for w in program.workers for op in w] + list(program.main_ops)
    return all(op[0] in KINDS for op in ops) and not program.extras and not program.more


def _statements(ops: tuple, name: str, locks: int, steps: bool, free: bool = False) -> list[str]:
    """The body of one thread; with ``steps``, the step program's (``free``:
    under the free-threading model)."""
    y = "yield\n" if steps else ""
    out = ["local = 0"] + [f"h{i} = False" for i in range(locks)]

    def add(code: str, point: bool = True) -> None:
        out.extend(((y if point else "") + code).splitlines())

    for op in ops:
        kind = op[0]
        if kind == "read":
            add(f"local = sh.{op[1]}")
        elif kind == "write":
            add(f"sh.{op[1]} = local + {op[2]}")
        elif kind == "branch":
            add(f"sh.{op[1]} = {op[2]} if local % 2 == 0 else {op[3]}")
        elif kind == "print":
            add(f"print(f'{name}:{{local}}')")
        elif kind == "assert":
            add(f"assert sh.{op[1]} != {op[2]}, '{name} saw {op[1]}={op[2]}'")
        elif kind == "spin":
            out.append(f"for _ in range({op[2]}):")
            out.extend("    " + line for line in (y + f"if sh.{op[1]}:\n    break").splitlines())
        elif kind == "acquire":
            lk, timeout = op[1], op[2]
            args = "blocking=False" if timeout == 0 else "" if timeout == -1 else f"timeout={timeout}"
            call = f"l{lk}.acquire({args})"
            out.append(f"if not h{lk}:")
            out.append(f"    h{lk} = " + (f"(yield {call})" if steps else call))
        elif kind == "release":
            out.append(f"if h{op[1]}:")
            out.extend("    " + line for line in (y + f"h{op[1]} = False\nl{op[1]}.release()").splitlines())
        elif kind in ("set", "clear"):
            add(f"e{op[1]}.{kind}()")
        elif kind == "wait":
            call = f"e{op[1]}.wait({op[2]})"
            out.append("local = int(" + (f"(yield {call})" if steps else call) + ")")
        elif kind == "is_set":
            add(f"local = int(e{op[1]}.is_set())")
        elif kind == "sleep":
            out.append(f"yield sleep({op[1]})" if steps else f"time.sleep({op[1]})")
        elif kind in LIST_KINDS:  # two points: loading sh.items, then the list operation
            out.extend(_list_op(op, steps, free))
    for i in range(locks):
        out.append(f"if h{i}:")
        out.extend("    " + line for line in (y + f"l{i}.release()").splitlines())
    return out


def _list_op(op: tuple, steps: bool, free: bool) -> list[str]:
    kind = op[0]
    if not steps:
        return [{"append": f"sh.items.append(local + {op[1] if len(op) > 1 else 0})", "pop0": "sh.items.pop(0)",
                 "contains": f"local = int({op[1] if len(op) > 1 else 0} in sh.items)",
                 "total": "local = sum(sh.items)"}[kind]]
    out = ["yield", "yield"]
    if kind == "append":
        out.append(f"sh.items = sh.items + (local + {op[1]},)")
    elif kind == "pop0":
        out += ["if not sh.items:", "    raise IndexError('pop from empty list')", "sh.items = sh.items[1:]"]
    elif not free:
        out.append(f"local = int({op[1]} in sh.items)" if kind == "contains" else "local = sum(sh.items)")
    else:
        body = f"if t[i] == {op[1]}:\n        acc = 1\n        break" if kind == "contains" else "acc += t[i]"
        out += _SCAN.format(body=body).splitlines()
    return out


def _source(program: Program, steps: bool, free: bool = False) -> str:
    params = ", ".join(["sh"] + [f"l{i}" for i in range(program.locks)] + [f"e{i}" for i in range(program.events)])
    if steps:  # step programs keep shared data in a Shared object
        lines = ["from checker import Event, Lock, Shared, Thread, scenario, sleep", ""]
    else:
        lines = ["import threading", "import time", "", "from checker import scenario", "", "", "class Sh:",
                 "    def __init__(self):", "        self.x = 0", "        self.y = 0", "        self.items = [1, 2]",
                 ""]
    for i, ops in enumerate(program.workers):
        lines += ["", f"def w{i}({params}):"] + ["    " + s for s in _statements(ops, f"w{i}", program.locks, steps,
                                                                                 free)]
        if steps:
            lines.append("    yield")  # a generator even without shared statements
    lines += ["", "", "@" "scenario", "def generated():"]  # (split: the pytest plugin collects files naming it)
    body = ["sh = Shared(x=0, y=0, items=(1, 2))" if steps else "sh = Sh()"]
    make = "Lock()" if steps else "threading.Lock()"
    body += [f"l{i} = {make}" for i in range(program.locks)]
    body += [f"e{i} = {'Event()' if steps else 'threading.Event()'}" for i in range(program.events)]
    thread = "Thread" if steps else "threading.Thread"
    body += [f"t{i} = {thread}(target=w{i}, name='w{i}', args=({params},))" for i in range(len(program.workers))]
    for i in range(len(program.workers)):
        if steps and i > 0:
            body.append("yield")
        body.append(f"t{i}.start()")
    body += _statements(program.main_ops, "main", program.locks, steps, free)
    if program.join:
        body += [(f"yield t{i}.join()" if steps else f"t{i}.join()") for i in range(len(program.workers))]
        body.append("print(f'final {sh.x} {sh.y} {list(sh.items)}')")
    if steps:
        body.append("yield")
    lines += ["    " + s for s in body]
    return "\n".join(lines) + "\n"


def unmodified_source(program: Program) -> str:
    return _source(program, steps=False)


def steps_source(program: Program, semantics: str = "gil") -> str:
    return _source(program, steps=True, free=semantics == "free-threading")


_attr = st.sampled_from(("x", "y"))


_LIST_OPS = [st.tuples(st.just("append"), st.integers(1, 3)), st.just(("pop0",)),
             st.tuples(st.just("contains"), st.integers(1, 3)), st.just(("total",))]


@st.composite
def list_programs(draw) -> Program:
    """Two workers sharing only the list, with one or two operations each
    (where the two memory models differ), each printing what it saw last.
    Two operations a thread keep brute force small."""
    ops = st.lists(st.one_of(*_LIST_OPS), min_size=1, max_size=2)
    return Program(tuple(tuple(draw(ops)) + (("print",),) for _ in range(2)), 0, 0, True, ())


@st.composite
def unmodified_programs(draw, max_ops: int = 4) -> Program:
    """Programs of main plus 1-2 workers using only the operations above."""
    nworkers = draw(st.integers(1, 2))
    locks = draw(st.integers(0, 1))
    events = draw(st.integers(0, 1))
    options = [
        st.just(("yield",)), st.tuples(st.just("read"), _attr), st.tuples(st.just("write"), _attr, st.integers(1, 2)),
        st.tuples(st.just("branch"), _attr, st.integers(3, 4), st.integers(5, 6)), st.just(("print",)),
        st.tuples(st.just("assert"), _attr, st.integers(1, 3)), st.tuples(st.just("spin"), _attr, st.integers(1, 2)),
        st.tuples(st.just("sleep"), st.sampled_from([1, 2])),
        *_LIST_OPS,
    ]
    if locks:
        options += [st.tuples(st.just("acquire"), st.just(0), st.sampled_from([-1, -1, 0, 1])),
                    st.tuples(st.just("release"), st.just(0))]
    if events:
        options += [st.tuples(st.just("set"), st.just(0)), st.tuples(st.just("clear"), st.just(0)),
                    st.tuples(st.just("wait"), st.just(0), st.sampled_from([None, 1, 2])),
                    st.tuples(st.just("is_set"), st.just(0))]
    ops = st.lists(st.one_of(*options), min_size=1, max_size=max_ops)
    workers = tuple(tuple(draw(ops)) for _ in range(nworkers))
    main_ops = tuple(draw(st.lists(st.one_of(*options), max_size=2)))
    return Program(workers, locks, events, draw(st.booleans()), main_ops)
