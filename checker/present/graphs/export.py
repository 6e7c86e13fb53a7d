"""Graph data for other tools: GraphML and networkx node-link JSON.

GraphML only holds scalar attributes, so ``plain_graph`` returns a copy
whose tuples and lists become newline-joined strings and whose None values
become "" (a GraphML reader sees every attribute with one type).  JSON keeps
lists as lists.  Both work for the trace graph and the state-space graph.
"""

from __future__ import annotations

from typing import Any

import networkx as nx


def _scalar(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (tuple, list)):
        return "\n".join(str(_scalar(v)) for v in value)
    if isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def plain_graph(g: nx.DiGraph) -> nx.DiGraph:
    """A copy of ``g`` with only GraphML-friendly attribute values."""
    out = nx.DiGraph()
    out.graph.update({k: _scalar(v) for k, v in g.graph.items()})
    for n, d in g.nodes(data=True):
        out.add_node(n, **{k: _scalar(v) for k, v in d.items()})
    for u, v, d in g.edges(data=True):
        out.add_edge(u, v, **{k: _scalar(x) for k, x in d.items()})
    return out


def node_link_json(g: nx.DiGraph) -> dict[str, Any]:
    """``nx.node_link_data`` with the edge list under "edges" (networkx
    3.4+ spelling; older versions call it "links", renamed here)."""
    try:
        data = nx.node_link_data(g, edges="edges")
    except TypeError:  # networkx < 3.4
        data = nx.node_link_data(g)
        data["edges"] = data.pop("links")
    return data
