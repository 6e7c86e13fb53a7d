"""Checker functions that call the model's code, whose callees are traced.

The tracer follows only the model's code: a frame is traced when the
nearest caller that is the model's or the checker's is the model's, or
one of the checker functions marked here with ``entry`` (a thread's body,
a ``wait_for`` predicate, the free-threading model's stand-ins).
"""

from __future__ import annotations

from types import CodeType
from typing import Any

#: Checker functions that call the model's code (a thread's body, a
#: ``wait_for`` predicate): what they call is traced.  Whatever else the
#: checker calls (``inspect`` for ``@scenario``, ``linecache`` for labels)
#: runs untraced, inside the step, as the checker's own code does.
ENTRIES: set[CodeType] = set()


def entry(fn: Any) -> Any:
    """Mark ``fn`` (a checker function) as calling the model's code."""
    ENTRIES.add(fn.__code__)
    return fn


def _trampoline() -> Any:
    namespace: dict[str, Any] = {}
    source = "def call(fn, args, kwargs):\n    return fn(*args, **kwargs) if kwargs else fn(*args)\n"
    exec(compile(source, "<model call>", "exec"), namespace)
    return namespace["call"]


#: ``call_model(fn, args, kwargs)``: how an ``entry`` calls the model's
#: callable.  Its one call instruction is traced like the model's own, so
#: a builtin target (``Thread(target=items.append)``) is seen too.
call_model = _trampoline()
