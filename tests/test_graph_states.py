"""State-space graphs: exact state counts for small models, the highlighted
counterexample path, final/failing/deadlock marks, the drawing cap and the
data exports."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from checker import check, load_model
from checker.present.graphs import renderer, state_space_graph, write_result_graphs
from checker.present.graphs.state_graph import GraphTooBig, transition_label

needs_renderer = pytest.mark.skipif(
    not renderer.find_renderers(), reason="no Graphviz renderer (install the graphviz-pure dependency or Graphviz)"
)


def counter(name):
    return load_model("models/counter.py").scenario(name)


def nodes_where(g, attr):
    return sorted(n for n, d in g.nodes(data=True) if d[attr])


def test_unlocked_counter_states_exact():
    """20 states: the start; 12 while main waits for t (t and s each not
    run, holding a read value, or done, and the counter); 5 while main
    waits for s; the final state and the failing one."""
    space = state_space_graph(counter("unlocked"), {"times": 1})
    g = space.graph
    assert (space.states, g.number_of_edges(), space.transitions) == (20, 25, 25)
    assert space.complete and not space.too_big
    assert nodes_where(g, "initial") == [0]
    (final,) = nodes_where(g, "final")
    (failing,) = nodes_where(g, "failing")
    assert g.nodes[final]["state"] == "counter(value=2)"
    assert g.nodes[failing]["state"] == "counter(value=1)"
    assert g.nodes[failing]["failure"].startswith("assertion failed")
    assert [n for n in g if g.out_degree(n) == 0] == sorted([final, failing])
    assert nx.is_directed_acyclic_graph(g)


def test_locked_counter_states_exact():
    space = state_space_graph(counter("locked"), {"times": 1})
    assert (space.states, space.transitions) == (35, 53)
    assert nodes_where(space.graph, "failing") == []
    assert len(nodes_where(space.graph, "final")) == 1
    assert nodes_where(space.graph, "on_path") == []


def test_counterexample_path_is_highlighted():
    # DPOR's first counterexample is the first path to its failing state the state graph records
    r = check(counter("unlocked"), params={"times": 1}, minimize=False)
    space = state_space_graph(counter("unlocked"), {"times": 1}, schedule=r.counterexample.schedule)
    g = space.graph
    path = nodes_where(g, "on_path")
    assert len(path) == len(r.counterexample.schedule) + 1
    assert g.nodes[path[0]]["initial"]
    last = max(path, key=lambda n: g.nodes[n]["depth"])
    assert g.nodes[last]["failing"]
    assert g.nodes[last]["schedule"] == r.counterexample.code
    on_path_edges = [(u, v) for u, v, d in g.edges(data=True) if d["on_path"]]
    assert len(on_path_edges) == len(r.counterexample.schedule)


def test_shortest_failing_path_without_schedule():
    g = state_space_graph(counter("unlocked"), {"times": 1}).graph
    path = nodes_where(g, "on_path")
    assert any(g.nodes[n]["failing"] for n in path)
    assert len(path) == 1 + min(d["depth"] for _, d in g.nodes(data=True) if d["failing"])


def test_deadlock_state_is_marked():
    g = state_space_graph(load_model("models/deadlock.py").scenario("opposite_order")).graph
    deadlocks = nodes_where(g, "deadlock")
    assert len(deadlocks) == 1
    assert all(g.out_degree(n) == 0 for n in deadlocks)
    assert len(nodes_where(g, "final")) == 1


def test_edges_are_labelled_thread_operation():
    g = state_space_graph(counter("locked"), {"times": 1}).graph
    labels = {d["label"] for _, _, d in g.edges(data=True)}
    assert "t: lock.acquire() -> True, read counter.value = 0" in labels
    assert "s: write counter.value = 2, lock.release()" in labels
    assert "MainThread: t.join()" in labels
    assert "t: ends" in labels
    assert all(label.split(": ")[0] in {"MainThread", "t", "s"} for label in labels)


def test_virtual_time_in_states():
    sc = load_model("models/event_timeout.py").scenario("wait_times_out")
    g = state_space_graph(sc, timing="any-delay").graph
    # t may even start after s's sleep(3) ended, and then times out at 5
    assert {d["clock"] for _, d in g.nodes(data=True)} == {0.0, 2.0, 3.0, 5.0}
    assert any(d["label"].startswith("clock ") for _, _, d in g.edges(data=True))


def test_cap_stops_drawing_but_not_data(tmp_path):
    space = state_space_graph(counter("locked"), {"times": 1}, cap=10)
    assert space.too_big and space.complete and space.states == 35
    with pytest.raises(GraphTooBig):
        space.digraph()
    message = space.save(tmp_path / "s.svg")
    assert isinstance(message, str) and "above the cap of 10" in message
    assert not (tmp_path / "s.svg").exists()
    graphml = nx.read_graphml(space.write_graphml(tmp_path / "s.graphml"))
    assert graphml.number_of_nodes() == 35
    assert graphml.number_of_edges() == space.graph.number_of_edges()
    data = json.loads(space.save(tmp_path / "s.json").read_text())
    assert len(data["nodes"]) == 35 and len(data["edges"]) == space.graph.number_of_edges()


def test_max_states_stops_exploration():
    space = state_space_graph(counter("locked"), {"times": 1}, cap=5, max_states=8)
    assert not space.complete and space.states == 8
    assert "more than 8 states" in space.describe()


def test_result_graphs_with_state_graph_over_cap(tmp_path):
    r = check(counter("locked"), params={"times": 1})
    lines = write_result_graphs(r, "models/counter.py", out_dir=tmp_path, state_graph=True, cap=10)
    assert len(lines) == 1 and "too big to draw (cap 10)" in lines[0]
    assert {p.name for p in (tmp_path / "models" / "counter").iterdir()} == {"locked.states.graphml", "locked.states.json"}


@needs_renderer
def test_result_graphs_with_state_graph(tmp_path):
    r = check(counter("unlocked"), params={"times": 1})
    sc = counter("unlocked")
    lines = write_result_graphs(r, "models/counter.py", out_dir=tmp_path, state_graph=True,
                                scenario_params=(sc, {"times": 1}))
    folder = tmp_path / "models" / "counter"  # the model path: unique per file
    assert lines == [
        f"trace graph: {folder / 'unlocked.svg'}",
        f"state graph (20 states, 25 transitions): {folder / 'unlocked.states.svg'}",
        f"state graph data: {folder / 'unlocked.states.graphml'}, {folder / 'unlocked.states.json'}",
    ]
    root = ET.fromstring((folder / "unlocked.states.svg").read_bytes())
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "start" in texts and "final" in texts and "FAILS" in texts


def test_transition_label_of_a_tick():
    sc = load_model("models/event_timeout.py").scenario("wait_times_out")
    r = check(sc, timing="any-delay")
    tick = next(ev for ev in r.counterexample.trace if ev.is_tick)
    assert transition_label(tick) == "clock 0 -> 3"  # t is delayed past s's sleep(3), before its wait(2)


class Opaque:
    """An object the state key cannot see into."""


def test_unkeyable_model_gives_no_graph_and_says_why(tmp_path):
    from conftest import as_scenario

    from checker import Thread

    def body():
        o = Opaque()
        yield
        o.x = 1

    def opaque():
        Thread(name="w", target=body).start()

    sc = as_scenario(opaque)
    space = state_space_graph(sc)
    assert space.states == 0 and not space.complete and "cannot be keyed" in space.note
    lines = write_result_graphs(check(sc), "opaque.py", out_dir=tmp_path, state_graph=True, scenario_params=(sc, {}))
    assert lines == [f"state graph not made: {space.note}"]
    assert not (tmp_path / "opaque").exists()
