"""Reading a running frame's evaluation stack (CPython 3.11).

A settrace ``'opcode'`` event says where a frame is, not which object the
next instruction touches.  On 3.11 the interpreter stores the stack pointer
in the frame before it calls the trace function, so the objects the next
instruction will use can be read from the frame's ``localsplus`` array:
``item(frame, 0)`` is the top of the stack, ``item(frame, 1)`` the one
below it, and ``local(frame, i)`` is slot ``i`` (a cell for ``LOAD_DEREF
i``).  The layout is CPython-internal: ``supported()`` says whether this
interpreter has the layout this module knows, and ``self_test()`` checks
it on a known stack before the tracer relies on it.
"""

from __future__ import annotations

import ctypes
import sys
from _ctypes import PyObj_FromPtr as _object  # the object at an address (a borrowed reference, kept alive by the frame)
from types import FrameType
from typing import Any

_PTR = ctypes.sizeof(ctypes.c_void_p)
_F_FRAME = 3 * _PTR  # PyFrameObject: ob_refcnt, ob_type, f_back, then f_frame
_STACKTOP = 8 * _PTR  # _PyInterpreterFrame: 8 pointers, then int stacktop (offset from localsplus)
_LOCALSPLUS = 9 * _PTR  # ... bool is_entry, char owner, padding, then localsplus[]

#: What a NULL stack slot reads as (3.11 pushes NULL before a plain call).
NULL: Any = type("NULL", (), {"__repr__": lambda self: "NULL"})()


def supported() -> bool:
    return sys.implementation.name == "cpython" and sys.version_info[:2] == (3, 11)


_pointer = ctypes.c_void_p.from_address
_int = ctypes.c_int.from_address


def _slot(frame: FrameType, index: int) -> Any:
    iframe = _pointer(id(frame) + _F_FRAME).value
    address = _pointer(iframe + _LOCALSPLUS + index * _PTR).value  # type: ignore[operator]
    return NULL if address is None else _object(address)


def depth_of(frame: FrameType) -> int:
    """How many slots (locals, cells, then the stack) are in use."""
    return _int(_pointer(id(frame) + _F_FRAME).value + _STACKTOP).value  # type: ignore[operator]


def item(frame: FrameType, depth: int) -> Any:
    """The stack entry ``depth`` below the top (0 is the top), or ``NULL``.
    Valid only during an ``'opcode'`` event of ``frame``."""
    iframe = _pointer(id(frame) + _F_FRAME).value
    top = _int(iframe + _STACKTOP).value  # type: ignore[operator]
    address = _pointer(iframe + _LOCALSPLUS + (top - 1 - depth) * _PTR).value  # type: ignore[operator]
    return NULL if address is None else _object(address)


def replace(frame: FrameType, depth: int, value: Any) -> None:
    """Put ``value`` in the stack entry ``depth`` below the top, in place
    of what is there (reference counts kept right).  Valid only during an
    ``'opcode'`` event of ``frame``: the instruction about to run then
    uses ``value`` (the free-threading model's stand-ins, ``free_threading``)."""
    iframe = _pointer(id(frame) + _F_FRAME).value
    top = _int(iframe + _STACKTOP).value  # type: ignore[operator]
    slot = _pointer(iframe + _LOCALSPLUS + (top - 1 - depth) * _PTR)  # type: ignore[operator]
    old = slot.value
    _incref(ctypes.py_object(value))
    slot.value = id(value)
    if old is not None:
        _decref(ctypes.c_void_p(old))


_incref = ctypes.pythonapi.Py_IncRef
_decref = ctypes.pythonapi.Py_DecRef
_decref.argtypes = [ctypes.c_void_p]


def local(frame: FrameType, index: int) -> Any:
    """Slot ``index`` of the frame's locals-plus-cells (``NULL`` if unset)."""
    return _slot(frame, index)


class _Marker:
    value = 0


def self_test() -> bool:
    """Read the stack at ``STORE_ATTR`` of ``m.value = 7`` on a marker
    object, and replace the value there by 8: True when the owner and the
    value are where they should be and the replacement is what was stored."""
    if not supported():
        return False
    marker = _Marker()
    seen: list[tuple[Any, Any]] = []

    def probe(m: _Marker) -> None:
        m.value = 7

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        if event == "call":
            if frame.f_code is not probe.__code__:
                return None
            frame.f_trace_opcodes = True
            frame.f_trace_lines = False
        elif event == "opcode" and frame.f_code.co_code[frame.f_lasti] == _STORE_ATTR:
            seen.append((item(frame, 0), item(frame, 1)))
            replace(frame, 1, 8)
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        probe(marker)
    finally:
        sys.settrace(previous)
    return len(seen) == 1 and seen[0][0] is marker and seen[0][1] == 7 and marker.value == 8


import dis  # noqa: E402

_STORE_ATTR = dis.opmap["STORE_ATTR"]
