"""Counterexample.to_networkx / to_graphviz / save and Result._repr_html_
(the Python/Jupyter surface of the graphs)."""

import graphviz
import networkx as nx

from checker import check, load_model


def lost_update():
    return check(load_model("models/counter.py").scenario("unlocked"), params={"times": 1})


def test_counterexample_graph_conveniences(tmp_path):
    cex = lost_update().counterexample
    g = cex.to_networkx()
    assert isinstance(g, nx.DiGraph) and g.number_of_nodes() == 7
    dot = cex.to_graphviz(title="lost update")
    assert isinstance(dot, graphviz.Digraph) and "lost update" in dot.source
    png = cex.save(tmp_path / "lost.png")
    assert png == tmp_path / "lost.png" and png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert cex.save(tmp_path / "lost.dot").read_text().startswith("digraph")


def test_result_displays_inline_in_jupyter():
    html = lost_update()._repr_html_()
    assert "VIOLATION" in html and "<svg" in html and "replay schedule" in html
    safe = check(load_model("models/counter.py").scenario("locked"), params={"times": 1})._repr_html_()
    assert "SAFE over all 2 classes of interleavings" in safe and "<svg" not in safe
