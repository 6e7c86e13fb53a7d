"""The ``--html`` report in a real headless browser (Chromium): it renders
without console errors, shows every scenario, and the step-through view
highlights the same step in the trace table and in the graph.

Needs a Chromium binary on PATH (``apt-get install chromium`` on Debian);
skipped without one.  About ten seconds: two browser runs.  docs/ci.md says
how to run it on its own.
"""

import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BROWSER = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
                if shutil.which(n)), None)
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no chromium binary on PATH (apt-get install chromium)")

SCENARIOS = ["unlocked", "locked", "opposite_order", "same_order"]

# Installed before the report's own script: collects uncaught errors.
CATCH = ('<script>window.__errors = []; window.addEventListener("error", function (e) '
         '{ window.__errors.push(String(e.message)); });</script>')

# Runs after the report's script: drives the step-through like a user and
# writes what the page shows into <pre id="probe">.
DRIVE = r"""<script>
(function () {
  var out = [], cex = document.querySelectorAll(".cex");
  function key(k) { document.dispatchEvent(new KeyboardEvent("keydown", {key: k, bubbles: true})); }
  function state(b) {
    var one = function (sel) { var el = b.querySelector(sel); return el ? el.getAttribute("data-step") : null; };
    return {where: b.querySelector(".where").textContent, row: one("tr.current"), node: one("g.current[data-step]"),
            axis: (b.querySelector("g.current[data-row]") || {getAttribute: function () { return null; }})
                  .getAttribute("data-row"),
            laterRows: b.querySelectorAll("tr.later").length, laterNodes: b.querySelectorAll("g.later[data-step]").length,
            prevDisabled: b.querySelector("button.prev").disabled, nextDisabled: b.querySelector("button.next").disabled};
  }
  out.push(state(cex[0]));
  key("ArrowRight"); key("ArrowRight"); key("ArrowRight");
  out.push(state(cex[0]));
  key("ArrowLeft");
  out.push(state(cex[0]));
  for (var i = 0; i < 20; i++) cex[1].querySelector("button.next").click();
  out.push(state(cex[1]));
  cex[1].querySelector("button.all").click();
  out.push(state(cex[1]));
  cex[0].querySelector('g[data-step="6"]').dispatchEvent(new MouseEvent("click", {bubbles: true}));
  out.push(state(cex[0]));
  var copy = document.querySelector(".replay button.copy");
  copy.click();
  setTimeout(function () {  // the clipboard answers asynchronously
    var pre = document.createElement("pre");
    pre.id = "probe";
    pre.textContent = JSON.stringify({states: out, errors: window.__errors, copy: copy.textContent});
    document.body.appendChild(pre);
  }, 200);
})();
</script>"""


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [BROWSER, "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--disable-extensions",
           f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1400,1000", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("html")
    proc = subprocess.run(
        [sys.executable, "-m", "checker", "models/counter.py", "models/deadlock.py", "--no-memory",
         "--out", str(tmp / "graphs"), "--html", str(tmp / "report.html")],
        capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return tmp / "report.html"


def test_renders_every_scenario_without_console_messages(report, tmp_path):
    shot = tmp_path / "report.png"
    proc = chromium(tmp_path, "--enable-logging=stderr", "--v=0", f"--screenshot={shot}", report.as_uri())
    assert proc.returncode == 0, proc.stderr[-2000:]
    console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]
    assert console == []  # no errors, no warnings, nothing logged
    assert shot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") and shot.stat().st_size > 20_000
    dom = chromium(tmp_path, "--dump-dom", report.as_uri()).stdout
    shown = re.findall(r'<section class="scenario[^"]*" id="scenario-\d+" data-scenario="([^"]+)"', dom)
    assert shown == SCENARIOS
    assert dom.count("<svg") == 2 and "all 9 steps" in dom and "all 5 steps" in dom


def test_step_through_highlights_table_and_graph(report, tmp_path):
    page = report.read_text()
    probe = tmp_path / "probe.html"
    probe.write_text(page.replace("<head>", "<head>" + CATCH, 1).replace("</body>", DRIVE + "</body>", 1))
    proc = chromium(tmp_path, "--virtual-time-budget=1000", "--dump-dom", probe.as_uri())
    found = re.search(r'<pre id="probe">(.*?)</pre>', proc.stdout, re.DOTALL)
    assert found, proc.stderr[-2000:]
    data = json.loads(html.unescape(found.group(1)))
    assert data["errors"] == []
    start, third, second, last, reset, clicked = data["states"]
    assert start == {"where": "all 9 steps", "row": None, "node": None, "axis": None, "laterRows": 0,
                     "laterNodes": 0, "prevDisabled": True, "nextDisabled": False}
    # three right arrows: step 3 of the lost update, by thread t; steps 4..9 are faded
    assert third == {"where": "step 3 of 9: t", "row": "2", "node": "2", "axis": "2", "laterRows": 6,
                     "laterNodes": 6, "prevDisabled": False, "nextDisabled": False}
    assert second == {**third, "where": "step 2 of 9: t", "row": "1", "node": "1", "axis": "1", "laterRows": 7,
                      "laterNodes": 7}
    # the deadlock's block has its own stepper: "next" stops at the last step
    assert last == {"where": "step 5 of 5: b", "row": "4", "node": "4", "axis": "4", "laterRows": 0,
                    "laterNodes": 0, "prevDisabled": False, "nextDisabled": True}
    assert reset["where"] == "all 5 steps" and reset["row"] is None and reset["laterNodes"] == 0
    # clicking a node of the graph selects that step
    assert (clicked["where"], clicked["row"], clicked["node"]) == ("step 7 of 9: t", "6", "6")
    assert data["copy"] in ("Copied", "Press Ctrl+C")
