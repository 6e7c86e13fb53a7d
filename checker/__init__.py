"""checker: a deterministic thread-interleaving model checker for Python.

Write concurrent scenarios as step programs with the vocabulary of
``threading``; ``check`` explores their interleavings and returns a
``Result`` with a verdict and, for a failure, a replayable counterexample.
Layers (imports go one way): program -> runtime -> explore -> check -> present.
"""

from .check import Result, check
from .errors import ModelError, NondeterminismError, UsageError
from .program import (
    Barrier, BoundedSemaphore, BrokenBarrierError, Condition, Empty, Event, Full, LifoQueue, Lock, PriorityQueue,
    Queue, RLock, Semaphore, Shared, SharedDict, Thread, Timer, choose, current_thread, currentThread, final,
    invariant, local, scenario, sleep,
)
from .present import views as _views  # noqa: F401  (installs graph/notebook hooks on results)
from .present.assertions import assert_expected, assert_fails, assert_safe
from .program.model_file import load_model

__version__ = "0.1.0"

__all__ = [
    "Barrier", "BoundedSemaphore", "BrokenBarrierError", "Condition", "Empty", "Event", "Full", "LifoQueue", "Lock",
    "ModelError", "NondeterminismError", "PriorityQueue", "Queue", "RLock", "Result", "Semaphore", "Shared",
    "SharedDict", "Thread", "Timer", "UsageError", "local",
    "assert_expected", "assert_fails", "assert_safe",
    "check", "choose", "current_thread", "currentThread", "final", "invariant", "load_model", "scenario", "sleep",
]
