"""The free-threading memory model (``--semantics free-threading``).

Under the GIL (``gil``, the default) a call into C that does not call back
into Python is one step.  CPython's free-threaded build (3.13t and later)
gives each list and dict a per-object lock instead, and its *Thread Safety
Guarantees* page (Doc/library/threadsafety.rst) lists what that leaves
exposed.  This module models the part that changes what a program can
observe:

* ``item in lst``, ``lst.index(item)``, ``lst.count(item)`` read the list
  one element at a time without its lock: one step per element (the
  length is read again before each), so a concurrent ``pop(0)`` can make
  ``3 in [1, 2, 3]`` false; so does ``in`` on a deque, a dict's
  ``values()`` or an iterator, which walks it.
* Iteration is never atomic: a builtin that consumes an iterable over a
  shared container (``sum``, ``min``, ``max``, ``any``, ``all``, ``set()``,
  ``tuple()``, unpacking, ``f(*it)``, ``lst.extend(it)``, ``d.update(it)``
  ...) takes one step per element, except where CPython copies the source
  under its lock: ``list()``, ``sorted()``, ``str.join``, ``lst.extend``,
  ``lst += ...`` and ``[*...]`` from an exact ``list``, ``tuple``, ``set``,
  ``frozenset``, ``dict`` or dict view; ``tuple()`` and ``f(*...)`` from a
  list or tuple; ``dict()``, ``d.update`` and ``d |= ...`` from a dict;
  ``dict.fromkeys``, ``set()`` and set methods from a set, frozenset or
  dict (the page is silent on sets; that is what CPython's source does).
  A mutating consumer writes its target in every one of those steps.

Everything else is as under the GIL (the page lists it as atomic or
locked).  Not modelled, so not explored: the intermediate states of an
element shift (``insert``, ``pop(i)``, ``lst *= k``) that a lock-free
reader may see within one element read, and the list that reads as empty
while ``sort()`` runs.

How: at the scheduling point before such an instruction (the tracer,
``free-threading`` only, when the source or the list is shared) the
callable or the operand on the evaluation stack is replaced
(``stack.replace``) by a stand-in from here that does the same work, with
a scheduling point and the element's reads (``note``) before every
element after the first; the first belongs to the instruction's own step.
Stand-ins are tracer ``entry`` points, so a ``key=`` function or an
``__eq__`` they call is traced as the model's code.
"""

from __future__ import annotations

import builtins
import operator
import sys
from collections import deque
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

from .. import context
from . import effects, stack
from .points import point
from .entries import entry


Note = Callable[[list[tuple[Any, str, str]]], None]  # records locations as accesses of the current step

_VIEWS = (type({}.keys()), type({}.values()), type({}.items()))
_COPIED = (list, tuple, set, frozenset, dict) + _VIEWS  # list_extend copies these under their lock
_SEQUENCES = (list, tuple)
_MAPPINGS = (dict,)
_SETS = (set, frozenset, dict)
_SET_METHODS = {"update", "union", "intersection", "difference", "symmetric_difference", "intersection_update",
                "difference_update", "symmetric_difference_update", "issubset", "issuperset", "isdisjoint"}
_INPLACE_ADD, _INPLACE_OR = 13, 20
#: builtins that consume their first argument: (positions, sources copied under their lock, target)
_BUILTIN_SOURCES: dict[Any, tuple[tuple[int, ...], tuple[type, ...], Any]] = {
    sum: ((0,), (), None), min: ((0,), (), None), max: ((0,), (), None), any: ((0,), (), None),
    all: ((0,), (), None), list: ((0,), _COPIED, None), sorted: ((0,), _COPIED, None),
    tuple: ((0,), _SEQUENCES, None), dict: ((0,), _MAPPINGS + (tuple,), None), set: ((0,), _SETS, None),
    frozenset: ((0,), _SETS, None),
}


def _next_step(note: Note, locations: list) -> None:
    """A scheduling point, then ``locations`` as the new step's accesses."""
    if not point():
        raise context.ThreadAbandoned()
    note(locations)


@entry
def _elements(source: Any, note: Note, locations: list) -> Iterator[Any]:
    """``source``'s elements, one step each after the first (the step that
    finds the end too)."""
    it = iter(source)
    first = True
    while True:
        if not first:
            _next_step(note, locations)
        first = False
        try:
            value = next(it)
        except StopIteration:
            return
        yield value


@entry
def _scan(lst: list, note: Note, locations: list, start: int = 0) -> Iterator[tuple[int, Any]]:
    """(index, element) of a list read without its lock: the length, then
    the element, one step per index after the first."""
    i = start
    while True:
        if i > start:
            _next_step(note, locations)
        if i >= len(lst):
            return
        yield i, lst[i]
        i += 1


@entry
def _equal(a: Any, b: Any) -> bool:
    return a is b or bool(a == b)  # PyObject_RichCompareBool: identity first


class _Membership:
    """Stands in for the right operand of ``in`` when that reads it one
    element at a time (a list, a deque, a dict's values, an iterator)."""

    _checker_object = True

    def __init__(self, container: Any, note: Note, locations: list):
        self.container, self.note, self.locations = container, note, locations

    @entry
    def __contains__(self, value: Any) -> bool:
        return any(_equal(x, value) for x in _elements(self.container, self.note, self.locations))


class _Scan:
    """Stands in for ``list.index`` / ``list.count`` (bound or not)."""

    _checker_object = True

    def __init__(self, name: str, bound: list | None, note: Note, locations: list):
        self.name, self.bound, self.note, self.locations = name, bound, note, locations

    @entry
    def __call__(self, *args: Any) -> Any:
        lst, args = (self.bound, args) if self.bound is not None else (args[0], args[1:])
        if self.name == "count":
            (value,) = args
            return sum(1 for _, x in _scan(lst, self.note, self.locations) if _equal(x, value))
        value, *bounds = args
        start, stop = _bounds(len(lst), *bounds)
        for i, x in _scan(lst, self.note, self.locations, start):
            if i >= stop:
                break
            if _equal(x, value):
                return i
        raise ValueError(f"{value!r} is not in list")


def _bounds(size: int, start: int = 0, stop: int = sys.maxsize) -> tuple[int, int]:
    """``list.index``'s start and stop: negative ones count from the end
    (of the length read once, at the start), then at least 0."""
    start, stop = operator.index(start), operator.index(stop)
    if start < 0:
        start = max(start + size, 0)
    if stop < 0:
        stop = max(stop + size, 0)
    return start, stop


class _Consume:
    """Stands in for a callable that consumes iterable arguments: the
    arguments at ``positions`` are read one element per step."""

    _checker_object = True

    def __init__(self, fn: Any, positions: tuple[int, ...], note: Note, locations: list):
        self.fn, self.positions, self.note, self.locations = fn, positions, note, locations

    @entry
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        args = tuple(_elements(a, self.note, self.locations) if i in self.positions else a
                     for i, a in enumerate(args))
        return self.fn(*args, **kwargs)


def _call_rule(fn: Any, args: list[Any]) -> tuple[tuple[int, ...], tuple[type, ...], Any] | str | None:
    """How a call of ``fn(*args)`` (``args`` as ``fn`` receives them; for
    an unbound method the first is the object) reads under free-threading:
    "index"/"count" (a lock-free scan of ``args[0]`` or ``fn.__self__``),
    or (positions of the iterable arguments, the source types copied under
    their lock, the target it writes or None), or None (as under the GIL)."""
    owner = getattr(fn, "__self__", None)
    name = getattr(fn, "__name__", "")
    if isinstance(fn, effects.UNBOUND) and args:
        owner, offset = args[0], 1
    elif owner is not None and not isinstance(owner, type(builtins)):
        offset = 0
    else:
        owner, offset = None, 0
    if owner is None:
        if not args or (fn in (min, max, any, all) and len(args) != 1):
            return None  # max(a, b): no iterable; dict() or keyword arguments only
        return _BUILTIN_SOURCES.get(fn)  # type: ignore[arg-type]
    positions = tuple(range(offset, len(args)))
    if type(owner) is list or isinstance(owner, list) and getattr(type(owner), name, None) is getattr(list, name, 0):
        if name in ("index", "count"):
            return name
        if name == "extend":
            return positions, _COPIED, owner
    if isinstance(owner, deque) and name in ("extend", "extendleft"):
        return positions, _COPIED, owner
    if isinstance(owner, str) and name == "join":
        return positions, _COPIED, None
    if owner is dict and name == "fromkeys":
        return positions[:1], _SETS, None
    if isinstance(owner, dict) and name == "update" and len(args) == offset + 1 and not hasattr(args[offset], "keys"):
        return positions, _MAPPINGS, owner
    if isinstance(owner, (set, frozenset)) and name in _SET_METHODS:
        return positions, _SETS, owner if name.endswith("update") else None
    return None


def _scanned_by_in(container: Any) -> bool:
    """``x in container`` walks it (not a hash lookup, not an immutable
    value): a list, a deque, a dict's values, an iterator of C code."""
    if isinstance(container, (list, deque)):
        return getattr(type(container), "__contains__", None) in (list.__contains__, deque.__contains__)
    return type(container) is _VIEWS[1] or (effects.is_c_iterator(container) and not effects.is_container(container))


def _source_reads(source: Any, locked: tuple[type, ...], shared: Callable[[Any], bool]) -> list:
    """The shared locations one element of ``source`` reads, or [] when it
    is read in one step (copied under its lock, or nothing shared)."""
    if type(source) in locked:
        return []
    return [loc for loc in effects.operand(source, effects.READ) if shared(loc[0])]


def split(frame: FrameType, opname: str, arg: int, callee: tuple[Any, list[Any]] | None, note: Note,
          shared: Callable[[Any], bool]) -> None:
    """At the scheduling point before instruction ``opname`` (``arg``):
    replace what it uses on the stack by a stand-in when, without the GIL,
    it reads a shared container one element at a time (module docstring).
    ``callee``: for a call, the callable and its arguments as received."""
    item = stack.item
    if opname == "CONTAINS_OP":
        container = item(frame, 0)
        if _scanned_by_in(container):
            reads = _source_reads(container, (), shared)
            if reads:
                stack.replace(frame, 0, _Membership(container, note, reads))
        return
    if opname == "PRECALL":
        if callee is not None:
            _split_call(frame, arg, callee, note, shared)
        return
    source_depth, locked, target = _operand_rule(frame, opname, arg)
    if source_depth is None:
        return
    reads = _source_reads(item(frame, source_depth), locked, shared)
    if reads:
        writes = [(target, effects.ITEMS, effects.WRITE)] if target is not None and shared(target) else []
        stack.replace(frame, source_depth, _elements(item(frame, source_depth), note, reads + writes))


def _operand_rule(frame: FrameType, opname: str, arg: int) -> tuple[int | None, tuple[type, ...], Any]:
    """(depth of the iterable operand, source types copied under their
    lock, the container written or None) of an instruction that iterates
    an operand; depth None when it does not."""
    item = stack.item
    if opname in ("UNPACK_SEQUENCE", "UNPACK_EX"):
        return 0, (), None
    if opname == "LIST_EXTEND":
        return 0, _COPIED, None
    if opname == "SET_UPDATE":
        return 0, _SETS, None
    if opname == "BINARY_OP" and arg == _INPLACE_ADD and isinstance(item(frame, 1), list):
        return 0, _COPIED, item(frame, 1)
    if opname == "BINARY_OP" and arg == _INPLACE_OR and isinstance(item(frame, 1), dict) \
            and not hasattr(item(frame, 0), "keys"):
        return 0, _MAPPINGS, item(frame, 1)
    if opname == "STORE_SUBSCR" and isinstance(item(frame, 0), slice) and isinstance(item(frame, 1), list):
        return 2, (list,), item(frame, 1)
    if opname == "CALL_FUNCTION_EX":
        return (1 if arg & 1 else 0), _SEQUENCES, None
    return None, (), None


def _split_call(frame: FrameType, arg: int, callee: tuple[Any, list[Any]], note: Note,
                shared: Callable[[Any], bool]) -> None:
    """``PRECALL arg``: the callable is in the method slot (called with the
    object first) or, below a NULL, in the slot above it; ``callee`` is
    what is there and the arguments it receives."""
    fn, args = callee
    depth = arg + 1 if stack.item(frame, arg + 1) is not stack.NULL else arg
    rule = _call_rule(fn, args)
    if rule is None:
        return
    if isinstance(rule, str):  # index / count
        unbound = isinstance(fn, effects.UNBOUND)
        lst = args[0] if unbound else fn.__self__
        if shared(lst):
            stack.replace(frame, depth, _Scan(rule, None if unbound else lst, note, [(lst, effects.ITEMS, effects.READ)]))
        return
    positions, locked, target = rule
    reads = [loc for i in positions if i < len(args) for loc in _source_reads(args[i], locked, shared)]
    if reads:
        writes = [(target, effects.ITEMS, effects.WRITE)] if target is not None and shared(target) else []
        stack.replace(frame, depth, _Consume(fn, positions, note, reads + writes))
