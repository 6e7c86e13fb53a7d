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

from ..explore.estimate import Estimate

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
    """A live progress line on stderr (executions, rate, elapsed, and for an
    exhaustive DPOR search its estimated size and time to go), drawn by
    ``rich`` and erased when the scenario ends; does nothing (and does not
    import rich) unless the stream is interactive.  Redrawn at most 4 times
    a second, from the caller's thread (no background thread).  Call it
    with the counts after each execution; ``estimated`` takes the search's
    latest ``Estimate`` (``check(on_estimate=...)``)."""

    def __init__(self, label: str, stream: TextIO | None = None, clock=time.monotonic):
        self.stream = stream or sys.stderr
        self.enabled = interactive(self.stream)
        self.label = label
        self.clock = clock
        self.started = clock()
        self.last = float("-inf")
        self.live = None
        self.estimate: Estimate | None = None

    def estimated(self, estimate: Estimate | None) -> None:
        """The search's latest estimate; None: that search is over."""
        self.estimate = estimate

    def __call__(self, executions: int, transitions: int) -> None:
        if not self.enabled:
            return
        now = self.clock()
        if now - self.last < 0.25:
            return
        self.last = now
        elapsed = now - self.started
        rate = executions / elapsed if elapsed > 0 else 0.0
        text = (f"  {self.label}: {executions:,} executions, {transitions:,} transitions, "
                f"{rate:,.0f}/s, {elapsed:.1f}s{eta(self.estimate, executions, elapsed)}  "
                "(Ctrl-C stops and keeps the partial result)")
        if self.live is None:
            from rich.console import Console
            from rich.live import Live

            console = Console(file=self.stream, force_terminal=True, highlight=False)
            self.live = Live(text, console=console, auto_refresh=False, transient=True)
            self.live.start()
        self.live.update(text, refresh=True)

    def close(self) -> None:
        if self.live is not None:
            self.live.stop()
            self.live = None


def eta(estimate: Estimate | None, executions: int, elapsed: float) -> str:
    """``, ≈ 37% of ≈ 5,616 executions, ETA 12s`` (the time to go at the
    rate so far); empty without an estimate."""
    if estimate is None or executions <= 0:
        return ""
    done = min(1.0, executions / estimate.executions) if estimate.executions > 0 else 0.0
    to_go = max(0.0, estimate.executions - executions) * elapsed / executions
    return f", ≈ {done:.0%} of ≈ {round(estimate.executions):,} executions, ETA {to_go:,.0f}s"
