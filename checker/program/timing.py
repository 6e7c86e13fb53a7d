"""``sleep``: wait on the virtual clock.

``yield sleep(secs)`` completes when the virtual clock reaches the time it
was issued plus ``secs``; nothing ever waits on the wall clock.  When the
clock moves is the timing mode's business (runtime).
"""

from __future__ import annotations

from .operation import Operation


class Sleep(Operation):
    def __init__(self, secs: float):
        super().__init__()
        self.timeout = float(secs)

    def ready(self) -> bool:
        return False

    def expire(self) -> None:
        return None

    def describe(self) -> str:
        return f"sleep({self.timeout:g})"

    def waiting_for(self) -> str:
        return f"sleeps until {self.deadline:g}"


def sleep(secs: float) -> Sleep:
    """Returns an operation to yield: ``yield sleep(1)``.  Negative raises
    ValueError like ``time.sleep``."""
    if secs < 0:
        raise ValueError("sleep length must be non-negative")
    return Sleep(secs)
