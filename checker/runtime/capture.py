"""Capturing what model code prints during one step.

``print`` inside a model writes to ``sys.stdout``; for the length of a step
the runtime swaps in a ``StepOutput`` so the text becomes part of the step
(and of the outcome) instead of reaching the terminal.
"""

from __future__ import annotations

import sys


class StepOutput:
    """A minimal text stream that collects writes.  ``captures_output``
    tells unmodified code's tracer that a call of its methods writes
    stdout (a scheduling point)."""

    _checker_object = True
    captures_output = True

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        self.parts.append(text)
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def take(self) -> str:
        text = "".join(self.parts)
        self.parts.clear()
        return text


class Captured:
    """Context manager: redirect ``sys.stdout`` into ``sink``."""

    __slots__ = ("sink", "saved")

    def __init__(self, sink: StepOutput) -> None:
        self.sink = sink
        self.saved = None

    def __enter__(self) -> StepOutput:
        self.saved = sys.stdout
        sys.stdout = self.sink  # type: ignore[assignment]
        return self.sink

    def __exit__(self, *exc: object) -> None:
        sys.stdout = self.saved  # type: ignore[assignment]
