"""Writing graphs: formats, the no-renderer fallback, atomic writes, the
renderer search, and the Jupyter views."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from checker import check, load_model
from checker.present.graphs import (
    renderer,
    result_html,
    save_trace_graph,
    trace_digraph,
    write_result_graphs,
)
from checker.present.graphs import save as save_module
from checker.atomic import write_atomic

needs_renderer = pytest.mark.skipif(
    not renderer.find_renderers(), reason="no Graphviz renderer (install the graphviz-pure dependency or Graphviz)"
)


@pytest.fixture(scope="module")
def lost():
    return check(load_model("models/counter.py").scenario("unlocked"), params={"times": 1})


@pytest.fixture
def no_renderer(monkeypatch):
    monkeypatch.setattr(renderer, "find_renderers", list)


def listing(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


# ----------------------------------------------------------------------
# Formats
# ----------------------------------------------------------------------
@needs_renderer
@pytest.mark.parametrize("name, magic", [("g.svg", b"<?xml"), ("g.png", b"\x89PNG\r\n\x1a\n"), ("g.dot", b"digraph")])
def test_format_from_suffix(tmp_path, lost, name, magic):
    out = save_trace_graph(lost.counterexample.trace, tmp_path / name)
    assert out == tmp_path / name
    assert out.read_bytes().startswith(magic)
    assert listing(tmp_path) == {name}


@needs_renderer
def test_explicit_format_and_default(tmp_path, lost):
    out = save_trace_graph(lost.counterexample.trace, tmp_path / "graph", format="png")
    assert out.read_bytes().startswith(b"\x89PNG")
    out = save_trace_graph(lost.counterexample.trace, tmp_path / "other.unknown")
    assert out.read_bytes().lstrip().startswith(b"<?xml")  # unknown suffix: svg
    with pytest.raises(ValueError, match="unknown graph format"):
        save_trace_graph(lost.counterexample.trace, tmp_path / "x.svg", format="pdf")


@needs_renderer
def test_write_result_graphs_layout(tmp_path, lost):
    lines = write_result_graphs(lost, "models/counter.py", out_dir=tmp_path, formats=("svg", "png", "dot"))
    folder = tmp_path / "models" / "counter"  # the model's path: unique per file
    assert lines == [f"trace graph: {folder / 'unlocked'}.{fmt}" for fmt in ("svg", "png", "dot")]
    assert listing(folder) == {"unlocked.svg", "unlocked.png", "unlocked.dot"}
    svg = (folder / "unlocked.svg").read_text()
    assert "counter.py: unlocked(times=1)" in svg


def test_safe_result_writes_nothing(tmp_path):
    r = check(load_model("models/counter.py").scenario("locked"), params={"times": 1})
    assert write_result_graphs(r, "models/counter.py", out_dir=tmp_path) == []
    assert not (tmp_path / "models").exists()


# ----------------------------------------------------------------------
# No renderer: the .dot file and one line, never a traceback
# ----------------------------------------------------------------------
def test_fallback_writes_dot_and_says_how(tmp_path, lost, no_renderer):
    out = save_trace_graph(lost.counterexample.trace, tmp_path / "g.svg")
    assert isinstance(out, str) and "\n" not in out
    assert out.startswith("no Graphviz renderer found: wrote ")
    assert "pip install graphviz-pure" in out and str(tmp_path / "g.dot") in out
    assert listing(tmp_path) == {"g.dot"}
    assert (tmp_path / "g.dot").read_text().startswith("digraph")


def test_fallback_in_result_graphs_is_one_line(tmp_path, lost, no_renderer):
    lines = write_result_graphs(lost, "models/counter.py", out_dir=tmp_path, formats=("svg", "png"))
    assert len(lines) == 1 and lines[0].startswith("no Graphviz renderer found")
    assert listing(tmp_path / "models" / "counter") == {"unlocked.dot"}


def test_empty_checker_dot_disables_rendering(tmp_path, lost, monkeypatch):
    monkeypatch.setenv("CHECKER_DOT", "")
    assert renderer.find_renderers() == []
    assert isinstance(save_trace_graph(lost.counterexample.trace, tmp_path / "g.png"), str)


def test_fallback_in_notebook(lost, no_renderer):
    html = result_html(lost)
    assert "no Graphviz renderer found" in html and "<pre>" in html and "<svg" not in html
    bundle = trace_digraph(lost.counterexample.trace)._repr_mimebundle_()
    assert list(bundle) == ["text/plain"] and "graphviz-pure" in bundle["text/plain"]


# ----------------------------------------------------------------------
# Atomic writes
# ----------------------------------------------------------------------
def test_failed_render_leaves_old_file_and_no_partial(tmp_path, lost, monkeypatch):
    target = tmp_path / "g.svg"
    target.write_text("old")
    (tmp_path / "mine.txt").write_text("not ours")

    def broken(source, fmt):
        raise renderer.RenderFailed("dot crashed")

    monkeypatch.setattr(renderer, "render", broken)
    out = save_trace_graph(lost.counterexample.trace, target)
    assert isinstance(out, str) and "dot crashed" in out
    assert target.read_text() == "old"
    assert listing(tmp_path) == {"g.svg", "g.dot", "mine.txt"}


def test_interrupted_write_leaves_nothing(tmp_path, monkeypatch):
    target = tmp_path / "g.svg"
    target.write_text("old")

    def fail(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, b"new")
    assert target.read_text() == "old"
    assert listing(tmp_path) == {"g.svg"}


def test_write_error_becomes_a_line(tmp_path, lost, monkeypatch):
    def fail(path, data):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(save_module, "write_atomic", fail)
    lines = write_result_graphs(lost, "models/counter.py", out_dir=tmp_path, formats=("dot",))
    assert len(lines) == 1 and lines[0].startswith("graph not written: ")


def test_atomic_write_keeps_mode_like_open(tmp_path):
    path = write_atomic(tmp_path / "sub" / "f.txt", "text")
    assert path.read_text() == "text"
    mask = os.umask(0)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask


# ----------------------------------------------------------------------
# Renderer search
# ----------------------------------------------------------------------
def test_prefers_dot_then_graphviz_pure(monkeypatch):
    fake = {"dot": "/x/dot", "graphviz-pure": "/y/graphviz-pure"}
    monkeypatch.delenv("CHECKER_DOT", raising=False)
    monkeypatch.setattr(shutil, "which", lambda name: fake.get(name))
    assert [r.name for r in renderer.find_renderers()] == ["dot", "graphviz-pure"]
    del fake["dot"]
    assert [(r.name, r.path) for r in renderer.find_renderers()] == [("graphviz-pure", "/y/graphviz-pure")]


def test_graphviz_pure_found_in_scripts_dir(tmp_path, monkeypatch):
    exe = tmp_path / "graphviz-pure"
    exe.write_text("#!/bin/sh\n")
    exe.chmod(0o755)
    monkeypatch.delenv("CHECKER_DOT", raising=False)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setattr(renderer, "_scripts_dirs", lambda: [tmp_path])
    assert [(r.name, r.path) for r in renderer.find_renderers()] == [("graphviz-pure", str(exe))]


def test_next_renderer_is_tried_when_one_fails(monkeypatch):
    calls = []

    class Fake(renderer.Renderer):
        def run(self, source, fmt):
            calls.append(self.name)
            if self.name == "dot":
                raise renderer.RenderFailed("no png plugin")
            return b"ok"

    monkeypatch.setattr(renderer, "find_renderers", lambda: [Fake("dot", "d"), Fake("graphviz-pure", "p")])
    assert renderer.render("digraph {}", "png") == b"ok"
    assert calls == ["dot", "graphviz-pure"]


@pytest.mark.skipif(not renderer._which("graphviz-pure"), reason="graphviz-pure not installed")
def test_graphviz_pure_renders_alone(tmp_path, lost, monkeypatch):
    monkeypatch.setenv("CHECKER_DOT", renderer._which("graphviz-pure"))
    out = save_trace_graph(lost.counterexample.trace, tmp_path / "g.png")
    assert Path(out).read_bytes().startswith(b"\x89PNG")


# ----------------------------------------------------------------------
# Jupyter
# ----------------------------------------------------------------------
@needs_renderer
def test_result_html_inlines_svg(lost):
    html = result_html(lost)
    assert "VIOLATION" in html and "<svg" in html and "<?xml" not in html and "<!DOCTYPE" not in html
    assert lost.counterexample.code in html


@needs_renderer
def test_digraph_displays_inline(lost):
    bundle = trace_digraph(lost.counterexample.trace)._repr_mimebundle_()
    assert bundle["image/svg+xml"].lstrip().startswith("<?xml")


def test_safe_result_html(tmp_path):
    r = check(load_model("models/counter.py").scenario("locked"), params={"times": 1})
    html = result_html(r)
    assert "SAFE" in html and "<svg" not in html
