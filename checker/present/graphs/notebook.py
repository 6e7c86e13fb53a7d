"""Jupyter: a checked result as HTML (verdict, counts, counterexample
graph inline), for ``Result._repr_html_``.

``result_html`` never raises for a missing renderer: the graph is replaced
by a one-line hint, and the text report's trace table is shown instead.
All text is HTML-escaped; the SVG is inlined without its XML prologue and
with ids unique to each call (``html_svg.embed_svg``), so several results
shown in one notebook never share an element id.
"""

from __future__ import annotations

import html
import itertools
from typing import Any

from ..html_svg import embed_svg, inline_svg
from . import renderer
from .history_render import history_digraph
from .render import trace_digraph
from .save import scenario_title

_COLOURS = {"safe": "#1a7f37", "violation": "#cf222e", "incomplete": "#9a6700"}
_CALLS = itertools.count(1)

__all__ = ["inline_svg", "result_html"]


def result_html(result: Any) -> str:
    """The verdict (coloured), the failure, counts, and for a violation the
    counterexample's trace graph as inline SVG plus its replay schedule."""
    from ..report import counts_line, gil_line, replay_command, trace_table, verdict_line

    colour = _COLOURS.get(result.verdict, "#57606a")
    parts = [
        '<div class="checker-result">',
        (f'<p style="font-family: monospace"><b style="color: {colour}">{html.escape(verdict_line(result).strip())}</b>'
        f"<br>{html.escape(counts_line(result))}"
        + ("".join(f"<br>{html.escape(line.strip())}" for line in gil_line(result).splitlines())
           if getattr(result, "under_gil", None) is not None else "") + "</p>"),
    ]
    cex = getattr(result, "counterexample", None)
    if cex is not None:
        title = scenario_title(result, result.model)
        source = trace_digraph(cex.trace, title=title, failure=cex.failure).source
        try:
            svg = renderer.render(source, "svg")
            fragment = embed_svg(svg, f"checker-{next(_CALLS)}", steps=len(cex.trace.events))
            fragment = fragment.replace("<svg ", '<svg style="max-width: 100%; height: auto" ', 1)
            parts.append(f'<div style="overflow-x: auto">{fragment}</div>')
        except (renderer.NoRenderer, renderer.RenderFailed) as exc:
            parts.append(f"<p><i>{html.escape(str(exc))}: <code>{renderer.INSTALL_HINT}</code> to draw "
                         f"the graph.</i></p><pre>{html.escape(trace_table(cex.trace))}</pre>")
        history = history_digraph(cex.trace, title=title, failure=cex.failure)  # linearizability only
        if history is not None:
            try:
                fragment = embed_svg(renderer.render(history.source, "svg"), f"checker-{next(_CALLS)}")
                parts.append(f'<div style="overflow-x: auto">{fragment}</div>')
            except (renderer.NoRenderer, renderer.RenderFailed):
                pass  # the hint above already says how to draw graphs
        parts.append(f"<p>replay schedule: <code>{html.escape(cex.code)}</code><br>"
                     f"<code>{html.escape(replay_command(result, result.model))}</code></p>")
    parts.append("</div>")
    return "\n".join(parts)
