"""The yield protocol of step programs: what a step may yield.

A step ends with a bare ``yield`` or by yielding an operation it created in
that same step (``yield lock.acquire()``).  ``check_yielded`` turns every
other ending into a ``ModelError`` with the line and the fix.
"""

from __future__ import annotations

from typing import Any

from ..errors import ModelError
from ..program.operation import Operation


def check_yielded(issued: list[Operation], run: Any, yielded: Any) -> None:
    """Raise unless ``yielded`` (None when the thread ended) is nothing or
    an operation issued in this step, and every operation issued in this
    step (``issued``) was yielded."""
    for op in issued:
        if op is not yielded:
            raise ModelError(
                f"{op.describe()} was called but not yielded, so it never happens",
                where=f"{run.file}:{op.line}",
                hint=f"write `yield {op.describe()}` (blocking calls are operations the checker performs)",
            )
    if yielded is None:
        return
    if not isinstance(yielded, Operation):
        raise ModelError(
            f"thread {run.thread.name} yielded {yielded!r} ({type(yielded).__name__}), which is not an operation",
            where=f"{run.file}:{run.line}",
            hint="yield nothing (a bare `yield` lets other threads run) or a blocking call such as "
            "`yield lock.acquire()`, `yield event.wait(1)`, `yield t.join()`, `yield sleep(1)`",
        )
    if yielded not in issued:
        raise ModelError(
            f"thread {run.thread.name} yielded {yielded.describe()} created in an earlier step",
            where=f"{run.file}:{run.line}",
            hint="yield each blocking call in the step that makes it",
        )
