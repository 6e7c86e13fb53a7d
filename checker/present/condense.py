"""Long traces, shown readably: the steps that explain, the rest summarised.

A counterexample of a long bounded loop (the tutorial's counter with
200,000 increments per thread) has 400,005 steps; a table or a graph of all
of them explains nothing and a graph of them cannot even be laid out.
``condensed(trace)`` keeps a trace of at most ``LIMIT`` steps as it is.  A
longer one keeps the first ``HEAD`` steps, the last ``TAIL`` steps (where
the failure is) and ``WINDOW`` steps on each side of every switch from one
thread to another (where the interleaving happens: a lost update's stale
read and its overwriting write sit at switches), as many switches as fit in
``LIMIT`` steps, the latest first.  Each run of left-out steps becomes one
``ElidedSteps`` event in the lane of its thread (or, when the run spans
several threads, the first one's), standing for all of them: its footprint
is the last access of each kind to each location in the run, so conflict
edges in the graph still point at the run that made the write a shown step
read.  Indices are the original ones (an ``ElidedSteps`` has its first
step's), so step numbers, replay strings and the HTML view's links agree
with the full trace, which the JSON report always carries whole.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..runtime.trace import Trace, TraceEvent

#: Traces up to this many steps are shown whole; longer ones keep about this many.
LIMIT = 300
HEAD = 8
TAIL = 16
WINDOW = 4


@dataclass(frozen=True)
class ElidedSteps(TraceEvent):
    """A run of ``count`` consecutive steps not shown, from step ``index``
    to ``last`` (0-based, like ``index``); ``threads`` names who ran them."""

    count: int = 0
    last: int = 0
    threads: tuple[str, ...] = ()

    @property
    def steps_text(self) -> str:
        """``steps 13-399,970`` as the step column shows it (1-based)."""
        return f"{self.index + 1:,}-{self.last + 1:,}"


def condensed(trace: Trace) -> Trace:
    """``trace`` itself when it has at most ``LIMIT`` steps; else a trace
    of the steps that explain it with ``ElidedSteps`` for the rest (see the
    module docstring)."""
    events = trace.events
    n = len(events)
    if n <= LIMIT:
        return trace
    keep = set(range(HEAD)) | set(range(n - TAIL, n))
    switches = [i for i in range(1, n) if events[i].thread != events[i - 1].thread]
    for i in reversed(switches):
        window = set(range(max(0, i - WINDOW), min(n, i + WINDOW)))
        if len(keep | window) > LIMIT:
            break
        keep |= window
    shown: list[TraceEvent] = []
    run: list[TraceEvent] = []
    for i, ev in enumerate(events):
        if i in keep:
            if run:
                shown.append(_elided(run))
                run = []
            shown.append(ev)
        else:
            run.append(ev)
    if run:
        shown.append(_elided(run))
    return Trace(threads=list(trace.threads), events=shown)


def _elided(run: list[TraceEvent]) -> TraceEvent:
    if len(run) == 1:
        return run[0]
    first, last = run[0], run[-1]
    latest = {}
    for ev in run:
        for a in ev.accesses[ev.op_accesses:]:
            latest[(a.obj, a.field, a.kind)] = a
    lines = sorted({ev.line for ev in run if ev.line is not None} | {ev.end_line for ev in run if ev.end_line})
    threads = tuple(dict.fromkeys(ev.thread_name for ev in run))
    where = f", lines {lines[0]}-{lines[-1]}" if len(lines) > 1 else (f", line {lines[0]}" if lines else "")
    who = " and ".join(threads)
    return ElidedSteps(
        index=first.index, thread=first.thread, thread_name=first.thread_name, alt=0,
        operation=f"... {len(run):,} steps of {who}{where} ...", result="", timed_out=False,
        accesses=tuple(latest.values()), output="", file=first.file, line=first.line, end_line=last.end_line,
        clock=last.clock, finished=False, op_accesses=0, raised="",
        count=len(run), last=last.index, threads=threads,
    )
