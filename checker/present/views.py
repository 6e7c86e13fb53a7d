"""Install the presentation hooks of ``checker.check.result.VIEWS`` so that
``Counterexample.to_networkx()/to_graphviz()/save()`` and
``Result._repr_html_`` (Jupyter) work without the check layer importing
this one.  Imported by ``checker/__init__.py``."""

from __future__ import annotations

from ..check.result import VIEWS
from .graphs import result_html, save_trace_graph, trace_digraph, trace_graph

VIEWS.trace_graph = trace_graph
VIEWS.trace_digraph = trace_digraph
VIEWS.save_trace_graph = save_trace_graph
VIEWS.result_html = result_html
