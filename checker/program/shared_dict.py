"""``SharedDict``: a dict whose reads and writes are recorded per key.

A dict stored in a ``Shared`` attribute is one location: mutating it in place
is invisible to the checker.  ``SharedDict`` records each access on the
location of its key (``d[k]``, ``k in d``, ``get``, ``setdefault``, ``pop``
touch the field ``[k]``), so two threads working on different keys do not
conflict and a check-then-act on the same key does.  Adding or removing a key
also writes the field ``keys``, which ``len``, iteration, ``keys()``,
``items()`` and ``values()`` read.  Keys and values should be immutable.
The final contents are part of the outcome (as ``[key]=value`` pairs).
"""

from __future__ import annotations

import sys
from typing import Any
from collections.abc import Iterator

from . import context
from .footprint import READ, WRITE
from .shared import EXTRA, Shared, needs_watch

_MISSING = object()


class SharedDict(Shared):
    def __init__(self, _name: str | None = None, /, **initial: Any) -> None:
        super().__init__(_name or context.guess_label(1, "shareddict"))
        object.__getattribute__(self, "__dict__")[EXTRA] = {}
        for key, value in initial.items():
            self[key] = value

    def _record(self, field: str, kind: str, value: Any) -> None:
        h = context._active
        if h is not None:
            d = object.__getattribute__(self, "__dict__")
            h.record(d["_checker_id"], d["_checker_label"], field, kind, value, sys._getframe(2).f_lineno, False)
            if needs_watch(value) and value is not _MISSING:
                h.escape(value, f"{d['_checker_label']}{field}")

    def _data(self) -> dict[Any, Any]:
        return object.__getattribute__(self, "__dict__")[EXTRA]

    def _key(self, key: Any, kind: str, value: Any) -> None:
        self._record(f"[{key!r}]", kind, "<missing>" if value is _MISSING else value)

    # -- per-key access --------------------------------------------------------
    def __getitem__(self, key: Any) -> Any:
        value = self._data().get(key, _MISSING)
        self._key(key, READ, value)
        if value is _MISSING:
            raise KeyError(key)
        return value

    def __setitem__(self, key: Any, value: Any) -> None:
        data = self._data()
        if key not in data:
            self._record("keys", WRITE, len(data) + 1)
        data[key] = value
        self._key(key, WRITE, value)

    def __delitem__(self, key: Any) -> None:
        data = self._data()
        if key not in data:
            self._key(key, READ, _MISSING)
            raise KeyError(key)
        del data[key]
        self._key(key, WRITE, _MISSING)
        self._record("keys", WRITE, len(data))

    def __contains__(self, key: Any) -> bool:
        value = self._data().get(key, _MISSING)
        self._key(key, READ, value)
        return value is not _MISSING

    def get(self, key: Any, default: Any = None) -> Any:
        value = self._data().get(key, _MISSING)
        self._key(key, READ, value)
        return default if value is _MISSING else value

    def setdefault(self, key: Any, default: Any = None) -> Any:
        if key in self:
            return self._data()[key]
        self[key] = default
        return default

    def pop(self, key: Any, default: Any = _MISSING) -> Any:
        if key in self:
            value = self._data()[key]
            del self[key]
            return value
        if default is _MISSING:
            raise KeyError(key)
        return default

    def update(self, other: Any = (), /, **kwargs: Any) -> None:
        for key, value in dict(other, **kwargs).items():
            self[key] = value

    # -- whole-dict reads --------------------------------------------------------
    def _all(self) -> dict[Any, Any]:
        data = self._data()
        self._record("keys", READ, len(data))
        for key, value in data.items():
            self._key(key, READ, value)
        return data

    def __len__(self) -> int:
        data = self._data()
        self._record("keys", READ, len(data))
        return len(data)

    def __iter__(self) -> Iterator[Any]:
        return iter(list(self._all()))

    def keys(self) -> list[Any]:
        return list(self._all().keys())

    def values(self) -> list[Any]:
        return list(self._all().values())

    def items(self) -> list[tuple[Any, Any]]:
        return list(self._all().items())

    def __eq__(self, other: object) -> bool:
        return self._all() == (other._all() if isinstance(other, SharedDict) else other)

    __hash__ = None  # type: ignore[assignment]

    def _checker_snapshot(self) -> tuple[tuple[str, str], ...]:
        return tuple(sorted((f"[{k!r}]", repr(v)) for k, v in self._data().items()))

    def _checker_items(self) -> tuple[tuple[str, Any], ...]:
        return tuple(sorted(((f"[{k!r}]", v) for k, v in self._data().items()), key=lambda kv: kv[0]))
