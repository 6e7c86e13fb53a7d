"""The history graph of a linearizability failure
(checker.present.history, graphs.history_render): operations as intervals
on thread lanes, the conflicting accesses inside."""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path

import pytest

from checker import check, load_model
from checker.present.graphs import history_digraph, history_intervals, save_digraph, write_result_graphs
from checker.present.history import split_response
from checker.present.graphs.history_render import _conflicts, _layout

ROOT = Path(__file__).resolve().parent.parent
PICTURE = ROOT / "docs" / "img" / "linearizable-counter-history.svg"


@pytest.fixture(scope="module")
def racy():
    return check(load_model(ROOT / "models" / "linearizable_counter.py").scenario("RacyCounter"))


def test_intervals_are_read_back_from_the_history_accesses(racy):
    """t2's inc spans steps 2-6 and t1's inc lies inside it; step 6 ends
    t2's inc and starts its get."""
    got = [(i.thread, i.seq, i.first, i.last, i.label(), [(s, a.describe()) for s, a in i.accesses])
           for i in history_intervals(racy.counterexample.trace)]
    assert got == [
        ("t2", 0, 2, 6, "inc() -> None", [(2, "read s.n = 0"), (6, "write s.n = 1")]),
        ("t1", 0, 3, 4, "inc() -> None", [(3, "read s.n = 0"), (4, "write s.n = 1")]),
        ("t2", 1, 6, 7, "get() -> 1", [(7, "read s.n = 1")]),
    ]


def test_rows_split_a_step_that_ends_one_operation_and_starts_the_next(racy):
    rows, cells = _layout(history_intervals(racy.counterexample.trace))
    assert rows == [(2, 0), (3, 0), (4, 0), (6, 0), (6, 1), (7, 0)]
    assert _conflicts(cells) == [("op_t2_0_2_0", "op_t1_0_4_0", "s.n: read \u2192 write"),
                                 ("op_t1_0_4_0", "op_t2_0_6_0", "s.n: write \u2192 write")]


def test_the_drawing_has_one_box_per_operation_and_the_failure_in_its_title(racy):
    dot = history_digraph(racy.counterexample.trace, title="RacyCounter", failure=racy.failure)
    src = dot.source
    assert re.findall(r"subgraph (cluster_\S+)", src) == ["cluster_t2_0", "cluster_t1_0", "cluster_t2_1"]
    assert "get() -&gt; 1" in src and "returns 1" in src
    assert "after t1.inc(), t2.inc(): t2.get() would return 2, but returned 1" in src
    assert src.count("style=dashed") == 2  # the two conflicts


def test_other_scenarios_have_no_history_graph():
    r = check(load_model(ROOT / "models" / "counter.py").scenarios[0])
    assert r.counterexample is not None and history_intervals(r.counterexample.trace) == []
    assert history_digraph(r.counterexample.trace) is None


def test_the_history_graph_is_written_beside_the_trace_graph(racy, tmp_path):
    lines = write_result_graphs(racy, ROOT / "models" / "linearizable_counter.py", out_dir=tmp_path, formats=("dot",))
    folder = tmp_path / "models" / "linearizable_counter"
    assert lines == [f"trace graph: {folder / 'RacyCounter.dot'}", f"history graph: {folder / 'RacyCounter.history.dot'}"]
    assert "cluster_t1_0" in (folder / "RacyCounter.history.dot").read_text()


def test_an_operation_that_never_returns_is_drawn_open(tmp_path):
    path = tmp_path / "m.py"
    path.write_text(textwrap.dedent("""
        from checker import Lock, Shared, linearizability, operation

        class Spec:
            def op(self): return None

        @linearizability(spec=Spec, threads=1, operations=1, expect="violation")
        class C:
            def __init__(self):
                self.lock, self.s = Lock(), Shared(n=0)
            @operation
            def op(self):
                self.s.n = 1
                yield self.lock.acquire()
                yield self.lock.acquire()
        """))
    r = check(load_model(path).scenarios[0])
    assert r.failure.kind == "deadlock"
    (interval,) = history_intervals(r.counterexample.trace)
    assert (interval.thread, interval.returned, interval.label()) == ("t1", False, "call  (never returned)")
    assert [a.describe() for _, a in interval.accesses] == ["write s.n = 1"]
    assert "rounded,dashed,filled" in history_digraph(r.counterexample.trace).source


def test_the_html_report_and_the_notebook_show_the_history(racy, monkeypatch):
    from checker.present.html_report import HtmlReport

    monkeypatch.setenv("CHECKER_DOT", "graphviz-pure")
    report = HtmlReport()
    report.add("models/linearizable_counter.py", racy)
    report.add("models/counter.py", check(load_model(ROOT / "models" / "counter.py").scenarios[0]))
    page = report.page()
    assert page.count('<div class="history">') == 1
    assert [e.history is not None for e in report.entries] == [True, False]
    history = page.split('<div class="history">', 1)[1]
    assert re.findall(r"<title>(cluster_\S+)</title>", history) == ["cluster_t2_0", "cluster_t1_0", "cluster_t2_1"]
    assert 'id="h1-graph0"' in history  # ids of its own, apart from the trace graph's
    notebook = racy._repr_html_()
    assert re.findall(r"<title>(cluster_\S+)</title>", notebook) == ["cluster_t2_0", "cluster_t1_0", "cluster_t2_1"]


@pytest.mark.parametrize("value, parts", [("get() -> 1", ("get()", "1")),
                                           ("put((1, 2), 'x') -> None", ("put((1, 2), 'x')", "None")),
                                           ("f() -> 'a -> b'", ("f()", "'a -> b'"))])
def test_responses_split_at_the_end_of_the_argument_list(value, parts):
    assert split_response(value) == parts


def draw_docs_picture(result, path):
    return save_digraph(history_digraph(result.counterexample.trace, title="linearizable_counter.py: "
                                        "RacyCounter(threads=2, operations=2)", failure=result.failure), path)


def test_the_docs_picture_is_what_the_code_draws(racy, tmp_path, monkeypatch):
    """docs/img/linearizable-counter-history.svg, drawn with the pure-Python
    renderer; to regenerate it: python tests/test_linearizability_graph.py"""
    monkeypatch.setenv("CHECKER_DOT", "graphviz-pure")
    out = draw_docs_picture(racy, tmp_path / "h.svg")
    assert out == tmp_path / "h.svg"
    assert PICTURE.read_bytes() == out.read_bytes()


if __name__ == "__main__":
    os.environ["CHECKER_DOT"] = "graphviz-pure"
    print(draw_docs_picture(check(load_model(ROOT / "models" / "linearizable_counter.py").scenario("RacyCounter")),
                            PICTURE))
