"""The program layer: what users write (scenarios, threads, shared objects,
primitives).  It imports nothing from the layers below it in the design
(runtime, explore, check, present)."""

from .choice import choose
from .event import Event
from .lock import Lock
from .operation import Operation
from .scenario import Scenario, final, invariant, scenario
from .shared import Shared
from .thread import Thread, current_thread, currentThread
from .timing import sleep

__all__ = [
    "Event", "Lock", "Operation", "Scenario", "Shared", "Thread", "choose", "current_thread",
    "currentThread", "final", "invariant", "scenario", "sleep",
]
