"""Scheduling points of unmodified code, as the counterparts ask for them.

``block(make, *args)`` is a blocking call: the model thread waits until the
execution performs the operation ``make(*args)`` and gets its result.  ``point()`` comes before a
call that touches a primitive's state without blocking (``release``,
``set``, ``notify``, a clock read): other threads may run first, exactly
as before a visible access the tracer finds.  Both park through
``Hooks.parking`` (no frame of a parked thread holds the execution).  While a model thread unwinds after its execution ended
(``context.ThreadAbandoned``) neither touches the execution: ``block``
raises again and ``point`` returns False, telling the caller to skip its
effect.
"""

from __future__ import annotations

import _thread
from collections.abc import Callable
from typing import Any

from .. import context
from ..operation import Operation


def block(make: Callable[..., Operation], *args: Any) -> Any:
    """``make(*args)`` is the operation (made only when the thread really
    blocks: an unwinding thread must not issue operations)."""
    if _thread.get_ident() in context.unwinding:
        raise context.ThreadAbandoned()
    op = make(*args)
    return context.hooks().parking(op)(op, context.model_frame())


def point() -> bool:
    if _thread.get_ident() in context.unwinding:
        return False
    park = context.hooks().parking(None)
    if park is not None:
        park(None, context.model_frame())
    return True
