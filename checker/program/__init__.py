"""The program layer: what users write (scenarios, threads, shared objects,
primitives).  It imports nothing from the layers below it in the design
(runtime, explore, check, present)."""

from .assume import assume
from .barrier import Barrier, BrokenBarrierError
from .choice import choose
from .condition import Condition
from .event import Event
from .linearizability import linearizability, operation
from .local import local
from .lock import Lock
from .operation import Operation
from .queues import Empty, Full, LifoQueue, PriorityQueue, Queue
from .rlock import RLock
from .scenario import Scenario, final, invariant, scenario
from .semaphore import BoundedSemaphore, Semaphore
from .shared import Shared
from .shared_dict import SharedDict
from .thread import Thread, current_thread, currentThread
from .timer import Timer
from .timing import sleep

__all__ = [
    "Barrier", "BoundedSemaphore", "BrokenBarrierError", "Condition", "Empty", "Event", "Full", "LifoQueue",
    "Lock", "Operation", "PriorityQueue", "Queue", "RLock", "Scenario", "Semaphore", "Shared", "SharedDict",
    "Thread", "Timer", "assume", "choose", "current_thread", "currentThread", "final", "invariant", "linearizability",
    "local", "operation", "scenario", "sleep",
]
