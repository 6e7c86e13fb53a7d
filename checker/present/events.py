"""Short human descriptions of trace events (shared by the text report and
the graphs).  Works on plain trace data only."""

from __future__ import annotations

from ..program.footprint import READ
from ..runtime.trace import TraceEvent


def operation_text(ev: TraceEvent) -> str:
    """The operation this step completed, with its result, or ""."""
    if ev.is_tick:
        return ev.operation
    if ev.operation in ("", "start"):
        return ""
    if ev.timed_out and ev.result not in ("", "None"):
        return f"{ev.operation} -> {ev.result} (timed out)"
    if ev.timed_out:
        return f"{ev.operation} (timed out)"
    if ev.result and ev.result != "None":
        return f"{ev.operation} -> {ev.result}"
    return ev.operation


#: How the immediate effect of a primitive call reads, by (field, value).
_SYNC_WRITES = {
    ("state", "started"): "start {label}",
    ("state", "unlocked"): "{label}.release()",
    ("flag", "True"): "{label}.set()",
    ("flag", "False"): "{label}.clear()",
}


def access_lines(ev: TraceEvent) -> list[str]:
    """Reads and writes of shared data, and the immediate effects of
    primitive calls (release, set, clear, start), one per line."""
    lines = []
    for a in ev.accesses[ev.op_accesses:]:
        if a.sync:
            if a.kind == READ or a.label in ("stdout", "clock", "runtime") or a.label == ev.thread_name:
                continue  # implied by the operation, the output or the step itself
            lines.append(_SYNC_WRITES.get((a.field, a.value), "{label}.{field} := {value}").format(
                label=a.label, field=a.field, value=a.value))
        elif a.kind == READ:
            lines.append(f"read {a.label}.{a.field} = {a.value}")
        else:
            lines.append(f"write {a.label}.{a.field} = {a.value}")
    return lines


def output_lines(ev: TraceEvent) -> list[str]:
    return [f"print: {line}" for line in ev.output.splitlines()]


def event_lines(ev: TraceEvent) -> list[str]:
    """Everything worth showing about one step, as lines of text."""
    lines = []
    op = operation_text(ev)
    if op:
        lines.append(op)
    lines.extend(access_lines(ev))
    lines.extend(output_lines(ev))
    if ev.raised:  # its first line: a long message is printed in full with the verdict
        lines.append(f"raises {ev.raised.splitlines()[0]}")
    elif ev.finished:
        lines.append("(ends)")
    if not lines:
        lines.append("(starts)" if ev.operation == "start" else "(local work only)")
    return lines
