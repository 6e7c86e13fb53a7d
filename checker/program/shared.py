"""``Shared``: an object whose attribute reads and writes are recorded.

Every read of an instance attribute and every assignment or deletion adds an
``Access`` to the running transition's footprint, with the value and the
model line.  Use it directly (``counter = Shared(value=0)``) or subclass it
(``class Account(Shared): ...``); methods and class attributes are not
recorded, only instance data.

Values should be immutable (numbers, strings, tuples, frozensets): mutating a
list stored in an attribute in place is a read of the attribute, not a write,
and the checker cannot see the change.
"""

from __future__ import annotations

import sys
from typing import Any

from . import context
from .footprint import READ, WRITE

_ID = "_checker_id"
_LABEL = "_checker_label"


class Shared:
    def __init__(self, _name: str | None = None, **attrs: Any) -> None:
        h = context.hooks(f"{type(self).__name__}()")
        default = context.guess_label(1, type(self).__name__.lower())
        oid, label = h.register(self, _name or default)
        object.__setattr__(self, _ID, oid)
        object.__setattr__(self, _LABEL, label)
        line = sys._getframe(1).f_lineno
        for key, value in attrs.items():
            h.record(oid, label, key, WRITE, value, line, False)
            object.__setattr__(self, key, value)

    def __getattribute__(self, name: str) -> Any:
        d = object.__getattribute__(self, "__dict__")
        if name in d and not name.startswith("_checker_"):
            value = d[name]
            h = context._active
            if h is not None:
                h.record(d[_ID], d[_LABEL], name, READ, value, sys._getframe(1).f_lineno, False)
            return value
        return object.__getattribute__(self, name)

    def __setattr__(self, name: str, value: Any) -> None:
        d = object.__getattribute__(self, "__dict__")
        if _ID in d:
            h = context.hooks(f"assigning {d[_LABEL]}.{name}")
            h.record(d[_ID], d[_LABEL], name, WRITE, value, sys._getframe(1).f_lineno, False)
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        d = object.__getattribute__(self, "__dict__")
        context.hooks(f"deleting {d[_LABEL]}.{name}").record(
            d[_ID], d[_LABEL], name, WRITE, "<deleted>", sys._getframe(1).f_lineno, False
        )
        object.__delattr__(self, name)

    def __repr__(self) -> str:
        return f"{object.__getattribute__(self, _LABEL)}({format_fields(snapshot(self))})"


def snapshot(obj: Shared) -> tuple[tuple[str, str], ...]:
    """The object's data as sorted ``(attribute, repr(value))`` pairs, read
    without recording (for outcomes and reports).  A subclass holding other
    data (``SharedDict``) defines ``_checker_snapshot``."""
    custom = getattr(type(obj), "_checker_snapshot", None)
    if custom is not None:
        return custom(obj)
    d = object.__getattribute__(obj, "__dict__")
    return tuple(sorted((k, repr(v)) for k, v in d.items() if not k.startswith("_checker_")))


def label_of(obj: Shared) -> str:
    return object.__getattribute__(obj, _LABEL)


def format_fields(fields: tuple[tuple[str, str], ...]) -> str:
    return ", ".join(f"{k}={v}" for k, v in fields)
