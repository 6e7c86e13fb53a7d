"""Plain Python objects that more than one thread can reach.

The checker sees shared data through ``Shared``, ``SharedDict`` and the
primitives, which record every access.  A plain object -- a list, a dict, an
instance of an ordinary class, a closure variable, a module-level variable --
that two threads can reach is invisible to the footprints: changing it in
one thread and looking at it in another would look independent, and DPOR
could prove a racy model safe.  This module refuses such models with an
error instead.

What is watched (and how it becomes reachable by other threads):

* values read from or written to a ``Shared`` attribute or a ``SharedDict``
  key, and items put into a queue (``Hooks.escape``);
* what ``Thread.start()`` hands to the new thread: its ``args`` and
  ``kwargs``, the target's closure cells, default arguments and bound
  ``self``, and the user attributes of a ``Thread`` subclass;
* the module-level variables the scenario and its threads' code can name
  (``ModuleVariables``), from the first ``start()`` of an execution on.

A watched object is fingerprinted (``fingerprint``: deep for builtin
containers and plain instances, by identity for immutable values and for
checker objects, which record their own accesses) when it is handed over,
and again after every step; a change is a ``ModelError`` naming the object,
the threads and the step.  Module-level variables are compared once, when
the execution ends.  Real ``threading``/``queue`` objects found on the way
are refused with the name of the checker counterpart (``real_primitive``).
"""

from __future__ import annotations

import collections
import sysconfig
import queue
import threading
import _thread
from types import CellType, CodeType, FunctionType, GeneratorType, MethodType, ModuleType
from typing import Any
from collections.abc import Iterable

from ..errors import ModelError
from ..program.shared import ATOMIC_TYPES, needs_watch

_REAL = {
    _thread.LockType: "checker.Lock",
    type(threading.RLock()): "checker.RLock",
    _thread._local: "checker.local",
    threading.Condition: "checker.Condition",
    threading.Semaphore: "checker.Semaphore",
    threading.BoundedSemaphore: "checker.BoundedSemaphore",
    threading.Event: "checker.Event",
    threading.Barrier: "checker.Barrier",
    threading.Thread: "checker.Thread",
    threading.Timer: "checker.Timer",
    threading.local: "checker.local",
    queue.Queue: "checker.Queue",
    queue.LifoQueue: "checker.LifoQueue",
    queue.PriorityQueue: "checker.PriorityQueue",
    queue.SimpleQueue: "checker.Queue",
}
_MAX_DEPTH = 12


def real_primitive(value: Any) -> str | None:
    """The checker counterpart of a real ``threading``/``queue`` object
    (e.g. ``"checker.Lock"`` for ``threading.Lock()``), or None."""
    for klass in type(value).__mro__:
        name = _REAL.get(klass)
        if name is not None:
            return name
    return None


def real_name(value: Any) -> str:
    """How the user wrote the real object's type: ``threading.Lock``."""
    t = type(value)
    if t is _thread.LockType:
        return "threading.Lock"
    if t.__module__ == "_thread":
        return f"threading.{t.__name__.lstrip('_')}"
    return f"{t.__module__}.{t.__qualname__}"


def refuse_real(value: Any, how: str, where: str | None) -> None:
    counterpart = real_primitive(value)
    if counterpart is None:
        return
    raise ModelError(
        f"{how} is a real {real_name(value)}: it would block or run outside "
        "the checker's schedule (a real lock acquired by two model threads hangs the checker)",
        where=where,
        hint=f"use {counterpart} from checker instead (blocking calls are yielded: `yield lock.acquire()`)",
    )


def fingerprint(value: Any, depth: int = 0, path: frozenset[int] = frozenset()) -> Any:
    """A value that compares equal as long as ``value`` has not been changed
    in place.  Immutable values and checker objects are compared by
    identity (inside a flat container of immutable values, by equality: an
    equal replacement is not a change any reader could see); builtin
    containers, plain instances, cells and iterators by their contents."""
    t = type(value)
    if t in ATOMIC_TYPES or getattr(t, "_checker_object", False):
        return id(value)
    if depth > _MAX_DEPTH or id(value) in path:
        return ("ref", id(value))
    if real_primitive(value) is not None:
        return id(value)
    inner = path | {id(value)}
    d = depth + 1
    atomic = ATOMIC_TYPES
    if t is tuple or t is list or t is collections.deque:
        if all(type(v) in atomic for v in value):  # the common flat case: its items, copied at C speed
            return (t.__name__, True, tuple(value))
        return (t.__name__, tuple(fingerprint(v, d, inner) for v in value))
    if isinstance(value, dict):
        if all(type(k) in atomic and type(v) in atomic for k, v in value.items()):
            return ("dict", True, tuple(value.items()))
        return ("dict", tuple((fingerprint(k, d, inner), fingerprint(v, d, inner)) for k, v in value.items()))
    if isinstance(value, (set, frozenset)):
        return ("set", frozenset(fingerprint(v, d, inner) for v in value))
    if isinstance(value, (bytearray, memoryview)):
        return ("bytes", bytes(value))
    if t is CellType:
        try:
            return ("cell", fingerprint(value.cell_contents, d, inner))
        except ValueError:
            return ("cell", None)
    if t is GeneratorType:
        frame = value.gi_frame
        return ("gen", id(value), frame.f_lasti if frame is not None else None)
    if isinstance(value, (ModuleType, CodeType, MethodType)) or callable(value) and not hasattr(value, "__dict__"):
        return id(value)
    if t.__module__ == "builtins" and t.__name__.endswith("iterator"):
        return ("iter", id(value), fingerprint(value.__reduce__(), d, inner))
    state = getattr(value, "__dict__", None)
    slots = [getattr(value, s, None) for k in t.__mro__ for s in getattr(k, "__slots__", ())]
    if state is None and not slots:
        return id(value)  # an object whose contents Python does not show: compared by identity
    return (t.__qualname__, id(value), fingerprint(state, d, inner), fingerprint(slots, d, inner))


class _Entry:
    __slots__ = ("value", "fp", "how", "threads")

    def __init__(self, value: Any, how: str, thread: str):
        self.value, self.fp, self.how, self.threads = value, fingerprint(value), how, [thread]


class Watch:
    """The plain objects of one execution that other threads can reach."""

    __slots__ = ("entries",)

    def __init__(self) -> None:
        self.entries: dict[int, _Entry] = {}

    def add(self, value: Any, how: str, thread: str, where: str | None = None) -> None:
        """Watch ``value`` from now on (``thread`` obtained or handed it)."""
        refuse_real(value, how, where)
        entry = self.entries.get(id(value))
        if entry is None:
            self.entries[id(value)] = _Entry(value, how, thread)
        elif thread not in entry.threads:
            entry.threads.append(thread)

    def first_changed(self) -> _Entry | None:
        """The first watched object whose fingerprint changed, or None."""
        for entry in self.entries.values():
            if fingerprint(entry.value) != entry.fp:
                return entry
        return None


def changed_error(entry: _Entry, thread: str, where: str) -> ModelError:
    others = [t for t in entry.threads if t != thread]
    reach = f"thread {others[0]} can reach it too" if others else "other threads can reach it"
    if type(entry.value) is CellType:
        what = f"assigned {entry.how}"
    else:
        what = f"changed a plain {type(entry.value).__name__} in place ({entry.how})"
    return ModelError(
        f"thread {thread} {what}; {reach}, and the checker cannot see changes inside plain Python objects, "
        "so it would treat the steps that touch it as independent",
        where=where,
        hint="keep shared data in a Shared object and assign new values (obj.items = obj.items + (x,)), "
        "use SharedDict for a dict, or give each thread its own copy",
    )


def handed_over(thread: Any) -> Iterable[tuple[Any, str]]:
    """What ``Thread.start()`` gives the new thread, as ``(value, how)``."""
    name = thread._name
    for i, arg in enumerate(thread._args):
        yield arg, f"args[{i}] of thread {name}"
    for key, arg in thread._kwargs.items():
        yield arg, f"kwargs[{key!r}] of thread {name}"
    target = thread._target
    if isinstance(target, MethodType):
        yield target.__self__, f"the object whose method is the target of thread {name}"
        target = target.__func__
    if isinstance(target, FunctionType):
        for var, cell in zip(target.__code__.co_freevars, target.__closure__ or ()):
            yield cell, f"the variable {var!r} the target of thread {name} closes over"
        for default in target.__defaults__ or ():
            yield default, f"a default argument of the target of thread {name}"
    for key, value in vars(thread).items():
        if not key.startswith("_"):
            yield value, f"{name}.{key}"


class ModuleVariables:
    """Module-level variables the scenario's code can name, compared between
    the ``start()`` that first hands them to a thread and the end of the
    execution.

    The names come from the code (``named_globals``): every global name in
    the code of the thread's target, of the functions nested in it and of
    the functions and methods of classes it names in turn -- an
    over-approximation of what the code can reach.  Changes made before the
    first thread starts (the scenario's setup) are not changes."""

    __slots__ = ("saved",)

    def __init__(self) -> None:
        self.saved: dict[tuple[int, str], tuple[dict[str, Any], str, str, Any, Any, tuple[str, str]]] = {}

    def add(self, func: Any, where: str | None) -> None:
        """Start watching the module-level variables ``func`` can name."""
        names = named_globals(func)
        if not names:
            return
        code = getattr(func, "__code__", None) or func.__func__.__code__
        who = (code.co_qualname, f"{code.co_filename}:{code.co_firstlineno}")
        for g, name, module in names:
            key = (id(g), name)
            if key in self.saved:
                continue
            value = g.get(name, _ABSENT)
            if value is not _ABSENT and not isinstance(value, (ModuleType, FunctionType, type)):
                refuse_real(value, f"module-level variable {name} of {module}", where)
            self.saved[key] = (g, name, module, value, _contents(value), who)

    def changed(self) -> list[tuple[str, str, str]]:
        """``(name, file:line, function)`` for each variable whose binding or
        contents changed since it was added: the function whose code reaches
        it and where that function is defined."""
        out = []
        for g, name, _module, value, fp, (who, where) in self.saved.values():
            now = g.get(name, _ABSENT)
            if now is not value or (fp is not None and _contents(now) != fp):
                out.append((name, where, who))
        return out


def _contents(value: Any) -> Any:
    """What can change inside a module-level value: a mutable value's
    fingerprint, a function's attributes, a plain class's class attributes
    (``Counter.count += 1``); None for the rest."""
    if isinstance(value, FunctionType):  # its attributes and default arguments (def f(acc=[]))
        return fingerprint((value.__dict__, value.__defaults__, value.__kwdefaults__))
    if isinstance(value, type):
        if value.__module__.startswith(_CHECKER_PACKAGE + "."):
            return None
        return fingerprint({k: v for k, v in vars(value).items() if not k.startswith("__")})
    return fingerprint(value) if needs_watch(value) else None


_ABSENT = object()
_CHECKER_PACKAGE = __name__.rsplit(".", 2)[0]


_NAMED: dict[tuple[int, int], tuple[CodeType, list[tuple[dict[str, Any], str, str]]]] = {}


def named_globals(func: Any) -> list[tuple[dict[str, Any], str, str]]:
    """``(globals, name, module)`` for every module-level name ``func``'s
    code can reach (cached per code object and module)."""
    if isinstance(func, MethodType):
        func = func.__func__
    if not isinstance(func, FunctionType):
        return []
    key = (id(func.__code__), id(func.__globals__))
    cached = _NAMED.get(key)
    if cached is None or cached[0] is not func.__code__:
        cached = _NAMED[key] = (func.__code__, _named_globals(func))
    return cached[1]


def _named_globals(root: FunctionType) -> list[tuple[dict[str, Any], str, str]]:
    seen_code: set[int] = set()
    found: dict[tuple[int, str], tuple[dict[str, Any], str, str]] = {}
    stack: list[tuple[CodeType, dict[str, Any]]] = [(root.__code__, root.__globals__)]
    while stack:
        code, g = stack.pop()
        if id(code) in seen_code:
            continue
        seen_code.add(id(code))
        module = g.get("__file__") or g.get("__name__", "?")
        if str(g.get("__name__", "")).startswith(_CHECKER_PACKAGE + "."):
            continue  # the checker's own code
        for name in code.co_names:
            if name not in g:
                found.setdefault((id(g), name), (g, name, module))
                continue
            value = g[name]
            if isinstance(value, ModuleType):
                if _user_module(value):  # helpers.STATE: the module's variables the code names
                    names = set(code.co_names)
                    for attr in names & value.__dict__.keys():
                        _follow(value.__dict__[attr], stack)
                        found.setdefault((id(value.__dict__), attr), (value.__dict__, attr, value.__name__))
                continue
            _follow(value, stack)
            found.setdefault((id(g), name), (g, name, module))
        for const in code.co_consts:
            if isinstance(const, CodeType):
                stack.append((const, g))
    return list(found.values())


def _follow(value: Any, stack: list[tuple[CodeType, dict[str, Any]]]) -> None:
    """Queue the code a module-level value runs: a function's, or the
    methods of a class (not the checker's own)."""
    if isinstance(value, FunctionType):
        stack.append((value.__code__, value.__globals__))
    elif isinstance(value, type) and not value.__module__.startswith(_CHECKER_PACKAGE + "."):
        for attr in vars(value).values():
            func = getattr(attr, "__func__", attr)
            if isinstance(func, FunctionType):
                stack.append((func.__code__, func.__globals__))


_STDLIB = sysconfig.get_paths()["stdlib"]


def _user_module(module: ModuleType) -> bool:
    """A module of the user's own (a file outside the standard library,
    site-packages and the checker), whose variables a model may share."""
    path = getattr(module, "__file__", None)
    if not path or module.__name__.startswith(_CHECKER_PACKAGE):
        return False
    return not path.startswith(_STDLIB) and "site-packages" not in path and "dist-packages" not in path
