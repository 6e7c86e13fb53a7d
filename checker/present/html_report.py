"""The ``--html PATH`` report: one self-contained HTML file for a whole run.

Contracts:

* every scenario checked (in run order) has a section with its verdict,
  expectation, counts and, for a counterexample, the trace table, the trace
  graph as inline SVG (``html_svg``), the replay command (the node-id form
  the text report prints) with a copy button, and a step-through view
  (previous/next buttons, arrow keys; the current step is highlighted in
  the table and in the graph);
* model files and scenarios that could not be checked are listed; a run
  stopped by Ctrl-C says so and holds what had finished;
* the page loads nothing: style and script are inline (``html_assets``), the
  graphs are inline SVG; it contains no URL;
* all text from models and results is HTML-escaped;
* the file is written atomically (``checker.atomic.write_atomic``).

Graphs are drawn as each scenario is added (``HtmlReport.add``), so the
drawing libraries are imported only when there is a counterexample to draw
and drawing is not turned off.
"""

from __future__ import annotations

import html
import platform
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from collections.abc import Iterable

from ..atomic import write_atomic
from ..explore.coverage import StopReason
from ..check.result import Result
from ..runtime.schedule import encode
from ..runtime.trace import Trace
from . import html_assets
from .condense import ElidedSteps, condensed
from .events import event_lines, operation_text
from .html_svg import embed_svg
from .report import count, counts_line, failure_details, gil_line, replay_command, summary_words, verdict_text

_ESC = html.escape


@dataclass
class Entry:
    """One checked scenario: its model file, result, and the trace graph
    as an SVG fragment (or ``graph_note``: why there is none)."""

    model: str
    result: Result
    graph: str | None = None
    graph_note: str = "graph not drawn (interrupted)"
    history: str | None = None  # a linearizability scenario's history graph (graphs.history_render)


class HtmlReport:
    """Collects results during a run, then writes the page.

    ``draw``: draw counterexample graphs (False for ``--graph none``);
    ``command``: the command line, shown in the header."""

    def __init__(self, *, draw: bool = True, command: str | None = None) -> None:
        self.draw = draw
        self.command = command
        self.entries: list[Entry] = []

    def add(self, model_path: str, result: Result) -> None:
        entry = Entry(model_path, result)
        self.entries.append(entry)  # first, so an interrupted drawing still reports the result
        if result.counterexample is None:
            entry.graph_note = ""
        elif not self.draw:
            entry.graph_note = "graph not drawn (--graph none)"
        else:
            entry.graph, entry.graph_note = trace_svg(result, f"g{len(self.entries)}")
            entry.history = history_svg(result, f"h{len(self.entries)}")

    def page(self, errors: Iterable[Any] = (), interrupted: bool = False, planned: int | None = None) -> str:
        return page(self.entries, list(errors), interrupted=interrupted, planned=planned, command=self.command)

    def write(self, path: str | Path, errors: Iterable[Any] = (), interrupted: bool = False,
              planned: int | None = None) -> Path:
        return write_atomic(path, self.page(errors, interrupted, planned))


def trace_svg(result: Result, prefix: str) -> tuple[str | None, str]:
    """The counterexample's trace graph as an embeddable fragment, or None
    and a one-line reason (no renderer, or rendering failed)."""
    from .graphs import renderer
    from .graphs.render import trace_digraph

    cex = result.counterexample
    assert cex is not None
    source = trace_digraph(cex.trace, failure=cex.failure).source
    try:
        svg = renderer.render(source, "svg")
    except (renderer.NoRenderer, renderer.RenderFailed) as exc:
        return None, f"graph not drawn: {exc} (`{renderer.INSTALL_HINT}` to draw it)"
    return embed_svg(svg, prefix, steps=len(cex.trace.events)), ""


# ----------------------------------------------------------------------
def page(entries: list[Entry], errors: list[Any], *, interrupted: bool = False, planned: int | None = None,
         command: str | None = None) -> str:
    """The whole document."""
    from .. import __version__

    summary = summary_text(entries, errors, interrupted, planned)
    meta = [f"checker {__version__}", f"Python {platform.python_version()}",
            f"written {time.strftime('%Y-%m-%d %H:%M:%S')}"]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>checker: {_ESC(summary)}</title>",
        f"<style>{html_assets.CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        "<h1>checker report</h1>",
        f'<p class="summary" id="summary">{_ESC(summary)}</p>',
    ]
    if command:
        parts.append(f'<p class="meta">command: <code>{_ESC(command)}</code></p>')
    parts += [f'<p class="meta">{_ESC(" · ".join(meta))}</p>', "</header>"]
    if interrupted:
        parts.append('<div class="banner interrupted" id="interrupted"><b>Interrupted (Ctrl-C).</b> '
                     "These are the results of what ran before; the last scenario's search was cut short "
                     "and proves nothing.</div>")
    if errors:
        items = "".join(f"<li><code>{_ESC(e.model)}{'::' + _ESC(e.scenario) if e.scenario else ''}</code>: "
                        f"{_ESC(e.message)}</li>" for e in errors)
        parts.append(f'<div class="banner errors" id="errors"><b>{_ESC(count(len(errors), "error"))}: could not '
                     f"be checked</b><ul>{items}</ul></div>")
    parts.append("<main>")
    if entries:
        parts.append(overview(entries))
    parts += [scenario_section(k, e) for k, e in enumerate(entries, start=1)]
    parts += ["</main>", f"<script>{html_assets.JS}</script>", "</body>", "</html>", ""]
    return "\n".join(parts)


def summary_text(entries: list[Entry], errors: list[Any], interrupted: bool, planned: int | None) -> str:
    """The CLI's summary line, in the same words."""
    failed = sum(1 for e in errors if e.scenario is not None)
    finished = None
    if interrupted:
        finished = len(entries) - (1 if entries and entries[-1].result.stop is StopReason.INTERRUPTED else 0)
    return summary_words([e.result for e in entries], failed, len(errors) - failed, finished, planned)


def node_id(e: Entry) -> str:
    return f"{e.model}::{e.result.scenario}"


def params_text(r: Result) -> str:
    return f"({', '.join(f'{k}={v!r}' for k, v in r.params.items())})"


def overview(entries: list[Entry]) -> str:
    rows = []
    for k, e in enumerate(entries, start=1):
        r = e.result
        rows.append(
            f'<tr><td class="num">{k}</td><td><a href="#scenario-{k}">{_ESC(node_id(e))}</a>'
            f"{_ESC(params_text(r))}</td><td>{badge(r)}</td>"
            f'<td class="verdict-{_ESC(r.verdict)}">{_ESC(r.verdict)}</td><td>{_ESC(r.expectation)}</td>'
            f'<td class="num">{r.executions}</td><td class="num">{r.transitions}</td>'
            f'<td class="num">{r.wall_time:.2f}s</td></tr>')
    head = "".join(f"<th>{h}</th>" for h in ("#", "scenario", "result", "verdict", "expected", "executions",
                                             "transitions", "time"))
    return f'<table class="overview" id="overview"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def badge(r: Result) -> str:
    return '<span class="badge">ok</span>' if r.meets_expectation else \
        '<span class="badge unexpected">UNEXPECTED</span>'


def history_svg(result: Result, prefix: str) -> str | None:
    """A linearizability counterexample's history graph as an embeddable
    fragment; None for other scenarios or when it cannot be rendered."""
    from .graphs import renderer
    from .graphs.history_render import history_digraph

    cex = result.counterexample
    drawing = history_digraph(cex.trace, failure=cex.failure) if cex is not None else None
    try:
        return embed_svg(renderer.render(drawing.source, "svg"), prefix) if drawing is not None else None
    except (renderer.NoRenderer, renderer.RenderFailed):
        return None


def scenario_section(k: int, e: Entry) -> str:
    r = e.result
    classes = "scenario" + ("" if r.meets_expectation else " unexpected")
    out = [
        f'<section class="{classes}" id="scenario-{k}" data-scenario="{_ESC(r.scenario)}" '
        f'data-verdict="{_ESC(r.verdict)}" data-as-expected="{str(r.meets_expectation).lower()}">',
        f'<h2>{badge(r)}<a href="#scenario-{k}">{_ESC(node_id(e))}</a>'
        f'<span class="params">{_ESC(params_text(r))}</span></h2>',
        f'<p class="verdict verdict-{_ESC(r.verdict)}">{_ESC(verdict_text(r))}</p>',
        f'<p class="counts">expected {_ESC(r.expectation)} · {_ESC(counts_line(r))}</p>',
    ]
    if r.under_gil is not None:
        out.append(f'<p class="counts">{"<br>".join(_ESC(line.strip()) for line in gil_line(r).splitlines())}</p>')
    if r.from_memory:
        out.append(f'<p class="counts">reproduced by a failing schedule remembered in '
                   f"<code>{_ESC(r.from_memory)}/</code></p>")
    if r.failure is not None:
        details = failure_details(r.failure)
        if details:
            out.append(f'<pre class="failure">{_ESC(chr(10).join(details))}</pre>')
    cex = r.counterexample
    if cex is not None:
        command = replay_command(r, e.model)
        out.append(f'<div class="replay"><span>replay:</span><code>{_ESC(command)}</code>'
                   '<button type="button" class="copy" title="copy the replay command">Copy</button></div>')
        out.append(counterexample_block(cex.trace, e, failing=_failing_step(cex.trace)))
        if e.history:
            out.append(f'<div class="history"><p class="counts">the history: each call a box from its '
                       f'invocation to its return</p>{e.history}</div>')
    if r.all_outcomes:
        out.append(outcomes_block(r))
    out.append("</section>")
    return "\n".join(out)


def _failing_step(trace: Trace) -> int | None:
    return next((ev.index for ev in trace.events if ev.raised), None)


def counterexample_block(trace: Trace, e: Entry, failing: int | None) -> str:
    n = len(trace.events)
    fit = '<button type="button" class="fit">actual size</button>' if e.graph else ""
    controls = (
        '<div class="stepper">'
        '<button type="button" class="prev" title="previous step (left arrow)">&#9664; previous</button>'
        '<button type="button" class="next" title="next step (right arrow)">next &#9654;</button>'
        '<button type="button" class="all">show all</button>'
        f'<span class="where">all {_ESC(count(n, "step"))}</span>'
        f'<span class="hint">step through with &larr; &rarr; or click a step</span>{fit}</div>'
    )
    graph = (f'<div class="graph-pane fit">{e.graph}</div>' if e.graph
             else f'<div class="graph-pane"><p class="graph-note">{_ESC(e.graph_note)}</p></div>')
    return (f'<div class="cex" data-steps="{n}">{controls}<div class="panes">'
            f'<div class="table-pane">{trace_table_html(trace, failing)}</div>{graph}</div></div>')


def trace_table_html(trace: Trace, failing: int | None = None) -> str:
    """The text report's table as HTML: one column per thread (plus
    "clock" when the virtual clock ticked), one row per step."""
    ticks = any(ev.is_tick for ev in trace.events)
    columns = list(trace.threads) + (["clock"] if ticks else [])
    head = "<th>step</th>" + "".join(f"<th>{_ESC(name)}</th>" for name in columns)
    rows = []
    for ev in condensed(trace).events:  # a long trace: the steps that explain it, the rest summarised
        cells = ["" for _ in columns]
        if ev.is_tick:
            column, thread = len(columns) - 1, "clock"
            cells[column] = f'<div class="tick">{_ESC(ev.operation)}</div>'
        else:
            column, thread = ev.thread, ev.thread_name
            cells[column] = "".join(_line_html(line, ev) for line in event_lines(ev))
        mark = ' class="failing"' if ev.index == failing else ""
        rows.append(f'<tr data-step="{ev.index}" data-thread="{_ESC(thread)}"{mark}><th>{_ESC(ev.steps_text) if isinstance(ev, ElidedSteps) else ev.index + 1}</th>'
                    + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return f'<table class="trace"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _line_html(line: str, ev: Any) -> str:
    op = operation_text(ev)
    if op and line == op:
        return f'<div class="op">{_ESC(line)}</div>'
    if line.startswith("raises "):
        return f'<div class="raised">{_ESC(line)}</div>'
    return f"<div>{_ESC(line)}</div>"


def outcomes_block(r: Result) -> str:
    rows = []
    empty = "(not recorded for unmodified code)" if r.semantics is not None else "(no shared objects)"
    for stat in sorted(r.outcomes, key=lambda s: (-s.count, s.outcome.describe_state())):
        o = stat.outcome
        rows.append(f'<tr><td class="num">{stat.count}</td><td>{_ESC(o.describe_state() or empty)}'
                    f"</td><td>{_ESC(o.failure or '')}</td><td><code>{_ESC(o.output)}</code></td>"
                    f"<td><code>{_ESC(encode(stat.witness))}</code></td></tr>")
    head = "".join(f"<th>{h}</th>" for h in ("executions", "final state", "failure", "output", "witness schedule"))
    return (f'<details class="outcomes" open><summary>{_ESC(count(r.distinct_outcomes, "distinct outcome"))}'
            f"</summary><table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></details>")
