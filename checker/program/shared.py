"""``Shared``: an object whose attribute reads and writes are recorded.

Every access to an attribute of a ``Shared`` object goes into the running
transition's footprint as a read or a write of the location ``(object,
attribute)``, with the value and the model line.  That includes the accesses
Python answers without the instance having the attribute:

* reading an attribute the object does not have (``hasattr``, ``getattr``
  with a default, a caught ``AttributeError``) reads the location and finds
  it missing, so it conflicts with the write that creates it;
* reading a class-level default (``class Flag(Shared): ready = False``)
  reads the instance's location, so it conflicts with the first instance
  write;
* properties run their getter and setter, whose own accesses are recorded.

The data lives in a private store, not in the instance ``__dict__``, so
nothing can change it unseen: ``vars(obj)`` and ``obj.__dict__`` are refused
during an execution, a value put into ``__dict__`` with
``object.__setattr__`` is detected at the next access, ``object.__getattribute__``
does not find the data at all, assigning a class attribute of a ``Shared``
subclass during an execution and shadowing a method with an instance value
are refused, and copying or pickling a ``Shared`` is refused (a copy would
share the store).

Values should be immutable (numbers, strings, tuples, frozensets).  A mutable
value read from or written to an attribute is handed to the execution's
watch (``Hooks.escape``): changing it in place afterwards is reported as an
error, because no other thread would see that change in any footprint.
"""

from __future__ import annotations

import sys
from types import FunctionType
from typing import Any

from ..errors import ModelError
from . import context
from .footprint import READ, WRITE

_ID = "_checker_id"
_LABEL = "_checker_label"
_ATTRS = "_checker_attrs"
EXTRA = "_checker_extra"  # a subclass's own store (SharedDict's items), None for Shared
_INTERNAL = 4  # entries of a registered Shared's instance __dict__: id, label, attrs, extra
MISSING_TEXT = "<missing>"

#: Values that cannot change in place: reading or writing them needs no watch.
ATOMIC_TYPES = frozenset({int, float, complex, str, bytes, bool, type(None), range, type, FunctionType, slice})


def needs_watch(value: Any) -> bool:
    """Whether ``value`` could be changed in place without a recorded write:
    False for atomic values, checker objects (they record their own
    accesses) and tuples/frozensets of such values."""
    t = type(value)
    if t in ATOMIC_TYPES or getattr(t, "_checker_object", False):
        return False
    if t is tuple or t is frozenset:
        return any(needs_watch(v) for v in value)
    return True


# How a name resolves on a Shared subclass (cached per class and name):
_DATA_DESCRIPTOR, _METHOD, _CLASS_VALUE, _ABSENT = "data-descriptor", "method", "class-value", "absent"
_KINDS: dict[tuple[type, str], tuple[str, Any]] = {}


def _class_kind(cls: type, name: str) -> tuple[str, Any]:
    """``(kind, class attribute)`` for ``name`` on ``cls``: a data descriptor
    (property with a setter or not: it runs its own code), a method or other
    non-data descriptor (not data, never recorded), a class-level value
    (a default shared by every instance), or absent."""
    key = (cls, name)
    found = _KINDS.get(key)
    if found is None:
        for klass in cls.__mro__:
            if name in klass.__dict__:
                attr = klass.__dict__[name]
                t = type(attr)
                if hasattr(t, "__set__") or hasattr(t, "__delete__"):
                    found = (_DATA_DESCRIPTOR, attr)
                elif hasattr(t, "__get__"):
                    found = (_METHOD, attr)
                else:
                    found = (_CLASS_VALUE, attr)
                break
        else:
            found = (_ABSENT, None)
        _KINDS[key] = found
    return found


class _SharedType(type):
    """Metaclass of ``Shared``: class attributes are data every instance
    reads, so changing them while an execution runs is refused (the reads
    are recorded per instance; a class-wide write could not be)."""

    def __setattr__(cls, name: str, value: Any) -> None:
        _refuse_class_change(cls, name)
        super().__setattr__(name, value)

    def __delattr__(cls, name: str) -> None:
        _refuse_class_change(cls, name)
        super().__delattr__(name)


def _refuse_class_change(cls: type, name: str) -> None:
    if context.active() is not None:
        raise ModelError(
            f"assigning the class attribute {cls.__name__}.{name} while the checker runs a scenario",
            where=context.model_location(),
            hint=f"class attributes of a Shared subclass are defaults every instance shares; assign the "
            f"instance attribute instead (obj.{name} = ...), which the checker records",
        )
    _KINDS.clear()  # between executions: class contents changed, forget resolved names


class Shared(metaclass=_SharedType):
    """An object whose attribute accesses are recorded; see the module docstring."""

    _checker_object = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        where = context.model_location()
        if "__slots__" in cls.__dict__:
            raise ModelError(
                f"Shared subclass {cls.__name__} declares __slots__",
                where=where,
                hint="remove __slots__: a Shared object keeps its attributes in a store the checker records",
            )
        if "__getattribute__" in cls.__dict__:
            raise ModelError(
                f"Shared subclass {cls.__name__} overrides __getattribute__, which would bypass the recording "
                "of reads",
                where=where,
                hint="define __getattr__ (called for missing attributes) or a property instead",
            )
        _KINDS.clear()

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        self = object.__new__(cls)
        object.__setattr__(self, _ATTRS, {})
        object.__setattr__(self, EXTRA, None)
        return self

    def __init__(self, _name: str | None = None, **attrs: Any) -> None:
        d = object.__getattribute__(self, "__dict__")
        if _ID not in d:
            _register(self, d, _name or context.guess_label(1, type(self).__name__.lower()))
        line = sys._getframe(1).f_lineno
        h = context.hooks(f"{type(self).__name__}()")
        store = d[_ATTRS]
        for key, value in attrs.items():
            h.record(d[_ID], d[_LABEL], key, WRITE, value, line, False)
            store[key] = value
            if needs_watch(value):
                h.escape(value, f"{d[_LABEL]}.{key}")

    def __getattribute__(self, name: str) -> Any:
        if name[:2] == "__" or name.startswith("_checker_"):
            if name == "__dict__" and context.active() is not None:
                _refuse_dict(self)
            return object.__getattribute__(self, name)
        d = object.__getattribute__(self, "__dict__")
        store = d.get(_ATTRS)
        if store is None or len(d) != _INTERNAL:
            d = _checked_dict(self)
            store = d[_ATTRS]
        if name in store:
            value = store[name]
            h = context._active
            if h is not None:
                h.record(d[_ID], d[_LABEL], name, READ, value, sys._getframe(1).f_lineno, False)
                if type(value) not in ATOMIC_TYPES and needs_watch(value):
                    h.escape(value, f"{d[_LABEL]}.{name}")
            return value
        kind, attr = _class_kind(type(self), name)
        if kind is _METHOD or kind is _DATA_DESCRIPTOR:
            return object.__getattribute__(self, name)  # a property's getter records its own reads
        h = context._active
        if kind is _CLASS_VALUE:
            if h is not None:
                h.record(d[_ID], d[_LABEL], name, READ, attr, sys._getframe(1).f_lineno, False)
                if needs_watch(attr):
                    h.escape(attr, f"{d[_LABEL]}.{name} (class attribute)")
            return attr
        if h is not None:
            h.record(d[_ID], d[_LABEL], name, READ, MISSING_TEXT, sys._getframe(1).f_lineno, False)
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'", name=name, obj=self)

    def __setattr__(self, name: str, value: Any) -> None:
        d = _checked_dict(self)
        if name[:2] == "__" or name.startswith("_checker_"):
            raise ModelError(
                f"assigning {d[_LABEL]}.{name}: special and checker-internal attributes of a Shared object "
                "cannot be assigned",
                where=context.model_location(),
                hint="use an ordinary attribute name",
            )
        kind, _ = _class_kind(type(self), name)
        if kind is _DATA_DESCRIPTOR:
            object.__setattr__(self, name, value)  # the property's setter records its own accesses
            return
        if kind is _METHOD:
            raise ModelError(
                f"assigning {d[_LABEL]}.{name} would hide the method {type(self).__name__}.{name}",
                where=context.model_location(),
                hint="the checker records data attributes, not method lookups: store the value under "
                "another name",
            )
        h = context._active
        if h is None:
            h = context.hooks(f"assigning {d[_LABEL]}.{name}")
        h.record(d[_ID], d[_LABEL], name, WRITE, value, sys._getframe(1).f_lineno, False)
        d[_ATTRS][name] = value
        if type(value) not in ATOMIC_TYPES and needs_watch(value):
            h.escape(value, f"{d[_LABEL]}.{name}")

    def __delattr__(self, name: str) -> None:
        d = _checked_dict(self)
        kind, _ = _class_kind(type(self), name)
        if kind is _DATA_DESCRIPTOR:
            object.__delattr__(self, name)
            return
        h = context.hooks(f"deleting {d[_LABEL]}.{name}")
        line = sys._getframe(1).f_lineno
        store = d[_ATTRS]
        if name not in store:
            h.record(d[_ID], d[_LABEL], name, READ, MISSING_TEXT, line, False)
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'", name=name, obj=self)
        h.record(d[_ID], d[_LABEL], name, WRITE, "<deleted>", line, False)
        del store[name]

    def __repr__(self) -> str:
        return f"{label_of(self)}({format_fields(snapshot(self))})"

    def __reduce_ex__(self, protocol: Any) -> Any:
        raise ModelError(
            f"{label_of(self)} cannot be copied or pickled",
            where=context.model_location(),
            hint="a copy would share the recorded store; create a new Shared object with the values you need",
        )

    def __copy__(self) -> Any:
        self.__reduce_ex__(None)

    def __deepcopy__(self, memo: Any) -> Any:
        self.__reduce_ex__(None)


def _register(obj: Shared, d: dict[str, Any], label: str) -> None:
    oid, unique = context.hooks(f"{type(obj).__name__}()").register(obj, label)
    d[_ID], d[_LABEL] = oid, unique


def _checked_dict(obj: Shared) -> dict[str, Any]:
    """The instance ``__dict__``, registered (a subclass may assign before
    calling ``Shared.__init__``) and free of values put there by
    ``object.__setattr__`` behind the checker's back."""
    d = object.__getattribute__(obj, "__dict__")
    if _ID not in d:
        _register(obj, d, type(obj).__name__.lower())
    if len(d) != _INTERNAL:
        stray = sorted(k for k in d if not k.startswith("_checker_"))
        raise ModelError(
            f"{d[_LABEL]}.{stray[0]} was set behind the checker's back (object.__setattr__ or __dict__)",
            where=context.model_location(),
            hint=f"assign it normally ({d[_LABEL]}.{stray[0]} = ...) so the write is recorded",
        )
    return d


def _refuse_dict(obj: Shared) -> None:
    raise ModelError(
        f"vars() / __dict__ of the Shared object {label_of(obj)} is not available in a model",
        where=context.model_location(),
        hint="read and write attributes by name (getattr/setattr also work); the checker records those",
    )


def snapshot(obj: Shared) -> tuple[tuple[str, str], ...]:
    """The object's data as sorted ``(attribute, repr(value))`` pairs, read
    without recording (for outcomes and reports).  A subclass holding other
    data (``SharedDict``) defines ``_checker_snapshot``."""
    custom = getattr(type(obj), "_checker_snapshot", None)
    if custom is not None:
        return custom(obj)
    store = object.__getattribute__(obj, _ATTRS)
    return tuple(sorted((k, repr(v)) for k, v in store.items()))


def data_items(obj: Shared) -> tuple[tuple[str, Any], ...]:
    """The object's data as ``(field, value)`` pairs in ``snapshot``'s order,
    the values themselves, read without recording (for outcome values).  A
    subclass holding other data (``SharedDict``) defines ``_checker_items``."""
    custom = getattr(type(obj), "_checker_items", None)
    if custom is not None:
        return custom(obj)
    store = object.__getattribute__(obj, _ATTRS)
    return tuple(sorted(store.items(), key=lambda kv: kv[0]))


def label_of(obj: Shared) -> str:
    d = object.__getattribute__(obj, "__dict__")
    return d.get(_LABEL) or type(obj).__name__.lower()


def format_fields(fields: tuple[tuple[str, str], ...]) -> str:
    return ", ".join(f"{k}={v}" for k, v in fields)
