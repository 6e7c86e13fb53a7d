"""What the terminal may show: colour and a live progress line only on an
interactive terminal.  Off when the stream is not a TTY, when ``CI`` is set
(any value), when ``NO_COLOR`` is set, or when ``TERM=dumb``, so CI logs get
plain, stable, grep-able text."""

from __future__ import annotations

import os
import re
import sys
import time
from typing import TextIO

_COLOURS = {"ok": "32", "UNEXPECTED": "1;31", "SAFE": "32", "VIOLATION": "33", "INCOMPLETE": "35"}


def interactive(stream: TextIO) -> bool:
    if os.environ.get("CI") is not None or os.environ.get("NO_COLOR") is not None:
        return False
    if os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


_MARK = re.compile(r"^( *)(ok|UNEXPECTED)( )", re.M)
_VERDICT = re.compile(r"(\): )(SAFE|VIOLATION|INCOMPLETE)\b")


def colourize(text: str, stream: TextIO) -> str:
    """Colour the verdict lines' marks and verdict words when ``stream`` is
    interactive; return ``text`` unchanged otherwise."""
    if not interactive(stream):
        return text

    def paint(m: re.Match[str]) -> str:
        return f"{m.group(1)}\033[{_COLOURS[m.group(2)]}m{m.group(2)}\033[0m{m.group(3) if m.re is _MARK else ''}"

    return _VERDICT.sub(paint, _MARK.sub(paint, text))


class Progress:
    """A one-line progress display on stderr, redrawn at most 4 times a
    second; does nothing unless stderr is interactive."""

    def __init__(self, label: str, stream: TextIO | None = None):
        self.stream = stream or sys.stderr
        self.enabled = interactive(self.stream)
        self.label = label
        self.started = time.monotonic()
        self.last = 0.0
        self.shown = False

    def __call__(self, executions: int, transitions: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.last < 0.25:
            return
        self.last = now
        self.stream.write(
            f"\r\033[K  {self.label}: {executions:,} executions, {transitions:,} transitions, {now - self.started:.1f}s"
        )
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
