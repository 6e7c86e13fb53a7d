"""Drawing a trace graph with Graphviz: swimlanes, time flowing down.

Layout contract (``trace_digraph``):

* one column (a shaded cluster headed by the thread's name) per thread, in
  start order, plus a "clock" column when the virtual clock ticked;
* a "step" axis on the left; step *k* of the trace sits in row *k* whatever
  its thread (``rank=same`` with the axis), so the drawing reads like the
  text report's table, top to bottom;
* edge colours and styles by kind (program, sync, conflict, output,
  waits-for; see ``trace_graph``), the lost update's conflicts red;
* the failing step red, the steps of a lost update orange, each with a
  sentence saying why; a legend listing only what the drawing uses.

Every label is escaped (``labels``), so model output such as ``<b>"x"\\n``
is drawn as text.  The result is an ``InlineDigraph``: a
``graphviz.Digraph`` that also displays in Jupyter without system Graphviz.
"""

from __future__ import annotations

import itertools
import linecache
import re
import textwrap

import networkx as nx

from ...runtime.trace import Failure, Trace
from ..condense import condensed
from . import palette as P
from .inline_digraph import InlineDigraph
from .labels import html_lines, html_text, plain_text
from .trace_graph import CLOCK_LANE, trace_graph

_LOST_ROLES = ("stale read", "other read", "lost write", "stale write")


def trace_digraph(trace: Trace, title: str | None = None, failure: Failure | None = None,
                  graph: nx.DiGraph | None = None) -> InlineDigraph:
    """The drawing of ``trace`` (or of its already built ``graph``)."""
    if graph is None:
        trace = condensed(trace)  # a long trace: the steps that explain it, the rest summarised
    g = graph if graph is not None else trace_graph(trace, failure)
    dot = P.lanes_digraph("trace", nodesep="0.35", ranksep="0.22", node_margin="0.08,0.04")
    if title or g.graph.get("failure"):
        dot.attr("graph", label=_title_label(title, g.graph.get("failure", "")))
    lanes = _lanes(trace, g)
    _draw_axis(dot, g)
    grid = _grid(g, lanes)
    for lane_index, lane in enumerate(lanes):
        _draw_lane(dot, g, lane_index, lane, grid)
    _draw_rows(dot, grid, lanes)
    for u, v, data in g.edges(data=True):
        if data["kind"] != "program":  # drawn as the lanes' lifelines
            _draw_edge(dot, g, u, v, data)
    _draw_legend(dot, g, lanes)
    return dot


# ----------------------------------------------------------------------
def _title_label(title: str | None, failure: str) -> str:
    rows = []
    if title:
        rows.append(f'<TR><TD ALIGN="LEFT"><B><FONT POINT-SIZE="14">{html_text(title, 120)}</FONT></B></TD></TR>')
    for line in textwrap.wrap(failure, 110, subsequent_indent="    ")[:6]:
        rows.append(f'<TR><TD ALIGN="LEFT"><FONT COLOR="{P.FAIL}">{html_text(line, None)}</FONT></TD></TR>')
    return f'<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="2">{"".join(rows)}</TABLE>>'


def _lanes(trace: Trace, g: nx.DiGraph) -> list[str]:
    used = {d["lane"] for _, d in g.nodes(data=True)}
    lanes = [name for name in trace.threads if name in used]
    if CLOCK_LANE in used and CLOCK_LANE not in trace.threads:
        lanes.append(CLOCK_LANE)
    return lanes


def _rows(g: nx.DiGraph) -> list[list[int]]:
    """Nodes by row: one row per step, then one for the threads that did
    not finish (blocked or pending)."""
    steps = sorted(n for n, d in g.nodes(data=True) if d["kind"] == "step")
    ends = sorted(n for n, d in g.nodes(data=True) if d["kind"] != "step")
    return [[n] for n in steps] + ([ends] if ends else [])


def _draw_axis(dot: InlineDigraph, g: nx.DiGraph) -> None:
    rows = _rows(g)
    with dot.subgraph(name="axis") as axis:
        axis.attr("node", shape="plaintext", style="", fontcolor=P.MUTED, fontsize="9", width="0.4")
        axis.node("row_head", label="<<B>step</B>>")
        for k, row in enumerate(rows):
            d = g.nodes[row[0]]
            text = f"{d['step']}" if d["kind"] == "step" else "end"
            axis.node(f"row_{k}", label=text)
        chain = ["row_head"] + [f"row_{k}" for k in range(len(rows))]
        for a, b in itertools.pairwise(chain):
            axis.edge(a, b, style="invis", weight="100")


def _grid(g: nx.DiGraph, lanes: list[str]) -> list[list[str]]:
    """The cell of each (row, lane): a node id, or a gap ("gap_<row>_<lane>")."""
    column = {lane: k for k, lane in enumerate(lanes)}
    grid = []
    for k, row in enumerate(_rows(g)):
        cells = [f"gap_{k}_{i}" for i in range(len(lanes))]
        for n in row:
            cells[column[g.nodes[n]["lane"]]] = str(n)
        grid.append(cells)
    return grid


def _draw_lane(dot: InlineDigraph, g: nx.DiGraph, lane_index: int, lane: str, grid: list[list[str]]) -> None:
    """The lane: its header, then one cell per row (a step, or a gap drawn
    as a dot on the line), chained by heavy edges that keep the column
    straight.  The chain is the thread's lifeline, as in a sequence diagram:
    dotted before its first step, solid from step to step with an arrow into
    each step (program order), invisible after its last step."""
    head = f"lane_{lane_index}"
    dot.node(head, label=f"<<B>{html_text(lane, 40)}</B>>", shape="box", style="rounded,filled",
             fillcolor=P.LANE_FILL, color=P.LANE_BORDER, fontsize="12",
             tooltip=plain_text(f"thread {lane}" if lane != CLOCK_LANE else "the virtual clock"))
    column = [head] + [row[lane_index] for row in grid]
    last = max((k for k, cell in enumerate(column) if not cell.startswith("gap_")), default=0)
    phase = "before"  # before the first step, "running", then "after" the last one
    for k, (a, b) in enumerate(itertools.pairwise(column), start=1):
        real = not b.startswith("gap_")
        if phase == "before":
            line = {"style": "dotted", "color": P.LANE_BORDER}
        elif phase == "running":
            line = {"color": P.PROGRAM, "penwidth": "1.3"}
        else:
            line = {"style": "invis"}
        if real:
            _draw_node(dot, g, int(b))
            d = g.nodes[int(b)]
            ended = d["kind"] != "step" or d["finished"] or k == last
            dot.edge(a, b, weight="100", arrowhead="normal" if phase == "running" else "none", **line)
            phase = "after" if ended else "running"
        else:
            # a dot in the line's colour fills the seam where two segments meet
            colour = line.get("color", "white") if line.get("style") != "invis" else "white"
            size = "0.02" if phase == "running" else "0.01"
            dot.node(b, label="", shape="point", width=size, height=size, color=colour, fillcolor=colour,
                     style="invis" if phase == "after" else "filled")
            dot.edge(a, b, weight="100", arrowhead="none", headclip="false", **line)


def _draw_rows(dot: InlineDigraph, grid: list[list[str]], lanes: list[str]) -> None:
    """Pin each row's cells to one rank, left to right in lane order
    (invisible edges inside a rank fix the order of its nodes)."""
    rows = [["row_head"] + [f"lane_{k}" for k in range(len(lanes))]]
    rows += [[f"row_{k}"] + cells for k, cells in enumerate(grid)]
    for row in rows:
        with dot.subgraph() as same:
            same.attr(rank="same")
            for a, b in itertools.pairwise(row):
                same.edge(a, b, style="invis")


def _code(file: str, line: int | None) -> str:
    """The source line, stripped, with runs of blanks squeezed."""
    return re.sub(r"\s{2,}", "  ", linecache.getline(file, line).strip()) if file and line else ""


_END_HEAD = {"blocked": "BLOCKED FOREVER", "pending": "NOT FINISHED"}


def _node_label(d: dict, where: str = "") -> str:
    """Header (step number, virtual time), what the step did, what it
    raised, the source line that failed or where an unfinished thread
    stopped, and why the step matters."""
    rows: list[str] = []
    if d["kind"] == "step":
        head = f"step {d['step']}" if isinstance(d["step"], int) else f"steps {d['step']}"  # elided: a range
        if d.get("clock") and d["thread"] != -1:
            head += f"  \u00b7  at time {d['clock']:g}"
        rows.append(f'<FONT POINT-SIZE="8" COLOR="{P.MUTED}">{html_text(head)}</FONT>')
    else:
        color = P.FAIL if d["kind"] == "blocked" else P.MUTED
        rows.append(f'<FONT POINT-SIZE="8" COLOR="{color}"><B>{_END_HEAD[d["kind"]]}</B></FONT>')
    lines = [x for x in d["lines"] if not x.startswith("raises ")]
    op = d.get("operation", "")
    for text in html_lines(lines):
        if op and text == html_text(op):
            rows.append(f"<B>{text}</B>")
        elif text.startswith("print: "):
            rows.append(f'<FONT FACE="{P.MONO}">{text}</FONT>')
        else:
            rows.append(text)
    if d.get("raised"):
        rows.append(f'<FONT COLOR="{P.FAIL}"><B>raises {html_text(d["raised"], 80)}</B></FONT>')
    code = _source(d, where)
    if code:
        rows.append(f'<FONT FACE="{P.MONO}" POINT-SIZE="8" COLOR="{P.MUTED}">{html_text(code, 80)}</FONT>')
    for role, note in zip(d["roles"], d.get("notes", ())):
        color = P.FAIL if role in ("failing", "blocked") else P.LOST
        rows.append(f'<FONT POINT-SIZE="9" COLOR="{color}"><I>{html_text(note, 80)}</I></FONT>')
    cells = "".join(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{r}</TD></TR>' for r in rows)
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">{cells}</TABLE>>'


def _source(d: dict, where: str) -> str:
    """"line N: code" for the line that raised, or where an unfinished
    thread stopped; "" otherwise or when the source is not readable."""
    if d.get("raised") and where:
        file, _, line = where.rpartition(":")
        number = int(line) if line.isdigit() else None
    elif d["kind"] != "step":
        file, number = d.get("file", ""), d.get("line")
    else:
        return ""
    code = _code(file, number)
    if not code:
        return ""
    return f"stopped at line {number}: {code}" if d["kind"] == "pending" else f"line {number}: {code}"


def _node_style(d: dict) -> dict[str, str]:
    roles = d["roles"]
    if d["kind"] == "blocked":
        return {"color": P.FAIL, "penwidth": "2", "style": "rounded,dashed,filled", "fillcolor": "white"}
    if d["kind"] == "pending":
        return {"color": P.STEP_BORDER, "style": "rounded,dashed,filled", "fillcolor": "white"}
    if "failing" in roles:
        return {"color": P.FAIL, "penwidth": "2.5", "fillcolor": P.FAIL_FILL}
    if any(r in _LOST_ROLES for r in roles):
        return {"color": P.LOST, "penwidth": "2", "fillcolor": P.LOST_FILL}
    if d["thread"] == -1:
        return {"style": "rounded,dashed,filled", "fillcolor": "white", "fontcolor": P.MUTED}
    return {}


def _tooltip(d: dict) -> str:
    parts = [f"{d['lane']}, step {d['step']}" if d["step"] else f"{d['lane']}"]
    if d.get("file") and d.get("line"):
        parts.append(f"{d['file']}:{d['line']}")
    parts.extend(d["lines"])
    parts.extend(d.get("notes", ()))
    return plain_text("\n".join(parts))


def _draw_node(dot: InlineDigraph, g: nx.DiGraph, n: int) -> None:
    d = g.nodes[n]
    dot.node(str(n), label=_node_label(d, g.graph.get("where", "")), tooltip=_tooltip(d), **_node_style(d))


def _draw_edge(dot: InlineDigraph, g: nx.DiGraph, u: int, v: int, data: dict) -> None:
    kind = data["kind"]
    attrs: dict[str, str] = {"tooltip": plain_text(data["label"] or kind)}
    label = data["label"]
    if data.get("critical") and kind == "waits-for":
        attrs.update(color=P.FAIL, fontcolor=P.FAIL, style="dashed", penwidth="3", constraint="false")
    elif data.get("critical"):
        attrs.update(color=P.FAIL, fontcolor=P.FAIL, penwidth="2.5", weight="2")
    elif kind == "program":
        attrs.update(color=P.PROGRAM, penwidth="1.3", weight="100")
    elif kind == "sync":
        attrs.update(color=P.SYNC, fontcolor=P.SYNC, penwidth="1.6", weight="2")
    elif kind == "conflict":
        attrs.update(color=P.CONFLICT, fontcolor=P.CONFLICT, style="dashed", penwidth="1.6", weight="1")
    elif kind == "output":
        attrs.update(color=P.OUTPUT, fontcolor=P.OUTPUT, style="dotted", weight="1")
    elif kind == "waits-for":
        attrs.update(color=P.FAIL, fontcolor=P.FAIL, style="dashed", penwidth="2", constraint="false")
    if kind == "conflict" or "conflict" in data.get("kinds", ()):
        label = _conflict_text(label)
    if label and kind != "program":
        attrs["label"] = plain_text(label.replace("; ", "\n"))
    dot.edge(str(u), str(v), **attrs)


def _conflict_text(label: str) -> str:
    """"write->read counter.value" reads as "counter.value: write -> read"."""
    out = []
    for part in label.split("; "):
        head, _, target = part.partition(" ")
        if "->" in head and target:
            a, _, b = head.partition("->")
            part = f"{target}: {a} \u2192 {b}"
        out.append(part)
    return "; ".join(out)


def _draw_legend(dot: InlineDigraph, g: nx.DiGraph, lanes: list[str]) -> None:
    kinds = {k for _, _, d in g.edges(data=True) for k in d.get("kinds", (d["kind"],))}
    roles = {r for _, d in g.nodes(data=True) for r in d["roles"]}
    keys = [k for k in ("program", "sync", "conflict", "output", "waits-for") if k in kinds]
    if any(d.get("critical") and d["kind"] == "conflict" for _, _, d in g.edges(data=True)):
        keys.append("critical")
    if any(d.get("critical") and d["kind"] == "waits-for" for _, _, d in g.edges(data=True)):
        keys.append("cycle")
    if "failing" in roles:
        keys.append("failing")
    if roles & set(_LOST_ROLES):
        keys.append("lost")
    if "blocked" in roles:
        keys.append("blocked")
    if not keys:
        return
    dot.node("legend", label=P.legend_label(keys), shape="plaintext", style="", margin="0")
    last = f"row_{len(_rows(g)) - 1}" if _rows(g) else "row_head"
    dot.edge(last, "legend", style="invis")
