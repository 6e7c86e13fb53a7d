"""``local``: CPython's ``threading.local`` -- attributes private to each
thread.

Every thread sees its own attributes; a subclass's ``__init__`` runs again
(with the constructor's arguments) the first time each thread touches the
object, as in CPython; plain ``local(...)`` with arguments raises CPython's
``TypeError``.  The data is private, so accesses are not part of any
footprint (no other thread can conflict with them); it is part of the state
key.  It works the same under the real-threads runner (keyed by model
thread).
"""

from __future__ import annotations

from typing import Any

from . import context

_DATA = "_local__data"
_ARGS = "_local__args"


class local:
    _checker_object = True

    def __new__(cls, *args: Any, **kwargs: Any) -> local:
        if (args or kwargs) and cls.__init__ is object.__init__:
            raise TypeError("Initialization arguments are not supported")
        self = object.__new__(cls)
        object.__setattr__(self, _DATA, {})
        object.__setattr__(self, _ARGS, (args, kwargs))
        h = context.hooks(f"{cls.__name__}()")
        h.register(self, context.guess_label(1, "local"))
        # the creating thread's dict exists at once; __init__ runs on it now
        object.__getattribute__(self, _DATA)[_key()] = {}
        return self

    def _local__dict(self) -> dict[str, Any]:
        data = object.__getattribute__(self, _DATA)
        key = _key()
        d = data.get(key)
        if d is None:
            d = data[key] = {}
            args, kwargs = object.__getattribute__(self, _ARGS)
            init = type(self).__init__
            if init is not object.__init__:
                init(self, *args, **kwargs)
        return d

    def __getattribute__(self, name: str) -> Any:
        if name.startswith("_local__") or name in ("__class__", "_state"):
            return object.__getattribute__(self, name)
        d = object.__getattribute__(self, "_local__dict")()
        if name == "__dict__":
            return d
        if name in d:
            return d[name]
        try:
            return object.__getattribute__(self, name)  # methods, class attributes
        except AttributeError:
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'") from None

    def __setattr__(self, name: str, value: Any) -> None:
        object.__getattribute__(self, "_local__dict")()[name] = value

    def __delattr__(self, name: str) -> None:
        d = object.__getattribute__(self, "_local__dict")()
        if name not in d:
            raise AttributeError(name)
        del d[name]

    def _state(self) -> tuple:
        data = object.__getattribute__(self, _DATA)
        return ("local", tuple(sorted((k, tuple(sorted((n, repr(v)) for n, v in d.items()))) for k, d in data.items())))


def _key() -> int:
    thread = context.hooks("threading.local").current_thread()
    return id(thread) if thread._index is None else thread._index
