"""Graphs of executions, for people and for other tools.

* ``trace_graph(trace, failure=None)``: one execution as a networkx
  ``DiGraph`` (steps, program order, synchronisation, conflicting accesses;
  the steps that make the check fail are marked).
* ``trace_digraph(trace, title=None, failure=None)``: its drawing, a
  ``graphviz.Digraph`` (swimlanes, time flowing down) that displays inline
  in Jupyter.
* ``save_trace_graph(trace, path, format=None)``: svg/png/dot file.
* ``history_digraph(trace, title=None, failure=None)``: a linearizability
  scenario's history, operations as intervals on thread lanes (None for
  other scenarios); ``history_intervals(trace)`` its data.
* ``write_result_graphs(result, model_path, ...)``: what the CLI writes.
* ``state_space_graph(scenario, params, timing, cap=500)``: all states of a
  small model (``StateSpace`` with ``.graph``, ``.too_big`` and writers).
* ``result_html(result)``: a result for Jupyter.

Rendering uses Graphviz's ``dot`` when on PATH, else the ``graphviz-pure``
pip package; with neither, the DOT text is written and one line says how to
render it (``renderer``).
"""

from ..history import Interval, history_intervals
from .history_render import history_digraph
from .lost_update import LostUpdate, find_lost_updates
from .notebook import result_html
from .render import trace_digraph
from .renderer import NoRenderer, RenderFailed, find_renderers
from .save import save_digraph, save_trace_graph, write_result_graphs
from .state_graph import StateSpace, state_space_graph
from .trace_graph import trace_graph

__all__ = [
    "Interval", "LostUpdate", "NoRenderer", "RenderFailed", "StateSpace", "find_lost_updates", "find_renderers",
    "history_digraph", "history_intervals", "result_html", "save_digraph", "save_trace_graph", "state_space_graph", "trace_digraph", "trace_graph",
    "write_result_graphs",
]
