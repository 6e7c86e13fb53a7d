"""JSON output (``--json PATH``): a documented, versioned document.

The layout is described by ``result_schema.json`` next to this module
(JSON Schema 2020-12) and in ``docs/json.md``.  ``version`` changes whenever
a field changes meaning or disappears; new optional fields may appear
without a version change.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any
from collections.abc import Iterable

from ..atomic import write_atomic
from ..check.result import Result
from ..runtime.schedule import encode
from ..runtime.trace import Failure, Trace
from .history import history_intervals
from .report import replay_command

SCHEMA_NAME = "checker/results"
SCHEMA_VERSION = 1
SCHEMA_PATH = Path(__file__).with_name("result_schema.json")


def _jsonable(value: Any) -> Any:
    try:
        json.dumps(value)
        return value
    except (TypeError, ValueError):
        return repr(value)


def failure_json(f: Failure | None) -> dict | None:
    if f is None:
        return None
    data = asdict(f)
    data["traceback"] = list(f.traceback)
    data["waits"] = [list(w) for w in f.waits]
    data["summary"] = f.summary()
    return data


def trace_json(trace: Trace) -> dict:
    events = []
    for ev in trace.events:
        item = asdict(ev)
        item["accesses"] = [a._asdict() for a in ev.accesses]
        events.append(item)
    return {"threads": list(trace.threads), "events": events}


def history_json(trace: Trace) -> list[dict]:
    """A linearizability scenario's history, one entry per operation in
    invocation order (``history``; empty for other scenarios):
    thread, call, result, whether it returned, and the 0-based trace steps
    it was invoked and returned in."""
    return [{"thread": i.thread, "call": i.call, "result": i.result if i.returned else None,
             "returned": i.returned, "invoked_step": i.first, "returned_step": i.last if i.returned else None}
            for i in history_intervals(trace)]


def result_json(r: Result, model_path: str) -> dict:
    cex = r.counterexample
    return {
        "model": model_path,
        "scenario": r.scenario,
        "params": {k: _jsonable(v) for k, v in r.params.items()},
        "timing": r.timing,
        "semantics": r.semantics,
        "under_gil": result_json(r.under_gil, model_path) if r.under_gil is not None else None,
        "gil_only": r.gil_only,
        "strategy": r.strategy,
        "expectation": r.expectation,
        "verdict": r.verdict,
        "as_expected": r.meets_expectation,
        "complete": r.complete,
        "limit": r.limit_hit,
        "discarded": r.discarded,
        "looped": r.looped,
        "workers": r.workers,
        "stop": r.stop.value,
        "coverage": r.coverage.as_dict(),
        "executions": r.executions,
        "transitions": r.transitions,
        "distinct_outcomes": r.distinct_outcomes if r.all_outcomes else None,
        "seconds": round(r.wall_time, 6),
        "from_memory": r.from_memory,
        "classes": r.classes,
        "states_visited": r.states_visited,
        "strategy_note": r.strategy_note,
        "parts": [
            {"strategy": p.strategy, "coverage": p.coverage.as_dict(), "stop": p.stop.value, "executions": p.executions,
             "discarded": p.discarded, "transitions": p.transitions, "seconds": round(p.wall_time, 6)}
            for p in r.parts
        ],
        "failure": failure_json(r.failure),
        "counterexample": None
        if cex is None
        else {"schedule": cex.code, "replay": replay_command(r, model_path), "preemptions": cex.preemptions,
              **trace_json(cex.trace), "history": history_json(cex.trace)},
        "outcomes": [
            {
                "state": {label: dict(fields) for label, fields in stat.outcome.state},
                "output": stat.outcome.output,
                "failure": stat.outcome.failure,
                "count": stat.count,
                "witness": encode(stat.witness),
            }
            for stat in r.outcomes
        ]
        if r.all_outcomes
        else None,
    }


def document(results: Iterable[tuple[str, Result]], errors: Iterable[Any] = (), interrupted: bool = False) -> dict:
    """``errors``: the model files and scenarios that could not be checked
    (objects with ``model``, ``scenario`` (None for a whole file) and
    ``message``); ``interrupted``: the run was stopped by Ctrl-C (the last
    scenario is then marked incomplete with limit "interrupted (Ctrl-C)")."""
    items = [result_json(r, path) for path, r in results]
    unexpected = sum(1 for item in items if not item["as_expected"])
    problems = [{"model": e.model, "scenario": e.scenario, "message": e.message} for e in errors]
    from .. import __version__

    return {
        "schema": SCHEMA_NAME,
        "version": SCHEMA_VERSION,
        "checker_version": __version__,
        "scenarios": items,
        "errors": problems,
        "interrupted": interrupted,
        "summary": {"scenarios": len(items), "as_expected": len(items) - unexpected, "unexpected": unexpected},
    }


def write(path: str | Path, results: Iterable[tuple[str, Result]], errors: Iterable[Any] = (),
          interrupted: bool = False) -> Path | None:
    """Write the document atomically (temporary file, then rename); ``"-"``
    writes it to stdout (and returns None)."""
    text = json.dumps(document(results, errors, interrupted), indent=2) + "\n"
    if str(path) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return None
    return write_atomic(path, text)
