"""The history of a linearizability scenario, read back from its trace.

A linearizability scenario (``checker.program.linearizability``) records
each operation's invocation as reads of the ``history`` object's fields
(one per other thread) and its response as a write of the calling thread's
field whose value is ``"<call> -> <result>"``.  ``history_intervals(trace)``
turns those accesses back into one ``Interval`` per operation, with the
shared-data accesses the operation made in between -- the accesses are
attributed one by one, in the order the step made them, so a step that
ends one operation and starts the next splits between the two.

Works on plain trace data; a trace without history accesses (any other
scenario) has no intervals.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..program.footprint import READ, WRITE, Access
from ..runtime.trace import Trace

HISTORY = "history"  # the label linearizability scenarios give their history object


@dataclass(eq=False)
class Interval:
    """One operation: ``thread`` called ``call``; it was invoked during
    trace step ``first`` and returned ``result`` (repr text) during step
    ``last`` (``returned`` False: it never returned -- the execution failed
    or deadlocked inside it, and ``last`` is its thread's last step).
    ``accesses``: the (step, access) pairs of shared data it made, in trace
    order.  ``seq``: the operation's position among its thread's
    operations."""

    thread: str
    seq: int
    first: int
    last: int
    call: str = ""
    result: str = ""
    returned: bool = False
    accesses: list[tuple[int, Access]] = field(default_factory=list)

    def label(self) -> str:
        if not self.returned:
            return f"{self.call or 'call'}  (never returned)"
        return f"{self.call} -> {self.result}"


def is_history(access: Access) -> bool:
    return access.label == HISTORY and access.sync


def split_response(value: str) -> tuple[str, str]:
    """``"get() -> 1"`` -> ``("get()", "1")``: the call ends at the
    parenthesis that closes its argument list."""
    depth = 0
    for i, ch in enumerate(value):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return value[: i + 1], value[i + 1:].removeprefix(" -> ")
    return value, ""


def history_intervals(trace: Trace) -> list[Interval]:
    """Every operation of the trace's history, in invocation order."""
    open_: dict[str, Interval] = {}
    done: list[Interval] = []
    count: dict[str, int] = {}
    last_step: dict[str, int] = {}
    for ev in trace.events:
        me = ev.thread_name
        last_step[me] = ev.index
        for a in ev.accesses:
            current = open_.get(me)
            if is_history(a) and a.kind == READ and current is None:
                open_[me] = Interval(me, count.get(me, 0), ev.index, ev.index)
                count[me] = count.get(me, 0) + 1
            elif is_history(a) and a.kind == WRITE and current is not None and a.field == me:
                current.call, current.result = split_response(a.value)
                current.last, current.returned = ev.index, True
                done.append(open_.pop(me))
            elif current is not None and not a.sync:
                current.accesses.append((ev.index, a))
    for me, interval in open_.items():
        interval.last = last_step[me]
        done.append(interval)
    return sorted(done, key=lambda i: (i.first, i.thread))
