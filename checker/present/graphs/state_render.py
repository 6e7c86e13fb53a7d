"""Drawing a state-space graph (``state_graph.StateSpace``) with Graphviz.

Top to bottom by depth (the start at the top).  Each state shows its
number, the shared objects' values, when time has passed the virtual clock,
and in small print the line each thread stopped before ("done" when it
finished, "-" before its first step), which is what tells apart states with
equal values; the start is blue, final states green with a double border, failing
states red (deadlocks say so).  Edges are labelled "thread: operation"; the
highlighted counterexample path is red and thick.  Labels are escaped
(``labels``); the result is an ``InlineDigraph``.
"""

from __future__ import annotations

import textwrap
from typing import Any

from . import palette as P
from .inline_digraph import InlineDigraph
from .labels import html_text, plain_text


def state_digraph(space: Any, title: str | None = None) -> InlineDigraph:
    """The drawing of ``space`` (a ``StateSpace`` under its cap)."""
    g = space.graph
    dot = InlineDigraph("states")
    dot.attr("graph", rankdir="TB", nodesep="0.25", ranksep="0.45", fontname=P.FONT, fontsize="12",
             labelloc="t", labeljust="l", bgcolor="white", pad="0.2")
    dot.attr("node", shape="box", style="rounded,filled", fillcolor="white", color=P.STEP_BORDER,
             fontname=P.FONT, fontsize="9", margin="0.06,0.03")
    dot.attr("edge", fontname=P.FONT, fontsize="7", color=P.OUTPUT, fontcolor=P.MUTED, arrowsize="0.6")
    dot.attr("graph", label=_title(title, space))
    for n, d in g.nodes(data=True):
        dot.node(str(n), label=_label(n, d), tooltip=_tooltip(n, d), **_style(d))
    for u, v, d in g.edges(data=True):
        attrs = {"label": plain_text(d["label"]), "tooltip": plain_text(d["label"])}
        if d["on_path"]:
            attrs.update(color=P.FAIL, fontcolor=P.FAIL, penwidth="2.5")
        dot.edge(str(u), str(v), **attrs)
    keys = ["transition", "positions", "initial", "final"]
    if any(d["failing"] for _, d in g.nodes(data=True)):
        keys.append("fail-state")
    if any(d["on_path"] for _, _, d in g.edges(data=True)):
        keys.append("path")
    dot.node("legend", label=P.legend_label(keys), shape="plaintext", style="", margin="0")
    return dot


def _title(title: str | None, space: Any) -> str:
    head = html_text(title or "state space", 120)
    sub = html_text(f"{space.describe()}: every distinct state reachable from the start", None)
    return (f'<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="2"><TR><TD ALIGN="LEFT"><B><FONT POINT-SIZE="14">'
            f'{head}</FONT></B></TD></TR><TR><TD ALIGN="LEFT"><FONT COLOR="{P.MUTED}">{sub}</FONT></TD></TR>'
            f"</TABLE>>")


def _label(n: int, d: dict) -> str:
    rows = [f"<B>{'start' if d['initial'] else f'#{n}'}</B>"]
    if d["state"]:
        rows.append(html_text(d["state"], 50))
    if d["clock"]:
        rows.append(f'<FONT COLOR="{P.MUTED}">time {d["clock"]:g}</FONT>')
    if d.get("threads") and not d["final"]:
        rows.append(f'<FONT POINT-SIZE="7" COLOR="{P.MUTED}">{html_text(d["threads"], 70)}</FONT>')
    if d["deadlock"]:
        rows.append(f'<FONT COLOR="{P.FAIL}"><B>DEADLOCK</B></FONT>')
    elif d["failing"]:
        lines = textwrap.wrap(d["failure"], 45)[:4]
        rows.append(f'<FONT COLOR="{P.FAIL}"><B>FAILS</B></FONT>')
        rows += [f'<FONT COLOR="{P.FAIL}">{html_text(line, None)}</FONT>' for line in lines]
    elif d["final"]:
        rows.append(f'<FONT COLOR="{P.OK}"><B>final</B></FONT>')
    return "<" + "<BR/>".join(rows) + ">"


def _style(d: dict) -> dict[str, str]:
    if d["failing"]:
        return {"color": P.FAIL, "fillcolor": P.FAIL_FILL, "penwidth": "2.5"}
    if d["final"]:
        return {"color": P.OK, "fillcolor": P.OK_FILL, "peripheries": "2", "penwidth": "1.5"}
    if d["initial"]:
        return {"color": P.SYNC, "penwidth": "2.5"}
    if d["on_path"]:
        return {"color": P.FAIL, "penwidth": "1.5"}
    return {}


def _tooltip(n: int, d: dict) -> str:
    parts = [f"state {n} (depth {d['depth']}): {d['state']}", f"replay: {d['schedule']}"]
    if d["output"]:
        parts.append("output so far:\n" + d["output"])
    if d["failure"]:
        parts.append(d["failure"])
    return plain_text("\n".join(parts))
