"""``--html PATH``: the structure of the self-contained report (every
scenario, verdicts, replay commands, embedded SVG, no URL), bad paths
failing before exploring, Ctrl-C, errors and escaping.  The browser test is
tests/test_html_browser.py."""

import html
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path

import pytest

from checker.present.html_svg import embed_svg
from checker.present.graphs import renderer

needs_renderer = pytest.mark.skipif(not renderer.find_renderers(), reason="no Graphviz renderer")


def cli(*args, cwd=None):
    proc = subprocess.run([sys.executable, "-m", "checker", *args, "--no-memory"], capture_output=True, text=True,
                          cwd=cwd, timeout=300)
    return proc.returncode, proc.stdout, proc.stderr


def sections(page: str) -> list[tuple[str, str, str]]:
    return re.findall(r'<section class="scenario[^"]*" id="scenario-\d+" data-scenario="([^"]+)" '
                      r'data-verdict="([^"]+)" data-as-expected="([^"]+)">', page)


def replay_commands(page: str) -> list[str]:
    return [html.unescape(c) for c in re.findall(r'<div class="replay"><span>replay:</span><code>([^<]*)</code>', page)]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("html")
    code, out, err = cli("models/counter.py", "models/deadlock.py", "--out", str(tmp / "graphs"),
                         "--html", str(tmp / "report.html"))
    assert f"HTML report written to {tmp / 'report.html'}\n" in out
    return code, out, err, (tmp / "report.html").read_text()


def test_every_scenario_with_its_verdict(run):
    code, out, err, page = run
    assert code == 0, err
    assert sections(page) == [("unlocked", "violation", "true"), ("locked", "safe", "true"),
                              ("opposite_order", "violation", "true"), ("same_order", "safe", "true")]
    assert '<p class="summary" id="summary">4 scenarios, 4 as expected, 0 not as expected</p>' in page
    verdicts = [html.unescape(v) for v in re.findall(r'<p class="verdict [^"]+">([^<]*)</p>', page)]
    assert verdicts == ["VIOLATION: assertion failed in thread MainThread: final value 2, expected 4",
                        "SAFE over all 6 classes of interleavings",
                        "VIOLATION: deadlock: no thread can run",
                        "SAFE over all 2 classes of interleavings"]
    assert ("expected violation · 2 executions, 18 transitions in" in page
            and "(strategy dpor, stopped at the first violation, timing ideal)" in page)
    assert "wait-for cycle: a -&gt; lock second -&gt; b -&gt; lock first -&gt; a" in page
    assert page.count('<td class="num">') == 4 * 4  # overview: #, executions, transitions, time per scenario


def test_replay_commands_are_the_ones_the_cli_prints(run):
    _, out, _, page = run
    printed = [line.strip().removeprefix("replay: ") for line in out.splitlines() if line.strip().startswith("replay:")]
    assert replay_commands(page) == printed == [
        "python -m checker models/counter.py::unlocked --param times=2 --replay v1:0,1x2,2x3,1,0x2",
        "python -m checker models/deadlock.py::opposite_order --replay v1:0,1x2,2x2",
    ]
    assert page.count('<button type="button" class="copy"') == 2


def test_trace_tables_and_step_marks(run):
    page = run[3]
    tables = re.findall(r'<table class="trace">.*?</table>', page, re.DOTALL)
    assert len(tables) == 2
    heads = [re.findall(r"<th>([^<]*)</th>", t.split("</thead>")[0]) for t in tables]
    assert heads == [["step", "MainThread", "t", "s"], ["step", "MainThread", "a", "b"]]
    assert re.findall(r'<tr data-step="(\d+)"', tables[0]) == [str(k) for k in range(9)]
    assert re.findall(r'<tr data-step="\d+" data-thread="([^"]+)"', tables[1]) == ["MainThread", "a", "a", "b", "b"]
    assert ('<tr data-step="8" data-thread="MainThread" class="failing"><th>9</th><td><div class="op">s.join()</div>'
            "<div>read counter.value = 2</div><div>read counter.value = 2</div>"
            '<div class="raised">raises AssertionError: final value 2, expected 4</div></td><td></td><td></td></tr>'
            in tables[0])
    assert 'data-steps="9"' in page and 'data-steps="5"' in page


@needs_renderer
def test_graphs_are_inline_svg_with_unique_ids_and_step_marks(run):
    page = run[3]
    assert page.count("<svg") == 2 and page.count("</svg>") == 2
    assert "<?xml" not in page and "<!DOCTYPE svg" not in page and "xmlns" not in page
    ids = re.findall(r'\bid="([^"]*)"', page)
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    first, second = re.findall(r"<svg.*?</svg>", page, re.DOTALL)
    assert sorted(re.findall(r'class="node" data-step="(\d+)"', first), key=int) == [str(k) for k in range(9)]
    assert sorted(re.findall(r'class="node" data-row="(\d+)"', first), key=int) == [str(k) for k in range(9)]
    # the deadlock: 5 steps, and the three threads blocked forever after them
    assert sorted(re.findall(r'class="node" data-step="(\d+)"', second)) == ["0", "1", "2", "3", "4"]
    assert second.count('class="node" data-end') == 3


def test_self_contained_no_url_no_external_resource(run):
    page = run[3]
    assert not re.search(r"https?://", page)
    assert not re.search(r"<(link|img|iframe|object|embed)\b", page)
    assert not re.search(r"\b(src|href)=\"(?!#)", page)  # only in-page links
    assert page.count("<script>") == 1 and page.count("<style>") == 1 and "@import" not in page
    assert page.startswith("<!DOCTYPE html>\n") and page.rstrip().endswith("</html>")


def test_graph_none_draws_nothing_and_loads_no_graph_library(tmp_path):
    sys.path.insert(0, str(Path(__file__).parent))
    from test_cli_startup import cli_run, loaded_after

    target = tmp_path / "r.html"
    loaded = loaded_after(cli_run("models/counter.py", "--graph", "none", "--no-memory", "--html", str(target)))
    assert "checker.present.html_report" in loaded
    assert not [m for m in loaded if m.startswith(("networkx", "graphviz", "checker.present.graphs"))]
    page = target.read_text()
    assert "<svg" not in page and "graph not drawn (--graph none)" in page
    assert replay_commands(page) == [
        "python -m checker models/counter.py::unlocked --param times=2 --replay v1:0,1x2,2x3,1,0x2"]


@pytest.mark.parametrize("target,message", [
    ("{tmp}", "--html {tmp} is a folder"),
    ("{tmp}/file.txt/r.html", "--html {tmp}/file.txt/r.html cannot be written: {tmp}/file.txt is a file, not a folder"),
    ("-", "--html needs a file path"),
])
def test_unwritable_html_path_fails_before_exploring(tmp_path, target, message):
    (tmp_path / "file.txt").write_text("x")
    model = str(Path("models/counter.py").resolve())
    code, out, err = cli(model, "--out", "graphs", "--html", target.format(tmp=tmp_path), cwd=tmp_path)
    assert code == 2 and message.format(tmp=tmp_path) in err and "Traceback" not in err
    assert out == ""  # nothing was explored
    assert sorted(os.listdir(tmp_path)) == ["file.txt"]  # and nothing written


def test_html_and_json_on_the_same_file_is_a_usage_error(tmp_path):
    same = str(tmp_path / "r.out")
    code, out, err = cli("models/counter.py", "--html", same, "--json", same, "--out", str(tmp_path / "g"))
    assert code == 2 and f"--html and --json both name {same}" in err and out == ""
    assert os.listdir(tmp_path) == []


MODEL = textwrap.dedent('''
    from checker import Shared, Thread, scenario

    def bump(c, times):
        for _ in range(times):
            v = c.value
            yield
            c.value = v + 1
            yield

    @scenario(expect="violation")
    def quick():
        c = Shared(value=0)
        t = Thread(target=bump, args=(c, 1), name="t"); s = Thread(target=bump, args=(c, 1), name="s")
        t.start(); s.start()
        yield t.join(); yield s.join()
        assert c.value == 2, f"<b>&'{c.value}'</b>"

    @scenario
    def long(times=8):
        c = Shared(value=0)
        ts = [Thread(target=bump, args=(c, times)) for _ in range(3)]
        for t in ts:
            t.start()
        for t in ts:
            yield t.join()
        assert c.value >= 0
''')


def test_ctrl_c_writes_the_partial_report_and_exits_130(tmp_path):
    (tmp_path / "long.py").write_text(MODEL)
    proc = subprocess.Popen(
        [sys.executable, "-m", "checker", "long.py", "--no-memory", "--out", "graphs", "--html", "r.html"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline() == "long.py\n"
    deadline = time.monotonic() + 60
    while not (tmp_path / "graphs" / "long" / "quick.svg").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # inside the second scenario, which runs for hours
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "HTML report written to r.html" in out and "Traceback" not in out + err
    page = (tmp_path / "r.html").read_text()
    assert sections(page) == [("quick", "violation", "true"), ("long", "incomplete", "false")]
    assert '<div class="banner interrupted" id="interrupted"><b>Interrupted (Ctrl-C).</b>' in page
    assert ("2 scenarios, 1 as expected, 1 not as expected; interrupted (Ctrl-C) when 1 of 2 selected scenarios "
            "had finished") in page
    assert re.search(r'<p class="verdict verdict-incomplete">INCOMPLETE: interrupted \(Ctrl-C\) after \d+ '
                     r"executions \(\d+ classes of interleavings\), exhaustive search \d+% done by estimate, no violation so far "
                     r"\(not proven safe\)</p>", page)
    # model text is escaped, never markup
    assert "final value" not in page and "&lt;b&gt;&amp;&#x27;1&#x27;&lt;/b&gt;" in page and "<b>&'1'</b>" not in page
    assert [p for p in os.listdir(tmp_path) if p.startswith(".")] == []  # no temporary file left


def test_broken_files_are_listed_and_all_outcomes_tabled(tmp_path):
    (tmp_path / "good.py").write_text(MODEL.split("@scenario\ndef long")[0])
    (tmp_path / "bad.py").write_text("from checker import scenario\n\n@scenario\ndef oops(:\n    pass\n")
    code, out, err = cli(str(tmp_path), "--all-outcomes", "--out", str(tmp_path / "g"),
                         "--html", str(tmp_path / "r.html"))
    assert code == 2, err
    page = (tmp_path / "r.html").read_text()
    assert sections(page) == [("quick", "violation", "true")]
    assert f"<code>{tmp_path / 'bad.py'}</code>: " in page and '<div class="banner errors" id="errors">' in page
    assert "1 scenario, 1 as expected, 0 not as expected, 1 model file could not be loaded" in page
    outcomes = re.search(r'<details class="outcomes" open><summary>(.*?)</summary>.*?<tbody>(.*?)</tbody>', page,
                         re.DOTALL)
    assert outcomes.group(1) == "2 distinct outcomes"
    rows = re.findall(r'<tr><td class="num">(\d+)</td><td>([^<]*)</td>', outcomes.group(2))
    assert rows == [("2", "c(value=1)"), ("2", "c(value=2)")]


def test_embed_svg_prefixes_ids_and_marks_steps():
    svg = ('<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/x.dtd">\n'
           '<svg width="10pt" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">\n'
           '<g id="graph0" class="graph"><g id="node1" class="node">\n<title>row_1</title></g>'
           '<g id="node2" class="node">\n<title>1</title></g><g id="node3" class="node">\n<title>2</title></g>'
           '<g id="node4" class="node">\n<title>gap_0_1</title></g>'
           '<g id="edge1" class="edge">\n<title>gap_0_1&#45;&gt;1</title></g>'
           '<g id="edge2" class="edge">\n<title>lane_0&#45;&gt;gap_0_1</title></g>'
           '<g id="edge3" class="edge">\n<title>1&#45;&gt;2</title></g>'
           '<path fill="url(#grad)"/></g></svg>\n')
    out = embed_svg(svg, "g7", steps=2)
    assert out == (
        '<svg width="10pt">\n<g id="g7-graph0" class="graph"><g id="g7-node1" class="node" data-row="1">\n'
        '<title>row_1</title></g><g id="g7-node2" class="node" data-step="1">\n<title>1</title></g>'
        '<g id="g7-node3" class="node" data-end>\n<title>2</title></g>'
        '<g id="g7-node4" class="node">\n<title>gap_0_1</title></g>'
        '<g id="g7-edge1" class="edge" data-upto="1">\n<title>gap_0_1&#45;&gt;1</title></g>'
        '<g id="g7-edge2" class="edge" data-upto="0">\n<title>lane_0&#45;&gt;gap_0_1</title></g>'
        '<g id="g7-edge3" class="edge" data-upto="2">\n<title>1&#45;&gt;2</title></g>'
        '<path fill="url(#g7-grad)"/></g></svg>\n')
