"""What an instruction of unmodified code touches: objects and locations.

The tracer asks this module, for an instruction about to run, which
*locations* it reads or writes.  A location is ``(object, field)``:

* ``(obj, name)`` -- an attribute of an instance of a Python class (or of
  a class: its data attributes);
* ``(container, "[]")`` -- the contents of a builtin container (``list``,
  ``dict``, ``set``, ``deque``, ``bytearray`` ...), as one location: two
  threads that touch different keys of one dict are still ordered (the
  coarse choice costs executions, never soundness);
* ``(globals, name)`` and ``(cell, name)`` -- module globals and closure
  cells (the tracer builds those itself).

Immutable values (numbers, strings, tuples of them, functions, classes'
methods) and the checker's own objects (counterparts record their own
accesses) are never locations.  A call of C code gets its effect from a
table of builtins and container methods; any other C callable is assumed
to write every mutable argument (all its attributes and its contents).
Code the model cannot use soundly is refused with ``Refused``.
"""

from __future__ import annotations

import array
import builtins
import functools
import gc
import types
from collections import deque
from typing import Any

READ, WRITE = "r", "w"
ITEMS = "[]"

_IMMUTABLE = (int, float, complex, str, bytes, bool, type(None), range, slice, frozenset, types.FunctionType,
              types.BuiltinFunctionType, types.CodeType, types.ModuleType, type, type(Ellipsis),
              type(NotImplemented), types.MethodType, property, classmethod, staticmethod)
#: builtin containers whose contents are one location each
CONTAINERS = (list, dict, set, deque, bytearray, array.array)
_VIEWS = (type({}.keys()), type({}.values()), type({}.items()))
_HEAPTYPE = 1 << 9
_DESCRIPTORS = (types.FunctionType, property, classmethod, staticmethod, types.BuiltinFunctionType,
                types.MethodDescriptorType, types.WrapperDescriptorType, types.GetSetDescriptorType)
_GENERIC_GETATTR = object.__getattribute__
#: unbound methods of builtin types: called with the object first (``list.append(lst, x)``)
UNBOUND = (types.MethodDescriptorType, types.WrapperDescriptorType, types.ClassMethodDescriptorType)


class Refused(Exception):
    """The instruction does something the checker cannot follow soundly
    (``hint``: how to write it instead, when there is a better one than the
    general advice)."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.hint = hint


def is_checker(obj: Any) -> bool:
    return getattr(type(obj), "_checker_object", False) is True


def is_container(obj: Any) -> bool:
    return isinstance(obj, CONTAINERS)


def is_instance(obj: Any) -> bool:
    """An object whose attributes are data: an instance of a Python class
    (exceptions too), a ``SimpleNamespace``."""
    t = type(obj)
    return (bool(t.__flags__ & _HEAPTYPE) and not isinstance(obj, _IMMUTABLE)) or t is types.SimpleNamespace


def _python_method(obj: Any, name: str) -> bool:
    """``type(obj).<name>`` is a Python function (its body is traced)."""
    return isinstance(getattr(type(obj), name, None), types.FunctionType)


def class_attribute(t: type, name: str) -> tuple[type, Any] | None:
    for klass in t.__mro__:
        if name in klass.__dict__:
            return klass, klass.__dict__[name]
    return None


def attribute(obj: Any, name: str, kind: str) -> list[tuple[Any, str, str]]:
    """The locations ``obj.name`` reads (``kind`` READ) or writes.  An
    attribute access also reads ``(obj, "[]")``, which a builtin call that
    may change any attribute writes (``everything``); a read that falls
    back to a class (or finds nothing) reads the name on every class it
    looked in, so that assigning it on any of them is ordered with it."""
    if isinstance(obj, type):
        found = class_attribute(obj, name)
        if kind == READ:
            if found is not None and isinstance(found[1], _DESCRIPTORS):
                return []
            return [(k, name, READ) for k in _looked_in(obj, found)]
        if found is not None and isinstance(found[1], _DESCRIPTORS) or not obj.__flags__ & _HEAPTYPE:
            raise Refused(f"assigning {obj.__name__}.{name} (a method or a builtin class) while threads run")
        return [(obj, name, WRITE)]
    if isinstance(obj, types.FunctionType):
        return [] if name.startswith("__") else [(obj, name, kind)]  # a function's own attributes are data
    if is_checker(obj):
        found = class_attribute(type(obj), name)
        if found is not None and found[0].__module__.startswith("checker."):
            return []  # the counterpart's own method or property: it records what it touches
        return [(obj, name, kind)]
    if not is_instance(obj):
        return []
    if name == "__dict__":
        return [(obj, "__dict__", kind)]  # refused when the object is shared (tracer)
    t = type(obj)
    if getattr(t, "__getattribute__", _GENERIC_GETATTR) is not _GENERIC_GETATTR and kind == READ:
        return []  # a Python __getattribute__: traced
    found = class_attribute(t, name)
    own = getattr(obj, "__dict__", {})
    if found is not None:
        value = found[1]
        if isinstance(value, property):
            return []  # its getter/setter is Python code: traced
        if isinstance(value, (types.FunctionType, classmethod, staticmethod)):
            if kind == READ and name not in own:
                return []  # a method: the class is not assigned while threads run (refused above)
            if kind == WRITE:
                raise Refused(f"assigning {t.__name__}.{name} over a method while threads run")
    locations = [(obj, name, kind), (obj, ITEMS, READ)]
    if kind == READ and name not in own:
        locations += [(k, name, READ) for k in _looked_in(t, found)]
    return locations


def _looked_in(t: type, found: tuple[type, Any] | None) -> list[type]:
    """The Python classes a lookup of an attribute on ``t`` goes through:
    up to the one that has it, or all of them when none has."""
    out = []
    for klass in t.__mro__:
        if klass.__flags__ & _HEAPTYPE:
            out.append(klass)
        if found is not None and klass is found[0]:
            break
    return out


def contents(obj: Any, kind: str, depth: int = 0) -> list[tuple[Any, str, str]]:
    """The contents of a builtin container or of a dict's view (nothing for
    anything else); with ``depth``, also of the containers inside it (what
    ``print([lst])`` reads)."""
    if isinstance(obj, _VIEWS):
        obj = gc.get_referents(obj)[0]
    if not is_container(obj) and not (depth and isinstance(obj, tuple)):
        return []
    found = [(obj, ITEMS, kind)] if is_container(obj) else []
    if depth and not isinstance(obj, (bytearray, array.array)):
        inner = obj.values() if isinstance(obj, dict) else obj
        for x in list(inner)[:64]:
            found += contents(x, kind, depth - 1)
    return found


def everything(obj: Any, kind: str, depth: int = 0) -> list[tuple[Any, str, str]]:
    """Every location of ``obj`` that exists now (an unknown C function's
    argument): its contents and its attributes; tuples are looked into."""
    if isinstance(obj, tuple) and depth < 3:
        return [loc for x in obj for loc in everything(x, kind, depth + 1)]
    if is_container(obj):
        return [(obj, ITEMS, kind)]
    if is_instance(obj) and not is_checker(obj):
        return [(obj, ITEMS, kind)] + [(obj, name, kind) for name in getattr(obj, "__dict__", {})]
    return []


def iterated(it: Any) -> list[tuple[Any, str, str]]:
    """What one ``next(it)`` touches: it writes the iterator's position,
    and reads the containers a C iterator walks (found through what it
    refers to: ``enumerate`` -> its list iterator -> the list).  A Python
    iterator's ``__next__`` is traced: nothing."""
    if isinstance(it, (types.GeneratorType, types.CoroutineType)):
        return [(it, ITEMS, WRITE)]  # its position: shared generators are advanced by one thread at a time
    if _python_method(it, "__next__"):
        return []
    found: list[tuple[Any, str, str]] = [(it, ITEMS, WRITE)]  # the iterator's own position
    todo, seen = [(it, 0)], set()
    while todo:
        x, depth = todo.pop()
        if id(x) in seen or depth > 4:
            continue
        seen.add(id(x))
        if is_container(x):
            found.append((x, ITEMS, READ))
        elif isinstance(x, _VIEWS):
            todo.append((gc.get_referents(x)[0], depth + 1))
        elif depth == 0 or isinstance(x, tuple) or is_c_iterator(x):
            todo.extend((r, depth + 1) for r in gc.get_referents(x))
    return found


def is_c_iterator(x: Any) -> bool:
    t = type(x)
    return not t.__flags__ & _HEAPTYPE and hasattr(t, "__next__")


_READERS = {"len", "sum", "min", "max", "sorted", "any", "all", "iter", "list", "tuple", "set", "frozenset",
            "dict", "enumerate", "zip", "reversed", "map", "filter", "repr", "str", "ascii", "format", "print",
            "isinstance", "issubclass", "id", "hash", "abs", "round", "divmod", "pow", "callable", "type",
            "bool", "int", "float", "bytes", "chr", "ord", "hex", "oct", "bin", "range", "slice",
            "object", "super", "property", "classmethod", "staticmethod", "bytearray", "complex", "memoryview"}
_CONTAINER_READS = {
    "get", "keys", "values", "items", "copy", "index", "count", "isdisjoint", "issubset", "issuperset",
    "union", "intersection", "difference", "symmetric_difference", "__contains__", "__getitem__", "__len__",
    "__iter__", "__reversed__", "__eq__", "__ne__", "__repr__", "__str__", "__sizeof__", "__reduce__",
    "__reduce_ex__", "__format__", "hex", "decode", "startswith", "endswith", "find", "rfind", "__lt__",
    "__le__", "__gt__", "__ge__", "__hash__", "__or__", "__and__", "__sub__", "__xor__", "__add__", "__mul__",
}
_REFUSED = {"vars": "vars() gives access to attributes no footprint would show",
            "globals": "globals() gives access to module variables no footprint would show",
            "exec": "exec() in a model thread", "eval": "eval() in a model thread",
            "__import__": "__import__() in a model thread"}


#: modules whose calls reach outside the process (or block on something no thread of the model releases)
_OUTSIDE = {"socket": "network I/O", "_socket": "network I/O", "ssl": "network I/O", "select": "waiting on files",
            "selectors": "waiting on files", "subprocess": "another process", "_posixsubprocess": "another process",
            "multiprocessing": "another process", "signal": "signals"}
_OS_OUTSIDE = {"system", "popen", "fork", "forkpty", "wait", "waitpid", "wait3", "wait4", "waitid", "posix_spawn",
               "posix_spawnp", "kill", "killpg", "execv", "execve", "execl", "execle", "execlp", "execlpe", "execvp",
               "execvpe", "spawnl", "spawnle", "spawnlp", "spawnlpe", "spawnv", "spawnve", "spawnvp", "spawnvpe"}


def uncontrolled(fn: Any) -> str | None:
    """What calling ``fn`` would do that the checker cannot schedule (real
    network or file waiting, processes, signals, the terminal), or None."""
    if fn is builtins.input:
        return "input() reads the terminal"
    owner = getattr(fn, "__self__", None)
    if isinstance(fn, type):
        module = fn.__module__
    elif owner is not None and not isinstance(owner, types.ModuleType):
        module = type(owner).__module__  # a method of a socket, a selector, a Popen
    else:
        module = getattr(fn, "__module__", None) or getattr(owner, "__name__", "")
    name = getattr(fn, "__qualname__", getattr(fn, "__name__", "?"))
    root = module.split(".")[0]
    if root in _OUTSIDE:
        return f"{root}.{name} ({_OUTSIDE[root]})"
    if root in ("os", "posix") and getattr(fn, "__name__", "") in _OS_OUTSIDE:
        return f"os.{name} (another process)"
    return None


def call(fn: Any, args: list[Any]) -> tuple[list[tuple[Any, str, str]], bool]:
    """The locations a call of ``fn(*args)`` touches itself, and whether
    it must be a scheduling point even without one (it writes ``stdout``).
    A Python function or class touches nothing here: its code is traced."""
    if isinstance(fn, (types.FunctionType, types.MethodType)) or is_checker(fn):
        return [], getattr(getattr(fn, "__self__", None), "captures_output", False) is True
    if isinstance(fn, functools.partial):  # what it calls, with its own arguments first
        inner, point = call(fn.func, list(fn.args) + list(args) + list((fn.keywords or {}).values()))
        return inner + [loc for a in fn.args for loc in contents(a, READ)], point
    if isinstance(fn, type):
        if getattr(fn, "_checker_object", False) or fn.__flags__ & _HEAPTYPE and _python_method(fn, "__init__"):
            return [], False
        return [loc for a in args for loc in _read_by_builtin(a)], False
    owner = getattr(fn, "__self__", None)
    name = getattr(fn, "__name__", "")
    if isinstance(fn, UNBOUND) and args:  # list.append(lst, x), or lst.append loaded by LOAD_METHOD
        owner, args = args[0], args[1:]
    if name in ("__setattr__", "__delattr__", "__getattribute__", "__getattr__") and args \
            and isinstance(args[0], str) and owner is not None:
        return attribute(owner, args[0], READ if name.startswith("__get") else WRITE), False
    if owner is builtins:
        if name in _REFUSED:
            if name == "vars" and not args:
                return [], False  # vars() is locals(): the thread's own
            raise Refused(_REFUSED[name])
        if name in ("getattr", "hasattr") and len(args) >= 2 and isinstance(args[1], str):
            return attribute(args[0], args[1], READ), False
        if name in ("setattr", "delattr") and len(args) >= 2 and isinstance(args[1], str):
            return attribute(args[0], args[1], WRITE), False
        if name == "next" and args:
            return iterated(args[0]), False
        if name in _READERS:
            found = [loc for a in args for loc in _read_by_builtin(a)]
            if any(callable(a) and not isinstance(a, (types.FunctionType, types.MethodType, type)) for a in args):
                # a C key function (operator.attrgetter("v")) reads the elements' attributes
                found += [loc for a in args if is_container(a) for x in list(a)[:64] for loc in everything(x, READ)]
            return found, name == "print"
    elif owner is not None and not isinstance(owner, types.ModuleType) and is_container(owner):
        kind = READ if name in _CONTAINER_READS else WRITE
        return [(owner, ITEMS, kind)] + [loc for a in args for loc in _read_by_builtin(a)], False
    elif isinstance(owner, (str, bytes, int, float, tuple, frozenset)):
        return [loc for a in args for loc in _read_by_builtin(a)], False
    targets = ([owner] if owner is not None and not isinstance(owner, types.ModuleType) else []) + list(args)
    return [loc for a in targets for loc in everything(a, WRITE)], False


def _read_by_builtin(arg: Any) -> list[tuple[Any, str, str]]:
    """What a builtin that reads ``arg`` reads: its contents and the
    containers inside them, the dict behind a view, what a C iterator
    walks (``sum(map(int, lst))`` reads ``lst``), and the owner of a bound
    builtin method it may call (``sorted(keys, key=d.get)``)."""
    owner = getattr(arg, "__self__", None) if isinstance(arg, types.BuiltinMethodType) else None
    if owner is not None and not isinstance(owner, types.ModuleType):
        return contents(owner, READ) + everything(owner, READ)
    return operand(arg, READ, depth=2)


def operand(obj: Any, kind: str, depth: int = 0) -> list[tuple[Any, str, str]]:
    """What an instruction or a builtin that uses ``obj`` whole touches:
    a container's contents (``contents``), or for an iterator (``[*it]``,
    ``a, b = it``, ``list(it)``) what advancing it to the end touches
    (``iterated``)."""
    if is_c_iterator(obj) and not is_container(obj):
        return iterated(obj)
    return contents(obj, kind, depth)
