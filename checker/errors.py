"""Errors shared by every layer.

Two kinds, as the design asks: a *user's mistake* (``ModelError`` and its
subclasses) carries a message naming the file, line or scenario and the likely
fix; anything else escaping the engine is an internal bug and is reported as
such by the presentation layer.
"""

from __future__ import annotations


class ModelError(Exception):
    """A mistake in a model file or in how the checker was asked to run it.

    ``where`` is a ``file:line`` (or scenario name) the user should look at;
    ``hint`` says how to fix it.  ``str()`` gives the whole message.
    """

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None):
        self.message = message
        self.where = where
        self.hint = hint
        super().__init__(self.render())

    def render(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class NondeterminismError(ModelError):
    """Replaying a schedule did not reproduce the run it was recorded from."""


class UsageError(ModelError):
    """Bad command-line or API settings (unknown option value, parameter, ...)."""
