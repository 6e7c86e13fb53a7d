"""Canonical state keys: when two executions have reached the same state.

A state is the virtual clock, every model object's state (shared objects'
data, primitives' internal state), each thread's position and local
variables, and the output printed so far.  References to model objects are
replaced by their creation index, never ``id()``, so keys are equal across
replays.  A suspended generator's position is ``gi_frame.f_lasti``; its data
is what the garbage collector sees it holding (``gc.get_referents``): the
local variables *and* the evaluation stack, so a ``for`` loop's iterator
(keyed by its ``__reduce__`` position) is part of the state, not only
``f_locals``.  Nested generators (``yield from``) are followed.

``state_key`` returns None when some value cannot be canonicalised safely
(an arbitrary object whose repr might hide differences); callers must then
treat every state as new.  A key is hashable and compares equal exactly when
the two states behave identically for all futures (given a deterministic
model).
"""

from __future__ import annotations

import gc
import hashlib
import io
import pickle
from types import BuiltinFunctionType, CellType, CodeType, FrameType, FunctionType, GeneratorType, MethodType, ModuleType
from typing import Any
from collections.abc import Hashable

from ..program.shared import Shared, snapshot

_SCALARS = (int, float, complex, str, bytes, bool, type(None), range)


class Unkeyable(Exception):
    """A value that cannot be part of a state key."""


def canonical(value: Any, index_of: dict[int, int], depth: int = 0) -> Hashable:
    """A hashable stand-in for ``value``; model objects become ("obj", i)."""
    if depth > 20:
        raise Unkeyable("too deep")
    if isinstance(value, _SCALARS):
        return (type(value).__name__, value)
    i = index_of.get(id(value))
    if i is not None:
        return ("obj", i)
    if isinstance(value, (tuple, list)):
        return (type(value).__name__, tuple(canonical(v, index_of, depth + 1) for v in value))
    if isinstance(value, (set, frozenset)):
        items = [canonical(v, index_of, depth + 1) for v in value]
        return (type(value).__name__, tuple(sorted(items, key=repr)))
    if isinstance(value, dict):
        items = [(canonical(k, index_of, depth + 1), canonical(v, index_of, depth + 1)) for k, v in value.items()]
        return ("dict", tuple(items))
    if isinstance(value, GeneratorType):
        return generator_position(value, index_of, depth + 1)
    if isinstance(value, CellType):  # a local variable captured by a closure
        try:
            return ("cell", canonical(value.cell_contents, index_of, depth + 1))
        except ValueError:
            return ("cell", None)  # not bound yet
    if isinstance(value, FunctionType):
        cells = tuple(canonical(c.cell_contents, index_of, depth + 1) for c in value.__closure__ or ())
        return ("fn", value.__qualname__, id(value.__code__), cells)
    if isinstance(value, (type, ModuleType, CodeType, BuiltinFunctionType)):
        return ("const", getattr(value, "__qualname__", getattr(value, "__name__", "?")), id(value))
    if type(value).__name__.endswith("iterator") and type(value).__module__ == "builtins":
        reduced = value.__reduce__()
        return ("iter", type(value).__name__, canonical(reduced[1:], index_of, depth + 1))
    if isinstance(value, MethodType):
        return ("method", value.__func__.__qualname__, canonical(value.__self__, index_of, depth + 1))
    raise Unkeyable(type(value).__name__)


def generator_position(gen: GeneratorType, index_of: dict[int, int], depth: int = 0) -> Hashable:
    frame = gen.gi_frame
    if frame is None:
        return ("gen-done",)
    names = tuple(frame.f_locals)  # which locals are bound
    held = tuple(  # locals + evaluation stack; the frame object itself (made lazily) is not data
        canonical(v, index_of, depth + 1) for v in gc.get_referents(gen) if not isinstance(v, FrameType)
    )
    return ("gen", id(gen.gi_code), frame.f_lasti, names, held)


def state_key(
    now: Hashable,
    objects: list[object],
    object_states: list[Hashable],
    threads: list[tuple[int, bool, Any, Any]],
    output: str,
) -> Hashable | None:
    """Combine the parts of a state; ``threads`` holds (thread object index,
    finished, pending operation key, generator) per started thread, in
    start order."""
    index_of = {id(o): i for i, o in enumerate(objects)}
    try:
        parts = []
        for thread, finished, pending, gen in threads:
            # which thread object runs at this index: the start order decides indices and idents
            if finished:
                parts.append((thread, "done"))
            else:
                pos = generator_position(gen, index_of) if gen is not None else ("not-started",)
                parts.append((thread, canonical(pending, index_of), pos))
        return (now, tuple(object_states), tuple(parts), output)
    except Unkeyable:
        return None


def execution_key(now: Hashable, objects: list[object], threads: list[tuple[int, bool, Any, Any]], output: str) -> Hashable | None:
    """``state_key`` of an execution: each object's state is its snapshot
    (shared objects) or its ``_state()`` (primitives; None without one)."""
    states: list[Hashable] = []
    for o in objects:
        if isinstance(o, Shared):
            states.append(snapshot(o))
        else:
            get = getattr(o, "_state", None)
            states.append(get() if get is not None else None)
    return state_key(now, objects, states, threads, output)


def compact(key: Hashable) -> bytes:
    """A 16-byte digest of a state key, for visited sets (hash compaction,
    as in SPIN's ``-DHC``): BLAKE2b-128 of the key pickled without memo.

    Keys are trees of tuples and scalars (``canonical``); without the memo
    (``Pickler.fast``) pickling writes each node by value, so equal keys give
    equal bytes whatever objects they share, and different keys different
    bytes (pickling is invertible).  Equal digests thus mean equal keys up
    to a collision of the 128-bit hash: for a million states the chance of
    any collision is about 1.5e-27.  Where pickling tells apart keys that
    compare equal (``0.0`` and ``-0.0``, ``1`` and ``True``) the digests
    differ: such a state is explored twice, never wrongly skipped."""
    buf = io.BytesIO()
    pickler = pickle.Pickler(buf, 5)
    pickler.fast = True  # no memo: the bytes depend on the values only, never on object identity
    pickler.dump(key)
    return hashlib.blake2b(buf.getbuffer(), digest_size=16).digest()
