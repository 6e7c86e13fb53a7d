"""The tracer: scheduling points and footprints of unmodified code.

One ``Tracer`` per model thread, installed with ``sys.settrace`` on that
thread only (``runtime.real_steps``).  For each frame of the model's code
(not the checker's: counterparts make their own points) it asks for
``'opcode'`` events and, before an instruction that touches a location
another thread can reach (``effects``), it

1. stops at a scheduling point (``Hooks.parking``): other threads may
   run first; when no other thread is unfinished this costs nothing;
2. records each location as an ``Access`` of the step that follows, with
   the user's line and the value read or written.

So ``c.value += 1`` is two steps -- read, then write -- as a step program
writes it by hand, and instructions that touch nothing shared run inside
the step before them.  Objects get their creation index the first time an
execution sees them (``Hooks.identify``).

What the tracer cannot follow soundly (``effects.Refused``, the real
``threading``/``queue`` modules reached through another module, a real
``time.sleep``) ends the execution with a ``ModelError`` naming the line:
the refusal is kept in ``refusals`` for the runtime to raise, since an
exception raised by a trace function could be caught by the model's code.
"""

from __future__ import annotations

import _thread
import dis
import os
import queue
import threading
import time as _real_time
import types
from types import CodeType, FrameType
from typing import Any

from ...errors import ModelError
from .. import context
from . import effects, free_threading, stack
from .entries import ENTRIES as _ENTRIES, call_model, entry  # noqa: F401 (call_model, entry: for counterparts)
from .effects import READ, WRITE, Refused

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_REAL_FILES = {threading.__file__, queue.__file__}
_REAL_DIRS = (os.path.dirname(os.path.abspath(threading.__file__)) + "/concurrent/",)
_REAL_BLOCKING = {id(_real_time.sleep): "time.sleep", id(_thread.start_new_thread): "_thread.start_new_thread",
                  id(_thread.allocate_lock): "_thread.allocate_lock", id(os.fork): "os.fork"}
_CANDIDATES = {
    "LOAD_ATTR", "LOAD_METHOD", "STORE_ATTR", "DELETE_ATTR", "BINARY_SUBSCR", "STORE_SUBSCR", "DELETE_SUBSCR",
    "LOAD_GLOBAL", "STORE_GLOBAL", "DELETE_GLOBAL", "LOAD_DEREF", "LOAD_CLASSDEREF", "STORE_DEREF",
    "DELETE_DEREF", "FOR_ITER", "PRECALL", "CALL_FUNCTION_EX", "CONTAINS_OP", "COMPARE_OP", "BINARY_OP",
    "UNPACK_SEQUENCE", "UNPACK_EX", "LIST_EXTEND", "SET_UPDATE", "DICT_UPDATE", "DICT_MERGE", "FORMAT_VALUE",
    # the truth of a container is its length; GET_ITER on a set or dict notes its size
    "POP_JUMP_FORWARD_IF_TRUE", "POP_JUMP_FORWARD_IF_FALSE", "POP_JUMP_BACKWARD_IF_TRUE",
    "POP_JUMP_BACKWARD_IF_FALSE", "JUMP_IF_TRUE_OR_POP", "JUMP_IF_FALSE_OR_POP", "UNARY_NOT", "GET_LEN",
    "MATCH_KEYS", "GET_ITER",
}
_CALLS = ("PRECALL", "CALL_FUNCTION_EX")
_NAMED = ("LOAD_FAST", "LOAD_GLOBAL", "LOAD_DEREF", "LOAD_NAME", "LOAD_ATTR", "LOAD_METHOD", "LOAD_CLASSDEREF")
_SCALARS = (int, float, complex, str, bytes, bool, type(None))
_DEFINITIONS = (type, types.FunctionType, types.ModuleType, types.BuiltinFunctionType)
_INPLACE = 13  # BINARY_OP's first in-place operator (NB_INPLACE_ADD)

#: OS thread ident -> the ModelError its tracer found (taken by the runtime after the step)
refusals: dict[int, ModelError] = {}

_plans: dict[CodeType, dict[int, tuple[str, int, Any, str | None]] | None] = {}

def _called_by_model(frame: FrameType) -> bool:
    """The nearest caller that is the model's or the checker's code is the
    model's, or a checker ``entry``."""
    caller = frame.f_back
    while caller is not None:
        code = caller.f_code
        if code in _ENTRIES:
            return True
        if code.co_filename.startswith(_PACKAGE_DIR):
            return False
        caller = caller.f_back
    return True


def plan(code: CodeType) -> dict[int, tuple[str, int, Any, str | None]] | None:
    """offset -> (opname, arg, argval, name of what the previous instruction
    loaded) for the instructions that may touch something; None for code
    that is not traced at all (the checker's own)."""
    if code in _plans:
        return _plans[code]
    found: dict[int, tuple[str, int, Any, str | None]] | None = None
    if not code.co_filename.startswith(_PACKAGE_DIR):
        found = {}
        previous = None
        extended = None  # where a run of EXTENDED_ARG began: 3.11 gives the instruction after it no event
        for ins in dis.get_instructions(code):
            if ins.opname == "EXTENDED_ARG":
                extended = ins.offset if extended is None else extended
                continue
            if ins.opname in _CANDIDATES:
                hint = previous.argval if previous is not None and previous.opname in _NAMED else None
                hint = None if ins.opname in _CALLS or not isinstance(hint, str) else hint
                found[extended if extended is not None else ins.offset] = (ins.opname, ins.arg or 0, ins.argval, hint)
            extended = None
            if ins.opname != "CACHE":
                previous = ins
    _plans[code] = found
    return found


def text(value: Any) -> str:
    """A value as a trace shows it, computed without running model code."""
    if isinstance(value, _SCALARS):
        shown = repr(value)
        return shown if len(shown) <= 60 else shown[:57] + "..."
    if isinstance(value, (list, tuple, set, frozenset)) and len(value) <= 8 and all(
            isinstance(x, _SCALARS) for x in value):
        return repr(value)
    if isinstance(value, dict) and len(value) <= 8 and all(
            isinstance(k, _SCALARS) and isinstance(v, _SCALARS) for k, v in value.items()):
        return repr(value)
    return f"<{type(value).__name__}>"


class Tracer:
    """See the module docstring.  ``stored`` are the global names some code
    of the model file (``path``) assigns (``global x; x = ...``): only those
    are locations there (in other modules, every variable that is not a
    class, function or module); ``module_label`` names the model's globals
    in traces.  Only accesses to shared objects (``sharing``) count.
    ``semantics`` is "gil" or "free-threading" (``free_threading``)."""

    def __init__(self, stored: frozenset[str], module_label: str, path: str, semantics: str = "gil"):
        self.stored = stored
        self.module_label = module_label
        self.path = path
        self.free_threading = semantics == "free-threading"  # see free_threading

    def __call__(self, frame: FrameType, event: str, arg: Any) -> Any:
        if event != "call":
            return None
        code = frame.f_code
        instructions = plan(code)
        if instructions is None or not _called_by_model(frame):
            return None
        if code.co_filename in _REAL_FILES or code.co_filename.startswith(_REAL_DIRS):
            self._refuse(frame.f_back or frame, f"the real {os.path.basename(code.co_filename)[:-3]} module "
                         f"runs inside a scenario ({code.co_name}); only the model file's own imports of "
                         "threading and time are redirected to the checker")
            return None
        if not instructions:
            return None
        frame.f_trace_lines = False
        frame.f_trace_opcodes = True
        return self._local

    def _local(self, frame: FrameType, event: str, arg: Any) -> Any:
        if event == "opcode":
            spec = _plans[frame.f_code].get(frame.f_lasti)  # type: ignore[union-attr]
            if spec is not None:
                self._visit(frame, spec)
        return self._local

    def _refuse(self, frame: FrameType, message: str, hint: str | None = None) -> None:
        where = f"{frame.f_code.co_filename}:{frame.f_lineno}"
        if frame.f_code is call_model.__code__:  # a thread's target called by the checker: no line of the model's
            where = "the target of a thread (Thread(target=...))"
        refusals.setdefault(_thread.get_ident(), ModelError(
            message, where=where,
            hint=hint or "keep the code under test in the model file; see docs/unmodified.md for what is supported"))
        raise context.ThreadAbandoned()

    def _visit(self, frame: FrameType, spec: tuple[str, int, Any, str | None]) -> None:
        if _thread.get_ident() in context.unwinding:
            return
        try:
            found, point, loaded, handed = self._locations(frame, spec)
        except Refused as refused:
            self._refuse(frame, f"{refused} is not supported in unmodified models", refused.hint)
            return
        except RecursionError:
            self._refuse(frame, "recursion this deep is more than the tracer can follow")
            return
        sharing = context.hooks().sharing  # type: ignore[attr-defined]
        if loaded is not _UNSET:
            sharing.publish(loaded)  # every thread can load it
        found = [loc for loc in found if sharing.is_shared(loc[0])]
        if any(loc[1] == "__dict__" for loc in found):
            self._refuse(frame, f"{type(found[0][0]).__name__}.__dict__ of an object other threads can reach "
                         "gives access to attributes no footprint would show: not supported in unmodified models")
            return
        if not found and not point:
            return
        park = context.hooks().parking(None)
        if park is not None:
            park(None, frame)
        self._note(frame, found, spec[3], handed)
        if self.free_threading:
            callee = _callee(frame, spec[0], spec[1]) if spec[0] == "PRECALL" else None
            free_threading.split(frame, spec[0], spec[1], callee,
                                 lambda locations: self._note(frame, [(o, f, k, _UNSET) for o, f, k in locations],
                                                              spec[3], ()),
                                 sharing.is_shared)

    def _note(self, frame: FrameType, found: list, hint: str | None, handed: tuple) -> None:
        """Record ``found`` [(object, field, kind, value written or _UNSET)]
        as accesses of the current step, at the frame's line; a value
        written into a shared object is shared from now on."""
        h = context.hooks()
        sharing = h.sharing  # type: ignore[attr-defined]
        line = frame.f_lineno
        for obj, fieldname, kind, stored in found:
            exact = type(obj).__name__ == "cell"
            label = _scope(frame, fieldname) if exact else self._label(obj, hint, fieldname, frame)
            index, label = h.identify(obj, label, exact)  # type: ignore[call-arg]
            coarse = fieldname == effects.ITEMS and not effects.is_container(obj)  # (obj, "[]") of an instance
            value = "" if coarse else self._value(obj, fieldname, kind, stored)
            h.record(index, label, fieldname, kind, value, line, coarse)  # coarse: kept out of the report
            if kind == WRITE:
                for value in handed:
                    if value is not _UNSET:
                        sharing.publish(value)  # stored into something shared: now shared too

    def _locations(self, frame: FrameType, spec: tuple[str, int, Any, str | None]) -> tuple[list, bool, Any, tuple]:
        """[(object, field, kind, value written or _UNSET)] the instruction
        touches (shared or not); whether it is a scheduling point even when
        none of them is shared; a value it loads from a module or a class
        (shared from now on, or _UNSET); the values it hands to the objects
        it writes (shared if one of those is)."""
        opname, arg, name, _ = spec
        item = stack.item
        if opname in ("LOAD_ATTR", "LOAD_METHOD", "STORE_ATTR", "DELETE_ATTR"):
            obj = item(frame, 0)
            kind = READ if opname in ("LOAD_ATTR", "LOAD_METHOD") else WRITE
            value = item(frame, 1) if opname == "STORE_ATTR" else _UNSET
            if isinstance(obj, type(os)):
                if kind == WRITE and not (obj.__dict__ is frame.f_globals and name in self.stored):
                    raise Refused(f"assigning the module attribute {obj.__name__}.{name}")
                loaded = obj.__dict__.get(name, _UNSET) if kind == READ else _UNSET
                if obj.__dict__ is frame.f_globals and name in self.stored:
                    return [(obj.__dict__, name, kind, value)], False, loaded, (value,)
                return [], False, loaded, ()
            locations = effects.attribute(obj, name, kind)
            loaded = _UNSET
            if kind == READ:
                holder = effects.class_attribute(obj if isinstance(obj, type) else type(obj), name)
                if holder is not None:
                    loaded = holder[1]  # a class's attribute: every thread can load it
            return [(o, f, k, value) for o, f, k in locations], False, loaded, (value,)
        if opname in ("LOAD_GLOBAL", "STORE_GLOBAL", "DELETE_GLOBAL"):
            if opname == "LOAD_GLOBAL":
                loaded = frame.f_globals.get(name, _UNSET)
                if loaded is _UNSET:
                    loaded = frame.f_builtins.get(name, _UNSET)
                    return [], False, loaded, ()  # a builtin (a module variable of that name would be found first)
                if name in self.stored or (frame.f_code.co_filename != self.path
                                           and not isinstance(loaded, _DEFINITIONS)):
                    # the model's variables assigned with `global`; in another module (whose code was not
                    # scanned) any variable that is not a definition
                    return [(frame.f_globals, name, READ, _UNSET)], False, loaded, ()
                return [], False, loaded, ()
            value = item(frame, 0) if opname == "STORE_GLOBAL" else _UNSET
            return [(frame.f_globals, name, WRITE, value)], False, _UNSET, (value,)
        if opname in ("LOAD_DEREF", "LOAD_CLASSDEREF", "STORE_DEREF", "DELETE_DEREF"):
            cell = stack.local(frame, arg)
            if cell is stack.NULL:
                return [], False, _UNSET, ()
            kind = WRITE if opname in ("STORE_DEREF", "DELETE_DEREF") else READ
            value = item(frame, 0) if opname == "STORE_DEREF" else _UNSET
            return [(cell, name, kind, value)], False, _UNSET, (value,)
        if opname == "PRECALL" or opname == "CALL_FUNCTION_EX":
            fn, args = _callee(frame, opname, arg)
            real = _REAL_BLOCKING.get(id(fn))
            if real is not None:
                raise Refused(f"the real {real}")
            outside = effects.uncontrolled(fn)
            if outside is not None:
                raise Refused(f"{outside}, which the checker cannot schedule,",
                              hint="replace it with a fake inside the scenario (a queue.Queue or an Event standing "
                              "for the peer, a function returning what the process would print)")
            found, point = effects.call(fn, args)
            if opname == "CALL_FUNCTION_EX":  # f(*lst, **d) reads lst and d
                found = found + [loc for x in _starred(frame, arg) for loc in effects.operand(x, READ)]
            return [(o, f, k, _UNSET) for o, f, k in found], point, _UNSET, tuple(args)
        if opname == "FOR_ITER":
            return [(o, f, k, _UNSET) for o, f, k in effects.iterated(item(frame, 0))], False, _UNSET, ()
        operands = _operands(frame, opname, arg)
        handed = (item(frame, 2), item(frame, 0)) if opname == "STORE_SUBSCR" else tuple(x for x, _ in operands)
        return [(o, f, kind, _UNSET) for x, k in operands for o, f, kind in _touched(opname, x, k)], False, _UNSET, handed

    def _label(self, obj: Any, hint: str | None, fieldname: str, frame: FrameType) -> str:
        """The name the object is first seen by: a variable (``counter.value``),
        for ``self`` in ``__init__`` the name the new object is assigned to
        (``counter = Counter()``), else its class's name in lower case."""
        if isinstance(obj, dict) and fieldname != effects.ITEMS:
            return self.module_label  # a module's globals
        if hint and hint != "self" and hint != fieldname:
            return hint
        fallback = type(obj).__name__.lower()
        if hint == "self" and frame.f_code.co_name == "__init__" and frame.f_back is not None:
            return context.assigned_name(frame.f_back, fallback)
        return fallback

    @staticmethod
    def _value(obj: Any, fieldname: str, kind: str, stored: Any) -> str:
        if kind == WRITE:
            return "" if stored is _UNSET else text(stored)
        if fieldname == effects.ITEMS:
            return text(obj)
        try:
            if type(obj).__name__ == "cell":
                return text(obj.cell_contents)
            data = obj if isinstance(obj, dict) else object.__getattribute__(obj, "__dict__")
            return text(data[fieldname]) if fieldname in data else ""
        except (AttributeError, ValueError, TypeError):
            return ""


_UNSET: Any = object()


def _scope(frame: FrameType, name: str) -> str:
    """The function the closure cell ``name`` of ``frame`` belongs to: the
    frame's own for its cells, the enclosing one (from the qualified name)
    for a free variable; both see the same label."""
    parts = frame.f_code.co_qualname.split(".<locals>.")
    if name in frame.f_code.co_freevars and len(parts) > 1:
        return parts[-2].rsplit(".", 1)[-1]
    return parts[-1].rsplit(".", 1)[-1]


def _callee(frame: FrameType, opname: str, arg: int) -> tuple[Any, list[Any]]:
    item = stack.item
    if opname == "CALL_FUNCTION_EX":
        kwargs = item(frame, 0) if arg & 1 else {}
        base = 1 if arg & 1 else 0
        fn, args = item(frame, base + 1), item(frame, base)
        return fn, list(args if isinstance(args, (tuple, list)) else ()) + list(
            kwargs.values() if isinstance(kwargs, dict) else ())
    method = item(frame, arg + 1)
    args = [item(frame, i) for i in range(arg - 1, -1, -1)]
    if method is stack.NULL:
        return item(frame, arg), args
    return method, [item(frame, arg)] + args


def _starred(frame: FrameType, arg: int) -> list[Any]:
    """The argument sequence (and mapping) of ``CALL_FUNCTION_EX``."""
    return [stack.item(frame, 0), stack.item(frame, 1)] if arg & 1 else [stack.item(frame, 0)]


def _touched(opname: str, x: Any, kind: str) -> list[tuple[Any, str, str]]:
    """The locations operand ``x`` of ``opname`` touches (``kind``: how the
    instruction uses a container).  Unpacking, extending (``lst += it``) or
    assigning a slice from an iterator advances it to the end; a truth test
    or ``GET_ITER`` does not."""
    if opname in ("UNPACK_SEQUENCE", "UNPACK_EX", "LIST_EXTEND", "SET_UPDATE", "BINARY_OP", "STORE_SUBSCR"):
        return effects.operand(x, kind)
    return [(o, f, kind) for o, f, _ in effects.contents(x, kind)]


def _operands(frame: FrameType, opname: str, arg: int) -> list[tuple[Any, str]]:
    item = stack.item
    if opname == "BINARY_SUBSCR":  # a missing key of a defaultdict (__missing__) inserts it
        container = item(frame, 1)
        return [(container, WRITE if hasattr(type(container), "__missing__") else READ)]
    if opname == "MATCH_KEYS":
        return [(item(frame, 1), READ)]
    if opname == "STORE_SUBSCR" and isinstance(item(frame, 0), slice):  # lst[i:j] = value iterates value
        return [(item(frame, 1), WRITE), (item(frame, 2), READ)]
    if opname in ("STORE_SUBSCR", "DELETE_SUBSCR"):
        return [(item(frame, 1), WRITE)]
    if opname == "COMPARE_OP":
        return [(item(frame, 0), READ), (item(frame, 1), READ)]
    if opname == "BINARY_OP":
        return [(item(frame, 1), WRITE if arg >= _INPLACE else READ), (item(frame, 0), READ)]
    if opname == "FORMAT_VALUE":
        return [(item(frame, 1 if arg & 4 else 0), READ)]
    return [(item(frame, 0), READ)]  # CONTAINS_OP, UNPACK_*, *_EXTEND/UPDATE/MERGE, jumps on truth, GET_LEN/ITER
