"""The style sheet and script of the ``--html`` report, inlined into every
page (the page loads nothing: no CDN, no web fonts, no external script).

The script expects the markup of ``html_report``: a ``.cex`` block per
counterexample (``data-steps``), table rows and graph nodes carrying
``data-step`` (``html_svg`` marks the graph), ``button.prev``/``.next``/
``.all``, a ``.where`` line, and ``.replay`` blocks with a ``code`` and a
``button.copy``.
"""

CSS = """
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; --safe: #1a7f37;
  --fail: #cf222e; --warn: #9a6700; --accent: #0969da; --now: #fff8c5; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: #fff;
  font: 14px/1.45 -apple-system, BlinkMacSystemFont, "Segoe UI", Helvetica, Arial, sans-serif; }
code, pre, .trace td, .trace th { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono",
  monospace; font-size: 12.5px; }
header { padding: 18px 28px 10px; border-bottom: 1px solid var(--line); background: var(--soft); }
h1 { margin: 0 0 4px; font-size: 22px; }
h2 { margin: 0; font-size: 17px; display: flex; align-items: baseline; gap: 10px; flex-wrap: wrap; }
h2 a { color: inherit; text-decoration: none; }
h2 a:hover { text-decoration: underline; }
h2 .params { color: var(--muted); font-weight: normal; }
.summary { font-size: 15px; margin: 4px 0; }
.meta { color: var(--muted); margin: 4px 0 0; font-size: 12.5px; }
main { padding: 8px 28px 40px; }
.banner { margin: 14px 28px 0; padding: 10px 14px; border-radius: 6px; border: 1px solid #d4a72c;
  background: #fff8c5; }
.banner.errors { border-color: #ff8182; background: #ffebe9; }
.banner ul { margin: 6px 0 0; padding-left: 20px; }
table { border-collapse: collapse; }
.overview { margin: 16px 0 8px; min-width: 60%; }
.overview th, .overview td { padding: 5px 12px; border-bottom: 1px solid var(--line); text-align: left; }
.overview th { font-weight: 600; color: var(--muted); font-size: 12.5px; }
.overview td.num { text-align: right; font-variant-numeric: tabular-nums; }
.overview a { color: var(--accent); text-decoration: none; }
.badge { display: inline-block; min-width: 34px; padding: 1px 8px; border-radius: 10px; font-size: 12px;
  font-weight: 600; text-align: center; color: #fff; background: var(--safe); }
.badge.unexpected { background: var(--fail); }
.verdict-safe { color: var(--safe); }
.verdict-violation { color: var(--fail); }
.verdict-incomplete { color: var(--warn); }
section.scenario { margin: 22px 0; padding: 16px 18px; border: 1px solid var(--line); border-radius: 8px; }
section.scenario.unexpected { border-color: #ff8182; box-shadow: inset 4px 0 0 var(--fail); }
.verdict { font-weight: 600; margin: 8px 0 2px; }
.counts { color: var(--muted); margin: 0 0 8px; }
pre.failure { margin: 8px 0; padding: 8px 10px; background: #ffebe9; border-radius: 6px; white-space: pre-wrap; }
.replay { display: flex; align-items: center; gap: 8px; margin: 10px 0; }
.replay code { flex: 1; padding: 6px 10px; background: var(--soft); border: 1px solid var(--line);
  border-radius: 6px; overflow-x: auto; white-space: nowrap; }
button { font: inherit; font-size: 13px; padding: 4px 12px; border: 1px solid var(--line); border-radius: 6px;
  background: #fff; color: var(--fg); cursor: pointer; }
button:hover:not(:disabled) { background: var(--soft); border-color: #afb8c1; }
button:disabled { color: #8c959f; cursor: default; }
.stepper { display: flex; align-items: center; gap: 8px; margin: 12px 0 8px; flex-wrap: wrap; }
.stepper .where { font-weight: 600; }
.stepper .hint { color: var(--muted); font-size: 12.5px; }
.panes { display: grid; grid-template-columns: fit-content(55%) minmax(0, 1fr); gap: 14px; align-items: start; }
@media (max-width: 1100px) { .panes { grid-template-columns: minmax(0, 1fr); } }
.table-pane, .graph-pane { max-height: 80vh; overflow: auto; border: 1px solid var(--line); border-radius: 6px; }
.graph-pane { background: #fff; }
.graph-pane.fit svg { width: 100%; height: auto; }
.graph-note { padding: 10px; color: var(--muted); }
.trace { width: 100%; }
.trace th, .trace td { padding: 4px 8px; border-bottom: 1px solid #eaeef2; vertical-align: top; text-align: left; }
.trace thead th { position: sticky; top: 0; background: var(--soft); border-bottom: 1px solid var(--line); z-index: 1; }
.trace tbody th { color: var(--muted); font-weight: normal; text-align: right; }
.trace td div { white-space: pre; }
.trace td .op { font-weight: 600; }
.trace td .raised { color: var(--fail); font-weight: 600; white-space: normal; min-width: 12em; }
.trace td .tick { color: var(--muted); font-style: italic; }
.trace tr[data-step] { cursor: pointer; }
.trace tr.failing td, .trace tr.failing th { background: #ffebe9; }
.cex.stepping .trace tr.later { opacity: 0.35; }
.trace tr.current td, .trace tr.current th { background: var(--now); }
.trace tr.current th { color: var(--fg); font-weight: 700; box-shadow: inset 3px 0 0 var(--accent); }
.cex.stepping .graph-pane g.later { opacity: 0.18; }
.graph-pane g[data-step] { cursor: pointer; }
.graph-pane g.current path, .graph-pane g.current polygon { stroke: var(--accent); stroke-width: 4px; }
.graph-pane g.current text { font-weight: bold; fill: var(--accent); }
details.outcomes { margin-top: 12px; }
details.outcomes summary { cursor: pointer; font-weight: 600; }
.outcomes table { margin-top: 6px; }
.outcomes th, .outcomes td { padding: 4px 10px; border-bottom: 1px solid #eaeef2; text-align: left; vertical-align: top; }
.outcomes td.num { text-align: right; }
"""

JS = r"""
(function () {
  "use strict";
  var active = null;

  function reveal(el, pane) {
    if (!el || !pane) return;
    var r = el.getBoundingClientRect(), p = pane.getBoundingClientRect();
    if (r.top < p.top || r.bottom > p.bottom) pane.scrollTop += (r.top + r.bottom - p.top - p.bottom) / 2;
    if (r.left < p.left || r.right > p.right) pane.scrollLeft += (r.left + r.right - p.left - p.right) / 2;
  }

  function stepper(cex) {
    var n = Number(cex.getAttribute("data-steps")), cur = -1;
    var rows = cex.querySelectorAll("tr[data-step]");
    var marks = cex.querySelectorAll("[data-step], [data-row], [data-upto], [data-end]");
    var where = cex.querySelector(".where"), prev = cex.querySelector("button.prev");
    var next = cex.querySelector("button.next"), all = cex.querySelector("button.all");
    var tablePane = cex.querySelector(".table-pane"), graphPane = cex.querySelector(".graph-pane");

    function at(el) {
      var a = el.getAttribute("data-step") || el.getAttribute("data-row") || el.getAttribute("data-upto");
      return a === null ? n : Number(a);  // data-end: after the last step
    }
    function show(k) {
      cur = Math.max(-1, Math.min(n - 1, k));
      cex.classList.toggle("stepping", cur >= 0);
      marks.forEach(function (el) {
        var s = at(el);
        el.classList.toggle("current", cur >= 0 && s === cur && !el.hasAttribute("data-upto"));
        el.classList.toggle("later", cur >= 0 && (s > cur && !(s === n && cur === n - 1)));
      });
      prev.disabled = cur < 0;
      next.disabled = cur >= n - 1;
      all.disabled = cur < 0;
      if (cur < 0) {
        where.textContent = "all " + n + (n === 1 ? " step" : " steps");
        return;
      }
      var row = rows[cur];
      where.textContent = "step " + (cur + 1) + " of " + n + ": " + row.getAttribute("data-thread");
      reveal(row, tablePane);
      if (graphPane) reveal(graphPane.querySelector('g[data-step="' + cur + '"]'), graphPane);
    }
    prev.addEventListener("click", function () { show(cur - 1); });
    next.addEventListener("click", function () { show(cur + 1); });
    all.addEventListener("click", function () { show(-1); });
    cex.querySelectorAll("[data-step]").forEach(function (el) {
      if (el.tagName === "TR" || el.tagName === "g") {
        el.addEventListener("click", function () { show(at(el)); });
      }
    });
    cex.addEventListener("click", function () { active = cex; });  // the arrow keys step the last one used
    var fit = cex.querySelector("button.fit");
    if (fit && graphPane) {
      fit.addEventListener("click", function () {
        var fitted = graphPane.classList.toggle("fit");
        fit.textContent = fitted ? "actual size" : "fit width";
      });
    }
    cex.stepBy = function (d) { show(cur + d); };
    cex.addEventListener("mouseenter", function () { active = cex; });
    show(-1);
    return cex;
  }

  var blocks = Array.prototype.map.call(document.querySelectorAll(".cex"), stepper);
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
    var target = active || blocks.find(function (b) {
      var r = b.getBoundingClientRect();
      return r.bottom > 0 && r.top < window.innerHeight;
    });
    if (!target) return;
    target.stepBy(e.key === "ArrowRight" ? 1 : -1);
    e.preventDefault();
  });

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (err) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }
  document.querySelectorAll(".replay button.copy").forEach(function (button) {
    button.addEventListener("click", function () {
      var code = button.parentNode.querySelector("code"), text = code.textContent;
      function done(ok) {
        if (!ok) window.getSelection().selectAllChildren(code);
        button.textContent = ok ? "Copied" : "Press Ctrl+C";
        setTimeout(function () { button.textContent = "Copy"; }, 1500);
      }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { done(true); },
                                                 function () { done(fallbackCopy(text)); });
      } else {
        done(fallbackCopy(text));
      }
    });
  });
})();
"""
