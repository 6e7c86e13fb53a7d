"""The ``time`` a model file of unmodified code imports: the virtual clock.

``sleep`` blocks on the virtual clock (the step-program ``sleep``), so it
never waits for real and the timing mode decides when it ends.  Every
clock read (``monotonic``, ``perf_counter``, ``time`` and their ``_ns``
forms) is a scheduling point and a recorded read of the clock, so it is
ordered against the steps that move the clock.  ``time()`` is a fixed
epoch plus the virtual time, so replays agree.  The rest of ``time``
(``strftime``, ``gmtime`` of a given value, constants) is the real module's;
functions that read the real clock or the process's CPU time are refused.
"""

from __future__ import annotations

import time as _real
from types import ModuleType
from typing import Any

from .. import context
from ..timing import sleep as _sleep_op
from .points import block, point
from .threading_module import unsupported

#: What ``time.time()`` returns at virtual time 0 (2026-01-01 00:00:00 UTC).
EPOCH = 1_767_225_600.0


def sleep(secs: float) -> None:
    block(_sleep_op, secs)


def monotonic() -> float:
    point()
    return context.hooks("time.monotonic()").read_clock()


def time() -> float:
    return EPOCH + monotonic()


def monotonic_ns() -> int:
    return int(monotonic() * 1e9)


def time_ns() -> int:
    return int(time() * 1e9)


_OWN = {"sleep": sleep, "monotonic": monotonic, "perf_counter": monotonic, "time": time,
        "monotonic_ns": monotonic_ns, "perf_counter_ns": monotonic_ns, "time_ns": time_ns}
_REFUSED = {"process_time", "process_time_ns", "thread_time", "thread_time_ns", "clock_gettime",
            "clock_gettime_ns", "localtime", "ctime", "asctime", "gmtime"}


def module() -> ModuleType:
    """A fresh ``time`` module object."""
    m = ModuleType("time", "checker's virtual clock (unmodified models)")
    for name in dir(_real):
        if not name.startswith("__") and name not in _REFUSED:
            setattr(m, name, getattr(_real, name))
    m.__dict__.update(_OWN)

    def __getattr__(name: str) -> Any:
        if name in _REFUSED:
            raise unsupported("time", name)
        raise AttributeError(f"module 'time' has no attribute {name!r}")  # as the real one says

    m.__getattr__ = __getattr__  # type: ignore[attr-defined]
    return m
