"""Trace graphs: exact structure for the core models, lost-update marking,
agreement with the footprint rule, and drawings (SVG/PNG) that hold every
lane and survive hostile labels."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from conftest import as_scenario

from checker import check, load_model
from checker.present.graphs import find_lost_updates, find_renderers, trace_digraph, trace_graph
from checker.present.graphs.labels import html_text, plain_text
from checker.program.footprint import conflicting_pairs

needs_renderer = pytest.mark.skipif(
    not find_renderers(), reason="no Graphviz renderer (install the graphviz-pure dependency or Graphviz)"
)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def counterexample(path, name, params=None, timing=None):
    # the first counterexample DPOR meets, as it is: these tests pin the graph of one known trace
    r = check(load_model(path).scenario(name), params=params or {}, timing=timing, minimize=False)
    assert r.counterexample is not None
    return r.counterexample


def lost_update():
    return counterexample("models/counter.py", "unlocked", {"times": 1})


def edges(g):
    return {(u, v): d for u, v, d in g.edges(data=True)}


# ----------------------------------------------------------------------
# The two-thread lost update, exactly
# ----------------------------------------------------------------------
def test_lost_update_nodes_are_the_steps():
    cex = lost_update()
    assert cex.code == "v1:0,1,2,1,0,2,0"
    g = trace_graph(cex.trace, cex.failure)
    assert g.number_of_nodes() == 7
    assert [g.nodes[n]["lane"] for n in sorted(g)] == ["MainThread", "t", "s", "t", "MainThread", "s", "MainThread"]
    assert all(d["kind"] == "step" for _, d in g.nodes(data=True))
    assert [g.nodes[n]["step"] for n in sorted(g)] == [1, 2, 3, 4, 5, 6, 7]


def test_lost_update_edges_exact():
    cex = lost_update()
    g = trace_graph(cex.trace, cex.failure)
    got = {(u, v): d["kinds"] for (u, v), d in edges(g).items()}
    assert got == {
        (0, 4): ("program",), (4, 6): ("program",), (1, 3): ("program",), (2, 5): ("program",),
        (0, 1): ("sync", "conflict"),  # start t; t reads the 0 main wrote
        (0, 2): ("sync", "conflict"),  # start s; s reads the 0 main wrote
        (3, 4): ("sync",),             # t finished -> join
        (5, 6): ("sync", "conflict"),  # s finished -> join; main reads s's write
        (2, 3): ("conflict",),         # s read 0, then t overwrote it
        (3, 5): ("conflict",),         # s overwrites t's write
    }
    assert g.number_of_edges() == 10
    assert Counter(d["kind"] for _, _, d in g.edges(data=True)) == {"program": 4, "sync": 4, "conflict": 2}
    critical = {(u, v) for (u, v), d in edges(g).items() if d["critical"]}
    assert critical == {(2, 3), (3, 5)}
    assert edges(g)[(2, 3)]["label"] == "read->write counter.value"
    assert edges(g)[(3, 5)]["label"] == "write->write counter.value"
    assert edges(g)[(3, 4)]["label"] == "t finished -> join"


def test_lost_update_marks_both_reads_and_the_overwriting_write():
    cex = lost_update()
    g = trace_graph(cex.trace, cex.failure)
    roles = {n: d["roles"] for n, d in g.nodes(data=True) if d["roles"]}
    assert roles == {
        1: ("other read",), 2: ("stale read",), 3: ("lost write",), 5: ("stale write",), 6: ("failing",),
    }
    assert [n for n, d in g.nodes(data=True) if d["failing"]] == [6]
    assert g.nodes[5]["notes"] == ("overwrites step 4, using the old value read in step 3",)
    assert g.graph["lost_updates"] == 1


def test_lost_update_pattern_in_longer_run():
    cex = counterexample("models/counter.py", "unlocked", {"times": 2})
    (u,) = find_lost_updates(cex.trace)
    assert (u.label, u.stale_read, u.other_read, u.lost_write, u.stale_write) == ("counter.value", 3, 2, 4, 6)


def test_no_lost_update_under_the_lock():
    from checker.check.checking import ScenarioSpace
    from checker.explore.replay import run_schedule

    sc = load_model("models/counter.py").scenario("locked")
    ex = run_schedule(ScenarioSpace(sc, sc.bind({"times": 1}), "ideal"), ((0, 0), (1, 0), (2, 0), (1, 0), (1, 0)))
    g = trace_graph(ex.trace)
    assert find_lost_updates(ex.trace) == []
    assert not any(d["critical"] for _, _, d in g.edges(data=True))
    assert {r for _, d in g.nodes(data=True) for r in d["roles"]} == {"pending"}  # the run was cut short


def test_conflict_edges_agree_with_the_footprint_rule():
    """Every conflict edge joins steps with a conflicting pair of shared
    accesses, as ``footprint.conflicting_pairs`` decides."""
    for path, name, params in [("models/counter.py", "unlocked", {"times": 2}),
                               ("models/counter.py", "unlocked", {"times": 1})]:
        cex = counterexample(path, name, params)
        g = trace_graph(cex.trace, cex.failure)
        events = cex.trace.events
        for u, v, d in g.edges(data=True):
            if "conflict" in d["kinds"]:
                a = [x for x in events[u].accesses if not x.sync]
                b = [x for x in events[v].accesses if not x.sync]
                assert conflicting_pairs(a, b), (u, v)
                assert events[u].thread != events[v].thread


# ----------------------------------------------------------------------
# Event timeout (any-delay) and deadlock
# ----------------------------------------------------------------------
def test_event_timeout_graph():
    cex = counterexample("models/event_timeout.py", "clear_then_wait", timing="any-delay")
    g = trace_graph(cex.trace, cex.failure)
    kinds = Counter(d["kind"] for _, d in g.nodes(data=True))
    # s is still sleeping when the assertion fails; t's timed-out wait is two steps
    assert kinds == {"step": 8, "pending": 1}
    assert [g.nodes[n]["lane"] for n in sorted(g)][3:5] == ["clock", "clock"]
    labels = {(u, v): d["label"] for (u, v), d in edges(g).items() if d["kind"] == "sync"}
    assert labels == {(0, 1): "start", (0, 2): "start", (0, 5): "clear e", (4, 5): "clock reaches 2: timeout",
                      (6, 7): "t finished -> join"}
    assert g.number_of_edges() == 10
    assert [n for n, d in g.nodes(data=True) if d["failing"]] == [7]


def test_deadlock_graph_has_blocked_threads_and_the_cycle():
    cex = counterexample("models/deadlock.py", "opposite_order")
    g = trace_graph(cex.trace, cex.failure)
    blocked = {g.nodes[n]["lane"]: n for n, d in g.nodes(data=True) if d["kind"] == "blocked"}
    assert set(blocked) == {"MainThread", "a", "b"}
    assert g.number_of_nodes() == 8
    waits = {(u, v) for (u, v), d in edges(g).items() if d["kind"] == "waits-for"}
    acquire_first, acquire_second = 2, 4
    assert waits == {(blocked["MainThread"], blocked["a"]), (blocked["a"], acquire_second),
                     (blocked["b"], acquire_first)}
    assert g.number_of_edges() == 10
    assert g.nodes[4]["failing"]  # the last step: after it nothing can run
    if getattr(cex.failure, "cycle", ()):
        assert {(u, v) for (u, v), d in edges(g).items() if d["critical"]} == {
            (blocked["a"], acquire_second), (blocked["b"], acquire_first)}


def test_graph_without_failure_marks_only_the_raising_step():
    cex = lost_update()
    g = trace_graph(cex.trace)
    assert [n for n, d in g.nodes(data=True) if d["failing"]] == [6]
    assert g.graph["failure"] == ""


# ----------------------------------------------------------------------
# Labels and drawings
# ----------------------------------------------------------------------
def test_label_escaping_functions():
    assert html_text('<b>"x"\\n & \'y\'') == "&lt;b&gt;&quot;x&quot;\\n &amp; &#x27;y&#x27;"
    assert html_text("a\x01b") == "a\\x01b"
    assert html_text("x" * 100).endswith("\u2026") and len(html_text("x" * 100)) == 60
    assert plain_text('a\\b "c"\nd') == 'a\\\\b "c"\\nd'


HOSTILE = '''
from checker import Shared, Thread, scenario

def talker(box):
    print('<b>"x"\\\\n & </TD> \\\\ {}')
    print("second\\tline")
    box.v = '<i>&amp;'
    yield
    assert False, 'tag <i> & "quote" \\\\'

@scenario(expect="assertion")
def noisy():
    box = Shared(v="<>")
    Thread(name='<one & "two">', target=talker, args=(box,)).start()
'''


@pytest.fixture
def hostile(tmp_path):
    path = tmp_path / "hostile.py"
    path.write_text(HOSTILE)
    r = check(load_model(path).scenario("noisy"))
    assert r.counterexample is not None
    return r.counterexample


def svg_text(svg: bytes) -> str:
    root = ET.fromstring(svg)
    return "\n".join("".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))


@needs_renderer
def test_hostile_labels_render(hostile):
    from checker.present.graphs import renderer

    dot = trace_digraph(hostile.trace, title='title <with> "quotes" \\ & more', failure=hostile.failure)
    svg = renderer.render(dot.source, "svg")
    text = svg_text(svg)
    assert 'print: <b>"x"\\n & </TD> \\ {}' in text
    assert '<one & "two">' in text
    assert "write box.v = <i>&amp;" in text
    assert re.search(r"print: second\s+line", text)  # a tab shows as spaces
    assert 'title <with> "quotes" \\ & more' in text


@needs_renderer
def test_svg_is_xml_with_every_lane():
    from checker.present.graphs import renderer

    cex = lost_update()
    svg = renderer.render(trace_digraph(cex.trace, failure=cex.failure).source, "svg")
    text = svg_text(svg).splitlines()
    for lane in ("MainThread", "t", "s"):
        assert lane in text
    assert "How to read this" in text


@needs_renderer
def test_png_signature():
    from checker.present.graphs import renderer

    cex = counterexample("models/event_timeout.py", "clear_then_wait", timing="any-delay")
    png = renderer.render(trace_digraph(cex.trace, failure=cex.failure).source, "png")
    assert png.startswith(PNG_SIGNATURE)


CASES = [("models/counter.py", "unlocked", {"times": 1}, None),
         ("models/counter.py", "unlocked", {"times": 2}, None),
         ("models/event_timeout.py", "clear_then_wait", {}, "any-delay"),
         ("models/deadlock.py", "opposite_order", {}, None)]


@needs_renderer
@pytest.mark.parametrize("path, name, params, timing", CASES)
def test_lanes_are_columns_in_thread_order(path, name, params, timing):
    """With every renderer found: lane headers sit left to right in start
    order, each node is drawn in its lane's column, and steps go down in
    trace order (one row each)."""
    import json

    from checker.present.graphs import renderer

    cex = counterexample(path, name, params, timing)
    g = trace_graph(cex.trace, cex.failure)
    dot = trace_digraph(cex.trace, failure=cex.failure, graph=g)
    lanes = list(dict.fromkeys(g.nodes[n]["lane"] for n in sorted(g)))
    lanes = [t for t in cex.trace.threads if t in lanes] + (["clock"] if "clock" in lanes else [])
    for r in renderer.find_renderers():
        layout = json.loads(r.run(dot.source, "json"))
        pos = {o["name"]: tuple(map(float, o["pos"].split(","))) for o in layout["objects"] if "pos" in o}
        heads = [pos[f"lane_{k}"][0] for k in range(len(lanes))]
        assert heads == sorted(heads), r.name
        for n, d in g.nodes(data=True):
            assert abs(pos[str(n)][0] - heads[lanes.index(d["lane"])]) < 1.0, (r.name, n, d["lane"])
        ys = [pos[str(n)][1] for n in sorted(g) if g.nodes[n]["kind"] == "step"]
        assert ys == sorted(ys, reverse=True) and len(set(ys)) == len(ys), r.name  # y grows upwards


def test_invariant_failure_marks_the_last_step():
    from checker import Shared, Thread, invariant

    def bump(box):
        box.v = 1
        yield
        box.v = 2

    def never_two():
        box = Shared(v=0)
        invariant(lambda: box.v != 2, "v is never 2")
        Thread(name="w", target=bump, args=(box,)).start()

    r = check(as_scenario(never_two, expect="invariant"))
    cex = r.counterexample
    g = trace_graph(cex.trace, cex.failure)
    last = len(cex.trace.events) - 1
    assert [n for n, d in g.nodes(data=True) if d["failing"]] == [last]
    assert g.nodes[last]["notes"] == ("the check fails after this step",)


def test_empty_trace_draws():
    from checker.runtime.trace import Trace

    g = trace_graph(Trace())
    assert g.number_of_nodes() == 0
    assert "digraph" in trace_digraph(Trace()).source
