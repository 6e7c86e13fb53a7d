"""The text report: a verdict line per scenario, the counterexample as a
table with one column per thread (read left-to-right, top-to-bottom), the
outcome tally, and the step-by-step listing used by ``--replay``."""

from __future__ import annotations

import linecache
import shlex

from ..check.result import SAFE, VIOLATION, Counterexample, Result, SizeEstimate
from ..explore.coverage import Coverage, Scope, StopReason, Unit
from ..runtime.schedule import encode
from ..runtime.trace import Failure, Trace
from . import table
from .condense import ElidedSteps, condensed
from .events import event_lines, operation_text, access_lines, output_lines
from .params import command_text


def trace_table(trace: Trace) -> str:
    """One row per step; the step's text sits in its thread's column (a
    long trace condensed, ``condense``)."""
    headers = ["step"] + list(trace.threads)
    rows = []
    for ev in condensed(trace).events:
        if ev.is_tick:
            row = [[str(ev.index + 1)]] + [[f"~ {ev.operation} ~"]] + [[] for _ in trace.threads[1:]]
        else:
            row = [[ev.steps_text if isinstance(ev, ElidedSteps) else str(ev.index + 1)]] + [[] for _ in trace.threads]
            row[ev.thread + 1] = event_lines(ev)
        rows.append(row)
    return table.render(headers, rows)


def verdict_line(r: Result, *, mark: bool = True) -> str:
    """``        ok  name(params): WHAT  [expected ...]``; without ``mark``
    (assertion messages, which say themselves what was asserted) just
    ``name(params): WHAT``."""
    title = f"{r.scenario}({', '.join(f'{k}={v!r}' for k, v in r.params.items())})"
    if r.semantics == "free-threading":
        title += " under free-threading"
    text, *details = f"{title}: {verdict_text(r)}".split("\n")  # a multi-line message: its first line heads
    more = "".join(f"\n            {line.strip()}" for line in details)
    if not mark:
        return text + more
    flag = "ok" if r.meets_expectation else "UNEXPECTED"
    return f"{flag:>10}  {text}  [expected {r.expectation}]{more}"


def verdict_text(r: Result) -> str:
    """What the check found, claiming no more than what ran."""
    if r.verdict == VIOLATION:
        assert r.failure is not None
        headline = "deadlock: no thread can run" if r.failure.kind == "deadlock" else r.failure.summary()
        return f"VIOLATION: {headline}"
    if r.coverage.scope is Scope.ONE:
        if r.coverage.finished:
            return "REPLAYED: the schedule ran to the end without a violation (one execution; nothing is proven " \
                   "about other interleavings)"
        return (f"REPLAYED: the schedule ended after {count(r.transitions, 'step')}, before the execution did; "
                "no violation in those steps")
    if r.verdict == SAFE and r.executions == 0 and r.discarded:
        return (f"SAFE, but vacuously: every execution ({r.discarded}) was discarded by assume(), so nothing was "
                "checked")
    if r.verdict == SAFE:
        return f"SAFE over all {safe_scope(r)}"
    covered = covered_text(r)
    if r.stop is StopReason.INTERRUPTED:
        return f"INCOMPLETE: interrupted (Ctrl-C) after {covered}, no violation so far (not proven safe)"
    if r.stop in (StopReason.MAX_EXECUTIONS, StopReason.MAX_TIME):
        return f"INCOMPLETE: stopped by the budget {r.limit_hit} after {covered}, no violation so far (not proven safe)"
    if r.looped:  # an execution was cut where a state recurred
        what = (f"INCOMPLETE: no violation in {covered}, but {count(r.looped, 'execution')} came back to a state "
                "it had been in: the model loops (not proven safe)")
        if r.coverage.unit is not Unit.STATE:
            what += "; --strategy cached explores loops"
        return what
    if r.stop is StopReason.LOOP or r.coverage.scope is Scope.ALL:  # an execution was cut by max_steps
        return (f"INCOMPLETE: no violation in {covered}, but an execution ran past {r.limit_hit} without coming "
                "back to a state: a long execution, not a loop; raise --max-steps (not proven safe)")
    return f"NO VIOLATION FOUND in {covered} (not proven safe)"


def covered_text(r: Result) -> str:
    """What a search that proved nothing did cover: ``120 executions (120
    classes of interleavings)``, ``exhaustive for ≤ 2 preemptions (1,234
    executions)``, ``2,000 runs of pct (depth 2, seed 1): ...``; a result
    that joins searches (``Result.parts``) lists each, ``; then `` between."""
    if r.parts:
        return "; then ".join(part_text(p.coverage, p.executions) for p in r.parts)
    return part_text(r.coverage, r.executions)


def part_text(c: Coverage, executions: int) -> str:
    """What one search covered (see ``covered_text``)."""
    text = count(executions, "execution")
    if c.scope is Scope.BOUNDED:
        if c.bound is None:
            return f"{text} of bounded search, the pass for 0 preemptions unfinished"
        return f"{text}, exhaustive for ≤ {count(c.bound, 'preemption')}"
    if c.scope is Scope.SAMPLED:
        settings = ", ".join(f"{k} {v}" for k, v in (("depth", c.depth), ("seed", c.seed)) if v is not None)
        text = f"{count(c.covered, 'run')} of {c.method}" + (f" ({settings})" if settings else "")
        if c.miss_probability is not None:
            text += f"; a bug of depth {c.depth} is missed with probability ≤ {c.miss_probability:.3g}"
        return text
    if c.unit is Unit.STATE:
        text += f" ({count(c.covered, 'state')})"
    elif c.unit is Unit.CLASS:
        text += f" ({count(c.covered, 'class', 'classes')} of interleavings)"
    if c.estimated_fraction is not None:
        text += f", exhaustive search {percent(c.estimated_fraction)} done by estimate"
    return text


def percent(fraction: float) -> str:
    """``37%``; never 100% for a search that did not finish, nor 0% for
    one that ran something."""
    value = fraction * 100
    if 0 < value < 1:
        return "<1%"
    if 99 < value < 100:
        return ">99%"
    return f"{value:.0f}%"


def estimate_text(e: SizeEstimate) -> str:
    """``≈ 5,616 executions, ≈ 7.3 s (by estimate after 383 executions in
    0.50 s)``, or the exact figures when the search finished."""
    est = e.estimate
    if e.exact:
        return f"= {est.done:,} executions, {e.seconds:.2f} s (exact: the search finished while estimating)"
    return (f"≈ {round(est.executions):,} executions, ≈ {duration(e.seconds)} (by estimate after "
            f"{count(est.done, 'execution')} in {e.spent:.2f} s, {percent(est.fraction)} of the search)")


def duration(seconds: float) -> str:
    """``7.3 s``, ``12 min``, ``3.5 h``, ``2.1 days``."""
    if seconds < 60:
        return f"{seconds:.2g} s" if seconds < 10 else f"{seconds:.0f} s"
    for unit, size in (("min", 60), ("h", 3600), ("days", 86400)):
        if seconds < size * (60 if unit == "min" else 24 if unit == "h" else float("inf")):
            value = seconds / size
            return f"{value:.2g} {unit}" if value < 10 else f"{value:,.0f} {unit}"
    return f"{seconds:.0f} s"


def count(n: int, singular: str, plural: str | None = None) -> str:
    """``1 execution``, ``2 executions``."""
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def safe_scope(r: Result) -> str:
    """What "safe" was proven over, in the strategy's own unit."""
    c = r.coverage
    if c.unit is Unit.STATE:
        return count(c.covered, "reachable state")
    if c.unit is Unit.CLASS:
        return count(c.covered, "class", "classes") + " of interleavings"
    return count(c.covered, "interleaving")


def counts_line(r: Result) -> str:
    outcomes = f", {count(r.distinct_outcomes, 'distinct outcome')}" if r.all_outcomes else ""
    states = f", {count(r.states_visited, 'state')}" if r.states_visited is not None else ""
    if r.coverage.scope is Scope.ONE:
        scope = "one replayed schedule"
    elif r.complete:
        scope = "complete"
    elif r.verdict == VIOLATION and not r.all_outcomes:
        scope = "stopped at the first violation"
    else:
        scope = "incomplete"
    discarded = f" (and {r.discarded} discarded by assume)" if r.discarded else ""
    line = (
        f"{count(r.executions, 'execution')}{discarded}, {count(r.transitions, 'transition')}{states}{outcomes} "
        f"in {r.wall_time:.2f}s (strategy {r.strategy}{f' on {r.workers} workers' if r.workers > 1 else ''}, "
        f"{scope}, timing {r.timing}{f', semantics {r.semantics}' if r.semantics else ''})"
    )
    if r.strategy_note:
        line += f"\n            {r.strategy_note}"
    return line


def failure_details(f: Failure) -> list[str]:
    lines = []
    if f.where:
        lines.append(f"at {f.where}")
    for tb in f.traceback:
        lines.append(f"  {tb}")
    for name, what in f.waits:
        lines.append(f"  {name} {what}")
    if f.cycle:
        lines.append(f"wait-for cycle: {f.cycle_text()}")
    return lines


def replay_command(r: Result, model_path: str) -> str:
    """``python -m checker models/counter.py::unlocked --param times=2
    --replay v1:...``: the node id selects exactly this scenario."""
    assert r.counterexample is not None
    parts = ["python", "-m", "checker", f"{model_path}::{r.scenario}"]
    for key, value in r.params.items():
        parts += ["--param", f"{key}={command_text(value)}"]
    if r.timing != "ideal":
        parts += ["--timing", r.timing]
    if r.semantics == "free-threading":
        parts += ["--semantics", r.semantics]
    parts += ["--replay", r.counterexample.code]
    return " ".join(shlex.quote(p) for p in parts)


def format_result(r: Result, model_path: str, *, show_trace: bool = True, mark: bool = True) -> str:
    out = [verdict_line(r, mark=mark), "            " + counts_line(r)]
    indent = "            "
    if r.under_gil is not None:
        out.append(indent + gil_line(r))
    if r.from_memory:
        out.append(indent + f"(reproduced by a failing schedule remembered in {r.from_memory}/; "
                   "--no-memory explores afresh)")
    if r.failure is not None:
        out += [indent + line for line in failure_details(r.failure)]
    if r.counterexample is not None and show_trace:
        out.append("")
        out.append(indent + "counterexample: " + cex_size(r.counterexample))
        out += [indent + line for line in trace_table(r.counterexample.trace).splitlines()]
        out.append("")
        out.append(indent + "replay: " + replay_command(r, model_path))
    if r.all_outcomes:
        plain = r.semantics is not None  # unmodified code: no Shared objects, the state is not recorded
        out.append(indent + f"outcomes ({r.distinct_outcomes})"
                   + (" (unmodified code: what was printed and how the execution ended)" if plain else "") + ":")
        for stat in sorted(r.outcomes, key=lambda s: (-s.count, s.outcome.describe_state())):
            o = stat.outcome
            if plain:
                state, fail = "", o.failure or "no failure"
            else:
                state, fail = o.describe_state() or "(no shared objects)", f"  -- {o.failure}" if o.failure else ""
            out.append(indent + f"  {stat.count:>6} x  {state}{fail}")
            for line in o.output.splitlines():
                out.append(indent + f"             | {line}")
            out.append(indent + f"             witness {encode(stat.witness)}")
    return "\n".join(out)


def gil_line(r: Result) -> str:
    """For a result checked under both memory models: the GIL's verdict
    and what the two verdicts together say."""
    gil = r.under_gil
    assert gil is not None
    text = f"under the GIL: {verdict_text(gil).splitlines()[0]}  [expected {gil.expectation}]"
    if r.gil_only:
        text += "\n" + "            " + "safe only under the GIL: a free-threaded build (3.13t) can fail here"
    return text


def cex_size(cex: Counterexample) -> str:
    """``9 steps, 1 preemption``."""
    size = count(len(cex.schedule), "step")
    return size if cex.preemptions is None else f"{size}, {count(cex.preemptions, 'preemption')}"


def format_replay(trace: Trace) -> str:
    """The trace step by step, with each step's source line."""
    out = []
    for ev in trace.events:
        if ev.is_tick:
            out.append(f"step {ev.index + 1}: {ev.operation}")
            continue
        where = f"{ev.file}:{ev.line}" if ev.line else ev.file
        out.append(f"step {ev.index + 1}: thread {ev.thread_name} (clock {ev.clock:g}) from {where}")
        code = source_line(ev.file, ev.line)
        if code:
            out.append(f"    | {code}")
        op = operation_text(ev)
        if op:
            out.append(f"    completes {op}")
        for line in access_lines(ev) + output_lines(ev):
            out.append(f"    {line}")
        if ev.raised:
            out.append(f"    raises {ev.raised}")
        elif ev.finished:
            out.append("    thread ends")
        elif ev.end_line:
            out.append(f"    stops at line {ev.end_line}: {source_line(ev.file, ev.end_line)}")
    return "\n".join(out)


def source_line(file: str, line: int | None) -> str:
    return linecache.getline(file, line).strip() if line else ""


def summary_words(checked: list[Result], failed: int, files: int, finished: int | None, planned: int | None,
                  *, where_errors: str = "") -> str:
    """The run's summary in words, shared by the CLI and the HTML report:
    ``checked`` results, ``failed`` scenarios that could not be checked,
    ``files`` model files that could not be loaded, and (interrupted) how
    many of ``planned`` scenarios had ``finished``; ``where_errors``: where
    the failed scenarios' errors are shown (the CLI: " (errors above)")."""
    unexpected = sum(1 for r in checked if not r.meets_expectation)
    text = (f"{count(len(checked) + failed, 'scenario')}, {len(checked) - unexpected} as expected, "
            f"{unexpected} not as expected")
    if failed:
        text += f", {failed} could not be checked{where_errors}"
    if files:
        text += f", {count(files, 'model file')} could not be loaded"
    if finished is not None:
        text += f"; interrupted (Ctrl-C) when {finished} of {planned if planned is not None else '?'} " \
                "selected scenarios had finished"
    return text
