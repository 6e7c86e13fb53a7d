"""Drawing a linearizability history: operations as intervals on thread
lanes, the conflicting accesses inside.

Layout contract (``history_digraph``):

* one column per thread that made calls, in the trace's thread order; time
  flows down on a "step" axis whose rows are the trace steps in which an
  operation was invoked, returned or touched shared data (a step that ends
  one operation and starts the next has one row for each part);
* each operation is a box (a cluster) in its thread's column spanning the
  rows from its invocation to its response, headed ``call -> result``, so
  operations that overlap in time overlap vertically, and an operation
  that returned before another was invoked ends above it;
* inside the box, one node per row: "invoked", the shared accesses of that
  step ("read s.n = 0"), "returns <result>";
* a dashed edge joins two accesses of different threads to the same
  location, at least one a write, from each access to the nearest earlier
  conflicting one (the conflicts that order the operations);
* the title: the scenario, then the failure message (for a linearizability
  failure, the history table and the closest sequential orders).

An operation that never returned (an exception or a deadlock inside it) is
drawn dashed, open to its thread's last step.
"""

from __future__ import annotations

import itertools
import textwrap

from ...program.footprint import Access
from ...runtime.trace import Failure, Trace
from . import palette as P
from ..history import Interval, history_intervals
from .inline_digraph import InlineDigraph
from .labels import html_text, plain_text

Row = tuple[int, int]  # (trace step, part of the step)
Cell = tuple[Interval, Row]


def history_digraph(trace: Trace, title: str | None = None, failure: Failure | None = None) -> InlineDigraph | None:
    """The drawing of ``trace``'s history (see the module docstring), or
    None when the trace has no linearizability history."""
    intervals = history_intervals(trace)
    if not intervals:
        return None
    rows, cells = _layout(intervals)
    lanes = [t for t in trace.threads if any(i.thread == t for i in intervals)]
    dot = P.lanes_digraph("history", nodesep="0.4", ranksep="0.25", node_margin="0.08,0.03")
    dot.attr("graph", label=_title(title, failure))
    _axis(dot, rows)
    grid = {(lane, row): f"gap_{k}_{r}" for k, lane in enumerate(lanes) for r, row in enumerate(rows)}
    for interval in intervals:
        _operation(dot, interval, cells, grid, rows)
    for k, lane in enumerate(lanes):
        _lane(dot, k, lane, rows, grid, intervals)
    for r, row in enumerate(rows):
        with dot.subgraph() as same:
            same.attr(rank="same")
            for a, b in itertools.pairwise([f"row_{r}"] + [grid[(lane, row)] for lane in lanes]):
                same.edge(a, b, style="invis")
    with dot.subgraph() as same:
        same.attr(rank="same")
        for a, b in itertools.pairwise(["row_head"] + [f"lane_{k}" for k in range(len(lanes))]):
            same.edge(a, b, style="invis")
    for u, v, label in _conflicts(cells):
        dot.edge(u, v, label=plain_text(label), color=P.CONFLICT, fontcolor=P.CONFLICT, style="dashed",
                 penwidth="1.6", constraint="false", tooltip=plain_text(label))
    return dot


def _layout(intervals: list[Interval]) -> tuple[list[Row], dict[Cell, list[tuple[int, Access]]]]:
    """The rows, and the accesses of each (interval, row) cell.  A thread's
    operations that meet in one step take parts 0, 1, ... of its row."""
    cells: dict[Cell, list[tuple[int, Access]]] = {}
    taken: dict[tuple[str, int], int] = {}  # (thread, step) -> the last part an earlier operation took
    for interval in sorted(intervals, key=lambda i: (i.thread, i.seq)):
        for step in sorted({interval.first, interval.last, *(s for s, _ in interval.accesses)}):
            part = taken[(interval.thread, step)] + 1 if (interval.thread, step) in taken else 0
            taken[(interval.thread, step)] = part
            cells[(interval, (step, part))] = [(s, a) for s, a in interval.accesses if s == step]
    rows = sorted({row for _, row in cells})
    return rows, cells


def _title(title: str | None, failure: Failure | None) -> str:
    rows = []
    if title:
        rows.append(f'<TR><TD ALIGN="LEFT"><B><FONT POINT-SIZE="14">{html_text(title, 120)}</FONT></B></TD></TR>')
    rows.append(f'<TR><TD ALIGN="LEFT"><FONT COLOR="{P.MUTED}">operations as intervals: a box runs from the '
                f'call to its return; dashed: conflicting accesses</FONT></TD></TR>')
    if failure is not None:
        for line in failure.message.splitlines()[:14]:
            for piece in textwrap.wrap(line, 110, subsequent_indent="    ") or [""]:
                rows.append(f'<TR><TD ALIGN="LEFT"><FONT COLOR="{P.FAIL}">{html_text(piece, None)}</FONT></TD></TR>')
    return f'<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="2">{"".join(rows)}</TABLE>>'


def _axis(dot: InlineDigraph, rows: list[Row]) -> None:
    with dot.subgraph(name="axis") as axis:
        axis.attr("node", shape="plaintext", style="", fontcolor=P.MUTED, fontsize="9", width="0.4")
        axis.node("row_head", label="<<B>step</B>>")
        for r, (step, part) in enumerate(rows):
            axis.node(f"row_{r}", label=f"{step + 1}" if part == 0 else f"{step + 1} (then)")  # as the table numbers
        for a, b in itertools.pairwise(["row_head"] + [f"row_{r}" for r in range(len(rows))]):
            axis.edge(a, b, style="invis", weight="100")


def _operation(dot: InlineDigraph, interval: Interval, cells: dict[Cell, list], grid: dict, rows: list[Row]) -> None:
    """The interval's cluster: a node for each of its rows, gaps included."""
    mine = sorted(row for (i, row) in cells if i is interval)
    span = [row for row in rows if mine[0] <= row <= mine[-1]]
    name = f"cluster_{interval.thread}_{interval.seq}"
    style = {"style": "rounded,filled", "color": P.SYNC, "fillcolor": P.LANE_FILL, "penwidth": "1.5"}
    if not interval.returned:
        style.update(style="rounded,dashed,filled", color=P.FAIL)
    with dot.subgraph(name=name) as box:
        box.attr(label=f"<<B>{html_text(interval.label(), 60)}</B>>", labeljust="l", fontsize="11",
                 tooltip=plain_text(f"{interval.thread}: {interval.label()}"), **style)
        for row in span:
            node = f"op_{interval.thread}_{interval.seq}_{row[0]}_{row[1]}"
            grid[(interval.thread, row)] = node
            if row not in mine:
                box.node(node, label="", shape="point", width="0.02", color=P.LANE_BORDER)
                continue
            lines = _squeezed([a.describe() for _, a in cells[(interval, row)]])
            if row == mine[0]:
                lines.insert(0, "invoked")
            if row == mine[-1] and interval.returned:
                lines.append(f"returns {interval.result}")
            box.node(node, label=plain_text("\n".join(lines)), tooltip=plain_text(f"step {row[0] + 1}"))


def _lane(dot: InlineDigraph, k: int, lane: str, rows: list[Row], grid: dict, intervals: list[Interval]) -> None:
    """The lane's header and its column: heavy invisible edges keep it
    straight; gaps outside operations are invisible points."""
    dot.node(f"lane_{k}", label=f"<<B>{html_text(lane, 40)}</B>>", fillcolor=P.LANE_FILL, color=P.LANE_BORDER,
             fontsize="12")
    column = [f"lane_{k}"]
    for row in rows:
        cell = grid[(lane, row)]
        if cell.startswith("gap_"):
            dot.node(cell, label="", shape="point", width="0.01", style="invis")
        column.append(cell)
    for a, b in itertools.pairwise(column):
        dot.edge(a, b, style="invis", weight="100")


def _conflicts(cells: dict[Cell, list[tuple[int, Access]]]) -> list[tuple[str, str, str]]:
    """(from node, to node, label): each access joined to the accesses of
    other threads it conflicts with since the last write to its location
    (that write included), each earlier access to at most its first
    conflict in each other thread; one edge per pair of nodes."""
    flat = []  # (step, order within the step, thread, node, access)
    for (interval, row), accesses in cells.items():
        node = f"op_{interval.thread}_{interval.seq}_{row[0]}_{row[1]}"
        for k, (step, access) in enumerate(accesses):
            flat.append((step, row[1], k, interval.thread, node, access))
    flat.sort(key=lambda x: x[:3])
    edges: dict[tuple[str, str], list[str]] = {}
    linked: set[tuple[int, str]] = set()  # (earlier access, later thread): its first conflict there is enough
    for j, (_, _, _, thread, node, access) in enumerate(flat):
        for i in range(j - 1, -1, -1):
            _, _, _, other_thread, other, earlier = flat[i]
            if earlier.location != access.location:
                continue
            if other_thread != thread and earlier.conflicts_with(access) and (i, thread) not in linked:
                linked.add((i, thread))
                text = f"{access.label}.{access.field}: {_verb(earlier)} \u2192 {_verb(access)}"
                texts = edges.setdefault((other, node), [])
                if text not in texts:
                    texts.append(text)
            if earlier.kind != "r":
                break  # a write hides the accesses before it
    return [(u, v, "\n".join(texts)) for (u, v), texts in edges.items()]


def _squeezed(lines: list[str]) -> list[str]:
    """Runs of one line written once: "read q.items = (1,)  (3 times)"."""
    return [f"{line}  ({n} times)" if n > 1 else line
            for line, n in ((k, len(list(g))) for k, g in itertools.groupby(lines))]


def _verb(access: Access) -> str:
    return "write" if access.kind != "r" else "read"
