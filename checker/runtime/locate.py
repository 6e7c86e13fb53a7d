"""Finding the line that made an unseen change, for error messages.

When a watched plain object or a module-level variable turns out changed
(``runtime.watch``), the step that changed it is known but not the line:
a step runs many lines.  ``locate_change`` replays the execution's schedule
in a fresh execution with a line tracer on model code and returns the first
line after which the change shows.  It runs only on that error path, so the
tracer costs nothing otherwise.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from .schedule import TICK, Choice

_PACKAGE_DIR = __file__.rsplit("/runtime/", 1)[0]


def choices_of(trace: Any) -> list[Choice]:
    """The schedule that produced ``trace``."""
    return [TICK if ev.thread < 0 else (ev.thread, ev.alt) for ev in trace.events]


def locate_change(make: Callable[[], Any], schedule: list[Choice], changed: Callable[[Any], bool]) -> str | None:
    """``file:line`` of the model line during which ``changed(execution)``
    first becomes true while replaying ``schedule`` on ``make()``, or None
    when the replay does not show it."""
    ex = make()
    found: list[str] = []
    last: list[Any] = [None]

    def local(frame: Any, event: str, arg: Any) -> Any:
        if found:
            return None
        if last[0] is not None and changed(ex):
            found.append(f"{last[0][0]}:{last[0][1]}")
            return None
        if event == "line":
            last[0] = (frame.f_code.co_filename, frame.f_lineno)
        return local

    def tracer(frame: Any, event: str, arg: Any) -> Any:
        name = frame.f_code.co_filename
        if found or name.startswith(_PACKAGE_DIR) or name.startswith("<"):
            return None
        return local(frame, event, arg)

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        for choice in schedule:
            if found or ex.done or choice not in ex.available():
                break
            ex.step(choice)
            if not found and last[0] is not None and changed(ex):  # changed by the step's last line
                found.append(f"{last[0][0]}:{last[0][1]}")
    except Exception:  # the replay's own error (the one being located): keep what was found
        pass
    finally:
        sys.settrace(previous)
    return found[0] if found else None
