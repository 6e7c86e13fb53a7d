"""Turning what went wrong in model code into ``Failure`` records."""

from __future__ import annotations

from typing import Iterable

from ..program.model_file import model_frames
from ..errors import ModelError
from .trace import Failure


def from_exception(exc: BaseException, thread: str) -> Failure:
    """A failure for an exception that escaped a thread (or a property)."""
    frames = model_frames(exc.__traceback__)
    lines = tuple(f"{f.filename}:{f.lineno} in {f.name}: {(f.line or '').strip()}" for f in frames)
    where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else None
    message = str(exc)
    if isinstance(exc, AssertionError):
        if not message and frames:
            message = (frames[-1].line or "").strip() or "assertion failed"
        return Failure("assertion", message or "assertion failed", thread, where, "AssertionError", lines)
    return Failure("exception", message, thread, where, type(exc).__name__, lines)


def from_property(kind_text: str, message: str, result: object) -> Failure:
    return Failure("invariant", f"{kind_text} {message!r} is {result!r}")


def deadlock(waits: Iterable[tuple[str, str]]) -> Failure:
    waits = tuple(waits)
    text = "; ".join(f"{name} {what}" for name, what in waits)
    return Failure("deadlock", f"no thread can run ({text})", waits=waits)


def setup_error(scenario: str, exc: BaseException) -> ModelError:
    """An exception raised by a scenario body before its first ``yield``:
    no thread has run yet, so it is a mistake in the model, not a finding."""
    frames = model_frames(exc.__traceback__)
    where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else None
    return ModelError(
        f"scenario {scenario} raised {type(exc).__name__}: {exc} while setting up (before any thread ran)",
        where=where,
        hint="fix the scenario body; if this exception is the behaviour to check, raise it in a thread "
        "or after a `yield` in the scenario body",
    )
