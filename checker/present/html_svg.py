"""SVG for embedding in an HTML page (the ``--html`` report, Jupyter).

Graphviz writes a standalone SVG document: an XML prologue, a DOCTYPE with
a URL, ``xmlns`` attributes, and ids (``graph0``, ``node1``, ...) that are
the same in every drawing.  ``embed_svg`` turns it into a fragment that can
sit inline in an HTML5 page next to other drawings:

* the prologue, DOCTYPE and ``xmlns`` attributes are dropped (an HTML parser
  puts ``<svg>`` in the SVG namespace by itself and knows ``xlink:title``),
  so the page refers to no URL at all;
* every ``id`` gets a per-drawing prefix, so two drawings never share one;
* with ``steps``, the node of step *k* of a trace graph (0-based; its
  Graphviz title is *k*, see ``graphs.render``) gets ``data-step="k"``, the
  step axis' label of that row ``data-row="k"``, and a thread that never
  finished (a node after the last step) ``data-end``; the report's script
  highlights them when stepping through a counterexample; an edge gets
  ``data-upto``, the last row it reaches (a thread's lifeline grows as the
  steps are walked through).

This module imports no graph library: it works on SVG text only.
"""

from __future__ import annotations

import re

_PROLOGUE = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)
_XMLNS = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')
_ID = re.compile(r'\bid="([^"]*)"')
_REF = re.compile(r'(url\(#|href="#)([^")]*)')
_NODE = re.compile(r'<g id="([^"]*)" class="node">(\s*<title>)([^<]*)(</title>)')
_EDGE = re.compile(r'<g id="([^"]*)" class="edge">(\s*<title>)([^<]*)(</title>)')
_ROW = re.compile(r"row_(\d+)")
_GAP = re.compile(r"gap_(\d+)_\d+")


def inline_svg(svg: bytes | str) -> str:
    """SVG text without ``<?xml ...?>``, ``<!DOCTYPE ...>`` and comments
    before the ``<svg>`` element (which may not appear inside HTML)."""
    text = svg.decode("utf-8") if isinstance(svg, bytes) else svg
    return _PROLOGUE.sub("", text, count=1)


def embed_svg(svg: bytes | str, prefix: str, steps: int | None = None) -> str:
    """``svg`` as an inline fragment with ids prefixed by ``prefix`` (see
    the module docstring); ``steps``: the trace's number of steps, to mark
    its step nodes."""
    text = _XMLNS.sub("", inline_svg(svg), count=0)
    text = _REF.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", text)
    if steps is not None:
        text = _NODE.sub(lambda m: _mark(m, steps), text)
        text = _EDGE.sub(lambda m: _mark_edge(m, steps), text)
    return _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', text)


def _mark(m: re.Match[str], steps: int) -> str:
    title = m.group(3)
    row = _ROW.fullmatch(title)
    if title.isdigit():
        mark = f' data-step="{title}"' if int(title) < steps else " data-end"
    elif row and int(row.group(1)) < steps:
        mark = f' data-row="{row.group(1)}"'
    else:
        mark = ""
    return f'<g id="{m.group(1)}" class="node"{mark}>{m.group(2)}{title}{m.group(4)}'


def _row_of(name: str, steps: int) -> int:
    """The row a trace-graph node sits in: a step's index, a lifeline gap's
    row, ``steps`` for the threads that never finished, -1 for headers."""
    if name.isdigit():
        return min(int(name), steps)
    gap = _GAP.fullmatch(name)
    return int(gap.group(1)) if gap else -1


def _mark_edge(m: re.Match[str], steps: int) -> str:
    ends = m.group(3).replace("&#45;&gt;", "->").split("->")
    upto = max(_row_of(end, steps) for end in ends)
    mark = f' data-upto="{upto}"' if upto >= 0 else ""
    return f'<g id="{m.group(1)}" class="edge"{mark}>{m.group(2)}{m.group(3)}{m.group(4)}'
