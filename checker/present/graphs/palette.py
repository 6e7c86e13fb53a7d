"""Colours, fonts and the legend shared by the trace and state-space
drawings, so the same thing looks the same in both.

Colours were picked to stay distinguishable for the common forms of colour
blindness: the failure is red *and* thick, the lost update orange *and*
dashed, synchronisation blue; nothing relies on hue alone.
"""

from __future__ import annotations

from .inline_digraph import InlineDigraph
from .labels import html_text

FONT = "Helvetica"
MONO = "Courier"

INK = "#222222"
MUTED = "#6b6b6b"
LANE_FILL = "#f4f6f8"
LANE_BORDER = "#c9d1d9"
STEP_BORDER = "#8c959f"

PROGRAM = "#57606a"
SYNC = "#1f6feb"
CONFLICT = "#bc8c00"
OUTPUT = "#8c959f"

FAIL = "#cf222e"
FAIL_FILL = "#ffebe9"
LOST = "#d4700a"
LOST_FILL = "#fff1e0"
OK_FILL = "#e6f4ea"
OK = "#1a7f37"

#: Legend entries by key: (sample HTML, explanation).
_ENTRIES = {
    "program": (f'<FONT COLOR="{PROGRAM}"><B>&#8212;&#8212;&gt;</B></FONT>',
                "next step of the same thread (time flows down)"),
    "sync": (f'<FONT COLOR="{SYNC}"><B>&#8212;&#8212;&gt;</B></FONT>',
             "synchronisation: start, join, lock, event, timeout"),
    "conflict": (f'<FONT COLOR="{CONFLICT}"><B>- - -&gt;</B></FONT>',
                 "conflicting access to the same shared data"),
    "critical": (f'<FONT COLOR="{FAIL}"><B>&#8212;&#8212;&gt;</B></FONT>',
                 "the conflict that loses an update"),
    "output": (f'<FONT COLOR="{OUTPUT}"><B>&#183;&#183;&#183;&gt;</B></FONT>',
               "output printed in this order"),
    "waits-for": (f'<FONT COLOR="{FAIL}"><B>- - -&gt;</B></FONT>',
                  "a blocked thread waits for the step holding what it needs (a lock, a thread's end)"),
    "cycle": (f'<FONT COLOR="{FAIL}" POINT-SIZE="12"><B>- - -&gt;</B></FONT>',
              "thick: the wait-for cycle that makes the deadlock"),
    "failing": (f'<FONT COLOR="{FAIL}"><B>&#9632;</B></FONT>', "the step where the check fails"),
    "lost": (f'<FONT COLOR="{LOST}"><B>&#9632;</B></FONT>',
             "lost update: two threads read the same value, one write overwrites the other"),
    "blocked": (f'<FONT COLOR="{FAIL}"><B>&#9633;</B></FONT>', "a thread blocked forever (deadlock)"),
    "transition": (f'<FONT COLOR="{PROGRAM}"><B>&#8212;&#8212;&gt;</B></FONT>', "one step: thread: operation"),
    "path": (f'<FONT COLOR="{FAIL}"><B>&#8212;&#8212;&gt;</B></FONT>', "the counterexample's path"),
    "positions": (f'<FONT POINT-SIZE="7" COLOR="{MUTED}">t 19</FONT>',
                  "small print: the line each thread waits at (done: finished, -: not started yet)"),
    "initial": (f'<FONT COLOR="{SYNC}"><B>&#9632;</B></FONT>', "the initial state"),
    "final": (f'<FONT COLOR="{OK}"><B>&#9632;</B></FONT>', "a final state: every thread finished"),
    "fail-state": (f'<FONT COLOR="{FAIL}"><B>&#9632;</B></FONT>', "a failing state (assertion, exception, deadlock)"),
}


def legend_label(keys: list[str], title: str = "How to read this") -> str:
    """An HTML-like label listing the legend entries ``keys`` (in order)."""
    rows = [f'<TR><TD COLSPAN="2" ALIGN="LEFT"><B>{html_text(title)}</B></TD></TR>']
    for key in keys:
        sample, text = _ENTRIES[key]
        rows.append(f'<TR><TD ALIGN="CENTER">{sample}</TD><TD ALIGN="LEFT">{html_text(text, None)}</TD></TR>')
    return (f'<<TABLE BORDER="1" COLOR="{LANE_BORDER}" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3" '
            f'BGCOLOR="white">{"".join(rows)}</TABLE>>')


def lanes_digraph(name: str, nodesep: str, ranksep: str, node_margin: str) -> InlineDigraph:
    """A drawing with one lane per thread flowing down (the trace and the
    linearizability history): the shared graph, node and edge style."""
    dot = InlineDigraph(name)
    dot.attr("graph", newrank="true", rankdir="TB", nodesep=nodesep, ranksep=ranksep, fontname=FONT,
             fontsize="12", labelloc="t", labeljust="l", bgcolor="white", pad="0.2")
    dot.attr("node", shape="box", style="rounded,filled", fillcolor="white", color=STEP_BORDER,
             fontname=FONT, fontsize="10", margin=node_margin)
    dot.attr("edge", fontname=FONT, fontsize="8", arrowsize="0.7")
    return dot
