"""Writing graphs to files, for the API and the CLI.

Contracts:

* Every file is written atomically (``checker.atomic.write_atomic``); a file is
  only written once its whole content exists, so a failed render leaves no
  partial file and never touches an existing one.  Nothing is deleted.
* No renderer (or a renderer failing) is not an error: the DOT source is
  written next to the requested file (same name, ``.dot``) and the caller
  gets one line saying how to render it instead of a path.
* ``write_result_graphs`` returns human-readable lines (one per file, or
  the one-line fallback) for the CLI to print as they are.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import graphviz

from ...runtime.trace import Failure, Trace
from . import renderer
from ...atomic import write_atomic
from .history_render import history_digraph
from .render import trace_digraph

SUFFIX_FORMATS = {".svg": "svg", ".png": "png", ".dot": "dot", ".gv": "dot"}
DEFAULT_OUT = "checker-out"


def format_for(path: str | os.PathLike[str], format: str | None = None) -> str:
    """The output format: ``format`` if given, else from the suffix, else svg."""
    if format is not None:
        fmt = format.lower().lstrip(".")
        if fmt not in renderer.FORMATS:
            raise ValueError(f"unknown graph format {format!r} (use one of: {', '.join(renderer.FORMATS)})")
        return fmt
    return SUFFIX_FORMATS.get(Path(path).suffix.lower(), "svg")


def save_digraph(dot: graphviz.Digraph, path: str | os.PathLike[str], format: str | None = None) -> Path | str:
    """Write ``dot`` to ``path`` as svg, png or DOT text.  Returns the path
    written, or (no renderer, or rendering failed) one line saying what was
    written instead and how to render it."""
    target = Path(path)
    fmt = format_for(target, format)
    if fmt == "dot":
        return write_atomic(target, dot.source)
    try:
        data = renderer.render(dot.source, fmt)
    except renderer.NoRenderer:
        dot_path = write_atomic(target.with_suffix(".dot"), dot.source)
        return renderer.how_to_render(dot_path, fmt)
    except renderer.RenderFailed as exc:
        dot_path = write_atomic(target.with_suffix(".dot"), dot.source)
        return f"could not draw {target} ({exc}); wrote {dot_path} instead"
    return write_atomic(target, data)


def save_trace_graph(trace: Trace, path: str | os.PathLike[str], format: str | None = None, *,
                     title: str | None = None, failure: Failure | None = None) -> Path | str:
    """Draw ``trace`` (see ``render.trace_digraph``) into ``path``; the
    format comes from ``format`` or the suffix (.svg, .png, .dot; default
    svg).  Returns the path, or the one-line fallback of ``save_digraph``."""
    return save_digraph(trace_digraph(trace, title=title, failure=failure), path, format)


def scenario_title(result: Any, model_path: str | os.PathLike[str]) -> str:
    """"counter.py: unlocked(times=1)" (plus the timing when not ideal, and
    the memory model when it is free-threading)."""
    params = ", ".join(f"{k}={v!r}" for k, v in result.params.items())
    timing = f"  [timing {result.timing}]" if result.timing != "ideal" else ""
    semantics = "  [free-threading]" if result.semantics == "free-threading" else ""
    return f"{Path(model_path).name}: {result.scenario}({params}){timing}{semantics}"


def graph_folder(out_dir: str | os.PathLike[str], model_path: str | os.PathLike[str]) -> Path:
    """Where a model's graphs go, unique per model file: its path relative
    to the working directory without ``.py`` (``models/counter.py`` ->
    ``<out_dir>/models/counter``); a file outside the working directory
    gets its name plus a hash of its absolute path (``counter-1a2b3c4d``)."""
    model = Path(model_path).resolve()
    try:
        rel = model.relative_to(Path.cwd().resolve())
    except ValueError:
        digest = hashlib.sha1(str(model).encode()).hexdigest()[:8]
        return Path(out_dir) / f"{model.stem}-{digest}"
    return Path(out_dir) / rel.with_suffix("")


def write_result_graphs(
    result: Any,
    model_path: str | os.PathLike[str],
    out_dir: str | os.PathLike[str] = DEFAULT_OUT,
    formats: Iterable[str] = ("svg",),
    state_graph: bool = False,
    scenario_params: tuple[Any, Mapping[str, Any]] | None = None,
    cap: int | None = None,
) -> list[str]:
    """Write the graphs of one checked scenario; return lines to print.

    * the counterexample's trace graph, when there is one, as
      ``<out_dir>/<model folder>/<scenario>.<format>`` for each format
      (``graph_folder``: unique per model file), and for a linearizability
      scenario its history (``history_render``) as
      ``<scenario>.history.<format>``;
    * with ``state_graph``, the state-space graph as
      ``<scenario>.states.<format>`` (not drawn above the cap) plus its data
      as ``<scenario>.states.graphml`` and ``.states.json``.  The scenario
      is ``scenario_params[0]`` (params ``scenario_params[1]``, default the
      result's) or, when not given, loaded again from ``model_path``.

    Errors writing a file (a read-only folder, ...) become a line too; this
    function does not raise for them.
    """
    folder = graph_folder(out_dir, model_path)
    title = scenario_title(result, model_path)
    lines: list[str] = []
    cex = getattr(result, "counterexample", None)
    try:
        if cex is not None:
            dot = trace_digraph(cex.trace, title=title, failure=cex.failure)
            lines += _save_all(dot, folder / result.scenario, formats, "trace graph")
            history = history_digraph(cex.trace, title=title, failure=cex.failure)  # linearizability only
            if history is not None:
                lines += _save_all(history, folder / f"{result.scenario}.history", formats, "history graph")
        if state_graph:
            lines += _write_state_graph(result, model_path, folder, formats, scenario_params, cap, title)
    except OSError as exc:
        lines.append(f"graph not written: {exc}")
    return lines


def _save_all(dot: graphviz.Digraph, stem: Path, formats: Iterable[str], what: str) -> list[str]:
    lines = []
    gave_up = False  # after one fallback, further drawings would fail the same way: one line is enough
    for fmt in dict.fromkeys(format_for(stem, f) for f in formats):
        if gave_up and fmt != "dot":
            continue
        out = save_digraph(dot, stem.parent / f"{stem.name}.{fmt}", fmt)
        if isinstance(out, str):
            gave_up = True
            lines.append(out)
        else:
            lines.append(f"{what}: {out}")
    return lines


def _write_state_graph(result: Any, model_path: str | os.PathLike[str], folder: Path, formats: Iterable[str],
                       scenario_params: tuple[Any, Mapping[str, Any]] | None, cap: int | None,
                       title: str) -> list[str]:
    from .state_graph import DEFAULT_CAP, state_space_graph  # explores the model: only when asked for

    if scenario_params is not None:
        scenario, params = scenario_params[0], (scenario_params[1] if len(scenario_params) > 1 else result.params)
    else:
        from ...program.model_file import load_model

        scenario, params = load_model(Path(model_path)).scenario(result.scenario), result.params
    cex = getattr(result, "counterexample", None)
    space = state_space_graph(scenario, params, result.timing, cap=cap or DEFAULT_CAP,
                              schedule=cex.schedule if cex is not None else None)
    if space.states == 0:
        return [f"state graph not made: {space.note}"]
    stem = folder / f"{result.scenario}.states"
    graphml = space.write_graphml(stem.parent / f"{stem.name}.graphml")
    data = space.write_json(stem.parent / f"{stem.name}.json")
    lines = []
    if space.too_big:
        lines.append(f"state graph: {space.describe()}; too big to draw (cap {space.cap}), data in {graphml} "
                     f"and {data}")
        return lines
    lines += _save_all(space.digraph(title=title), stem, formats, f"state graph ({space.describe()})")
    lines.append(f"state graph data: {graphml}, {data}")
    return lines
