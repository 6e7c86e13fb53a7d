"""The trace graph: one execution as a networkx ``DiGraph``.

Built from plain trace data only (``Trace``, ``TraceEvent``, ``Access``,
``Failure``); it imports nothing from the runtime's internals.

Nodes are the steps, keyed by ``TraceEvent.index`` (0-based; ``step`` is the
1-based number the text report prints).  Each thread that had not finished
when the run stopped gets one more node after its last step, keyed after the
last step in thread order: ``kind="blocked"`` when a deadlock leaves it
waiting forever, else ``kind="pending"``.  Node attributes:

    kind        "step" | "blocked" | "pending"
    step        1-based step number (blocked nodes: None)
    thread      thread index (0 = scenario body, -1 = the virtual clock)
    lane        thread name (the swimlane it is drawn in; "clock" for ticks)
    operation   the operation the step completed, with its result ("" if none)
    effects     reads/writes of shared data and primitive effects, as text
    output      what the step printed
    raised      "Type: message" when the step raised
    lines       everything above as display lines (``events.event_lines``)
    file, line, end_line, clock, finished  (an end node's ``line`` is where
                its thread stopped)
    failing     True for the step(s) that make the property fail
    roles       tuple of strings: "failing", "stale read", "other read",
                "lost write", "stale write" (see ``lost_update``), "blocked",
                "pending"
    notes       one sentence per role saying why the step matters

Edges are the orders that explain the interleaving.  One edge per ordered
pair of nodes; when several reasons relate the same pair their kinds are
merged.  Edge attributes:

    kind        the main reason: "program" > "sync" > "conflict" > "output"
                > "waits-for"
    kinds       every reason, as a tuple in that order
    label       short text ("start", "t finished -> join", "write->read
                counter.value", ...)
    critical    True when the edge is part of a lost update, or a waits-for
                edge on a deadlock's wait-for cycle

Reasons:

* program   consecutive steps of the same thread (ticks form the clock lane).
* sync      a primitive's state written by one thread and accessed later by
            another: the access reads from (or overwrites) that write.  This
            covers release -> next acquire, set -> the wait it ends, start ->
            the thread's first step, last step -> the join it ends, and a
            clock tick -> the timeout it fires.
* conflict  accesses of one shared (non-sync) attribute by different threads
            that conflict (``Access.conflicts_with``), between neighbours in
            the location's history: last write -> read, last write -> write,
            reads since the last write -> write.
* output    two prints by different threads, in the order they appeared.
* waits-for (deadlock) a blocked thread -> the step holding what it waits for.

An edge already implied by a path through the other edges is left out (a
transitive reduction), except program-order edges, sync edges whose access
reads the written state (reads-from: start, join, set -> wait, timeouts), and
edges of a lost update, which are always kept.  So a thread's end does not get
an edge from its start, but a lock's release -> acquire (a write -> write)
shows unless another path already orders them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import networkx as nx

from ...program.footprint import READ, WRITE, Access
from ...runtime.trace import Failure, Trace, TraceEvent
from ..condense import ElidedSteps
from ..events import access_lines, event_lines, operation_text
from .lost_update import LostUpdate, find_lost_updates

KIND_ORDER = ("program", "sync", "conflict", "output", "waits-for")
CLOCK_LANE = "clock"

#: How a primitive's state write reads on a sync edge, by (field, value).
_SYNC_WORDS = {
    ("state", "started"): "start",
    ("state", "finished"): "{label} finished",
    ("state", "unlocked"): "release {label}",
    ("state", "locked"): "{label} held",
    ("flag", "True"): "set {label}",
    ("flag", "False"): "clear {label}",
    ("now", None): "clock {value}",
}


def trace_graph(trace: Trace, failure: Failure | None = None) -> nx.DiGraph:
    """The trace graph of ``trace`` (see the module docstring).

    ``failure`` (the counterexample's) marks the failing steps of a deadlock
    or an invariant, which the trace alone cannot tell; a step that raised is
    marked without it.  Graph attributes: ``threads`` (names by index),
    ``failure`` (summary or ""), ``where`` (the failure's ``file:line`` or
    ""), ``lost_updates`` (count).
    """
    g = nx.DiGraph(threads=tuple(trace.threads), failure=failure.summary() if failure else "",
                   where=(failure.where or "") if failure else "")
    updates = find_lost_updates(trace)
    marks = _roles(trace, failure, updates)
    critical = _critical_pairs(updates)
    for ev in trace.events:
        g.add_node(ev.index, **_step_attributes(ev, marks.get(ev.index, [])))
    builder = _EdgeBuilder(g, critical)
    for ev in trace.events:
        builder.add_step(ev)
    _add_ends(g, trace, failure, builder)
    g.graph["lost_updates"] = len(updates)
    return g


# ----------------------------------------------------------------------
# Nodes
# ----------------------------------------------------------------------
def _lane(ev: TraceEvent) -> str:
    return CLOCK_LANE if ev.is_tick else ev.thread_name


def _step_attributes(ev: TraceEvent, marks: list[tuple[str, str]]) -> dict[str, Any]:
    roles = tuple(role for role, _ in marks)
    return {
        "kind": "step",
        "step": ev.steps_text if isinstance(ev, ElidedSteps) else ev.index + 1,
        "thread": ev.thread,
        "lane": _lane(ev),
        "operation": operation_text(ev),
        "effects": tuple(access_lines(ev)) if not ev.is_tick else (),
        "output": ev.output,
        "raised": ev.raised,
        "lines": tuple(event_lines(ev)) if not ev.is_tick else (ev.operation,),
        "file": ev.file,
        "line": ev.line,
        "end_line": ev.end_line,
        "clock": ev.clock,
        "finished": ev.finished,
        "failing": "failing" in roles,
        "roles": roles,
        "notes": tuple(note for _, note in marks),
    }


def _roles(trace: Trace, failure: Failure | None, updates: list[LostUpdate]) -> dict[int, list[tuple[str, str]]]:
    """For each marked step, its (role, note) pairs; the note says in words
    why the step matters."""
    marks: dict[int, list[tuple[str, str]]] = {}

    def mark(step: int, role: str, note: str) -> None:
        if role not in [r for r, _ in marks.get(step, [])]:
            marks.setdefault(step, []).append((role, note))

    for ev in trace.events:
        if ev.raised:
            mark(ev.index, "failing", "the check fails here")
    if failure is not None and failure.kind in ("deadlock", "invariant") and trace.events:
        why = "after this step no thread can run" if failure.kind == "deadlock" else "the check fails after this step"
        mark(trace.events[-1].index, "failing", why)
    for u in updates:
        if u.other_read is not None:
            mark(u.other_read, "other read", f"reads the same value as step {u.stale_read + 1}")
            mark(u.stale_read, "stale read", f"reads the same value as step {u.other_read + 1}")
        else:
            mark(u.stale_read, "stale read", f"reads a value that step {u.lost_write + 1} replaces")
        mark(u.lost_write, "lost write", f"this update is lost: step {u.stale_write + 1} overwrites it")
        mark(u.stale_write, "stale write",
             f"overwrites step {u.lost_write + 1}, using the old value read in step {u.stale_read + 1}")
    return marks


def _critical_pairs(updates: list[LostUpdate]) -> set[tuple[int, int]]:
    """The conflict edges that show a lost update: the stale read before
    the lost write, the lost write before the stale write, and (when the
    other thread read the same value) that read before the stale write."""
    pairs: set[tuple[int, int]] = set()
    for u in updates:
        pairs.add((u.stale_read, u.lost_write))
        pairs.add((u.lost_write, u.stale_write))
        if u.other_read is not None:
            pairs.add((u.other_read, u.stale_write))
    return pairs


# ----------------------------------------------------------------------
# Edges
# ----------------------------------------------------------------------
class _EdgeBuilder:
    """Adds the edges into each step, in trace order, keeping for every node
    the set of its ancestors (a bit set) to leave out implied edges."""

    def __init__(self, g: nx.DiGraph, critical: set[tuple[int, int]]):
        self.g = g
        self.critical = critical
        self.ancestors: dict[int, int] = {}
        self.last_of_lane: dict[int, int] = {}
        self.sync_writer: dict[tuple[int, str], tuple[int, int, Access]] = {}
        self.shared_writer: dict[tuple[int, str], tuple[int, int, Access]] = {}
        self.shared_reads: dict[tuple[int, str], list[tuple[int, int, Access]]] = {}
        self.last_print: tuple[int, int] | None = None

    def add_step(self, ev: TraceEvent) -> None:
        # reasons[src][kind] = [(label, must)]; a "must" reason keeps its edge
        reasons: dict[int, dict[str, list[tuple[str, bool]]]] = {}

        def note(src: int, kind: str, label: str, must: bool = False) -> None:
            labels = reasons.setdefault(src, {}).setdefault(kind, [])
            if (label, must) not in labels:
                labels.append((label, must))

        previous = self.last_of_lane.get(ev.thread)
        if previous is not None:
            note(previous, "program", "", must=True)
        self.last_of_lane[ev.thread] = ev.index
        for k, a in enumerate(ev.accesses):
            if a.sync and a.label == "stdout":
                self._output(ev, note)
            elif a.sync:
                self._sync(ev, k, a, note)
            else:
                self._shared(ev, a, note)
        self.connect(ev.index, reasons)

    def _sync(self, ev: TraceEvent, k: int, a: Access, note) -> None:
        loc = a.location
        writer = self.sync_writer.get(loc)
        is_clock = a.label == "clock" and a.field == "now"
        # a clock read matters only when it fires this step's timeout
        wanted = not is_clock or (ev.timed_out and k < ev.op_accesses) or ev.is_tick
        if writer is not None and writer[1] != ev.thread and wanted:
            note(writer[0], "sync", _sync_label(writer[2], a, ev), must=a.kind == READ)
        if a.kind == WRITE:
            self.sync_writer[loc] = (ev.index, ev.thread, a)

    def _shared(self, ev: TraceEvent, a: Access, note) -> None:
        loc = a.location
        writer = self.shared_writer.get(loc)
        target = f"{a.label}.{a.field}"
        if writer is not None and writer[1] != ev.thread and a.conflicts_with(writer[2]):
            note(writer[0], "conflict", f"write->{'read' if a.kind == READ else 'write'} {target}")
        if a.kind == READ:
            self.shared_reads.setdefault(loc, []).append((ev.index, ev.thread, a))
            return
        for step, thread, r in self.shared_reads.pop(loc, []):
            if thread != ev.thread and a.conflicts_with(r):
                note(step, "conflict", f"read->write {target}")
        self.shared_writer[loc] = (ev.index, ev.thread, a)

    def _output(self, ev: TraceEvent, note) -> None:
        if self.last_print is not None and self.last_print[1] != ev.thread:
            note(self.last_print[0], "output", "printed before")
        self.last_print = (ev.index, ev.thread)

    def connect(self, node: int, reasons: dict[int, dict[str, list[tuple[str, bool]]]]) -> None:
        """Add the edges into ``node``.  An edge implied by a path through
        the other predecessors keeps only its "must" reasons (and is left
        out when it has none), unless it belongs to a lost update."""
        reach = {src: self.ancestors.get(src, 0) for src in reasons}
        ancestors = self.ancestors.get(node, 0)
        for src, kinds in reasons.items():
            implied = any(other != src and (reach[other] >> src) & 1 for other in reasons)
            if implied and (src, node) not in self.critical:
                kinds = {k: [x for x in labels if x[1]] for k, labels in kinds.items()}
                kinds = {k: labels for k, labels in kinds.items() if labels}
            if not kinds:
                continue
            if "program" not in kinds and any(must for labels in kinds.values() for _, must in labels):
                # drop "by the way" reasons (a print order, a ww on the same
                # pair) next to the one that makes the edge matter
                kinds = {k: [x for x in labels if x[1] or k == "conflict"] for k, labels in kinds.items()}
                kinds = {k: labels for k, labels in kinds.items() if labels}
            self.add_edge(src, node, {k: [label for label, _ in labels] for k, labels in kinds.items()})
            ancestors |= self.ancestors.get(src, 0) | (1 << src)
        self.ancestors[node] = ancestors

    def add_edge(self, src: int, dst: int, kinds: dict[str, list[str]]) -> None:
        ordered = tuple(k for k in KIND_ORDER if k in kinds)
        labels = [label for k in ordered for label in kinds[k] if label]
        self.g.add_edge(
            src, dst, kind=ordered[0], kinds=ordered, label="; ".join(labels), critical=(src, dst) in self.critical,
        )


def _sync_label(written: Access, accessed: Access, ev: TraceEvent) -> str:
    if written.label == "clock":
        return f"clock reaches {written.value}: timeout"
    word = _SYNC_WORDS.get((written.field, written.value), "{label}.{field} = {value}")
    text = word.format(label=written.label, field=written.field, value=written.value)
    if written.field == "state" and written.value == "finished" and "join" in ev.operation:
        return f"{written.label} finished -> join"
    if written.field == "state" and written.value == "unlocked" and accessed.kind == WRITE:
        return f"release -> acquire {written.label}"
    if written.field == "flag" and written.value == "True" and "wait" in ev.operation:
        return f"set {written.label} -> wait returns"
    return text


# ----------------------------------------------------------------------
# How the run ends for threads that did not finish
# ----------------------------------------------------------------------
_WAITS_FOR = re.compile(r"waits for (?:thread )?(\S+)")


def _add_ends(g: nx.DiGraph, trace: Trace, failure: Failure | None, builder: _EdgeBuilder) -> None:
    """One node after the last step of each thread that did not finish:
    ``kind="blocked"`` for a thread a deadlock leaves waiting forever (with
    a waits-for edge to the step holding what it waits for: the last
    acquire of the lock, or the end node of the thread it joins), else
    ``kind="pending"`` (the run stopped for another reason first)."""
    waits = dict(failure.waits) if failure is not None and failure.kind == "deadlock" else {}
    last: dict[int, TraceEvent] = {}
    for ev in trace.events:
        last[ev.thread] = ev
    ends: dict[str, int] = {}
    for index, name in enumerate(trace.threads):
        ev = last.get(index)
        if ev is not None and (ev.finished or ev.raised):
            continue
        node = len(trace.events) + len(ends)
        ends[name] = node
        blocked = name in waits
        if blocked:
            text, roles, notes = _short_wait(waits[name]), ("blocked", "failing"), ()
        else:
            text, roles, notes = ("" if ev else "never ran"), ("pending",), ()
        g.add_node(node, kind="blocked" if blocked else "pending", step=None, thread=index, lane=name,
                   operation="", effects=(), output="", raised="", lines=(text,) if text else (),
                   file=ev.file if ev else "", line=ev.end_line if ev else None, end_line=ev.end_line if ev else None,
                   clock=trace.events[-1].clock if trace.events else 0.0, finished=False, failing=blocked,
                   roles=roles, notes=notes)
        if ev is not None:
            builder.add_edge(ev.index, node, {"program": [""]})
    in_cycle = _cycle_successors(failure)
    for name, what in waits.items():
        target = _holder(trace, what, ends)
        if name in ends and target is not None and target != ends[name]:
            builder.add_edge(ends[name], target, {"waits-for": [_short_wait(what)]})
            if in_cycle.get(name) == g.nodes[target]["lane"]:
                g.edges[ends[name], target]["critical"] = True


def _cycle_successors(failure: Failure | None) -> dict[str, str]:
    """Thread -> the thread it waits for, along the deadlock's wait-for
    cycle (``Failure.cycle`` where the runtime provides it; else empty)."""
    cycle = tuple(getattr(failure, "cycle", ()) or ())
    names = [thread for thread, _ in cycle]
    return {t: names[(k + 1) % len(names)] for k, t in enumerate(names)}


def _holder(trace: Trace, what: str, blocked: dict[str, int]) -> int | None:
    match = _WAITS_FOR.search(what)
    if match is None:
        return None
    label = match.group(1)
    if label in blocked:
        return blocked[label]
    holder = None
    for ev in trace.events:
        if ev.thread_name == label:
            holder = ev.index  # a thread being joined: its last step
        for a in ev.accesses:
            if a.sync and a.label == label and a.kind == WRITE and a.value == "locked":
                holder = ev.index
    return holder


def _short_wait(what: str) -> str:
    text = re.sub(r" at line \d+$", "", what)
    return text


def steps(g: nx.DiGraph) -> Iterable[int]:
    """The step nodes of a trace graph, in trace order."""
    return sorted(n for n, d in g.nodes(data=True) if d["kind"] == "step")
