"""``choose``: explicit data nondeterminism, explored exhaustively.

``value = yield choose([1, 2, 3])`` makes the checker explore one branch per
option.  Models must not use ``random``: replay would diverge.

The options are explored in their order, and a schedule names an option by
its position, so the order must be the same in every process: a ``set`` or
``frozenset`` (whose order depends on ``PYTHONHASHSEED`` for strings) is
sorted, and refused when its items cannot be sorted.
"""

from __future__ import annotations

from typing import Any
from collections.abc import Iterable

from ..errors import ModelError
from . import context
from .operation import Operation


class Choose(Operation):
    def __init__(self, options: tuple[Any, ...]):
        super().__init__()
        self.options = options
        self.alternatives = len(options)

    def ready(self) -> bool:
        return True

    def perform(self, alt: int) -> Any:
        return self.options[alt]

    def describe(self) -> str:
        shown = ", ".join(repr(o) for o in self.options[:4]) + (", ..." if len(self.options) > 4 else "")
        if len(shown) > 40:  # long options: the count, so the chosen one (shown after "->") stays readable
            return f"choose(one of {len(self.options)} options)"
        return f"choose([{shown}])"


def choose(options: Iterable[Any]) -> Choose:
    """Returns an operation to yield; the checker explores every option."""
    if isinstance(options, (set, frozenset)):
        try:
            options = sorted(options)
        except TypeError:
            raise ModelError(
                f"choose() over an unordered {type(options).__name__} whose items cannot be sorted",
                where=context.caller_location(1),
                hint="its order differs between runs, so replayed schedules would pick other options: "
                "pass a list or tuple in the order you want them explored",
            ) from None
    opts = tuple(options)
    if not opts:
        raise ModelError("choose() needs at least one option", where=context.caller_location(1))
    return Choose(opts)
