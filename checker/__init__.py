"""checker: a deterministic thread-interleaving model checker for Python.

Write concurrent scenarios as step programs with the vocabulary of
``threading``; ``check`` explores their interleavings and returns a
``Result`` with a verdict and, for a failure, a replayable counterexample.
Layers (imports go one way): program -> runtime -> explore -> check -> present.
"""

from .check import Result, check
from .errors import ModelError, NondeterminismError, UsageError
from .program import (
    Event, Lock, Shared, Thread, choose, current_thread, currentThread, final, invariant, scenario, sleep,
)
from .present.assertions import assert_expected, assert_fails, assert_safe
from .program.model_file import load_model

__version__ = "0.1.0"

__all__ = [
    "Event", "Lock", "ModelError", "NondeterminismError", "Result", "Shared", "Thread", "UsageError",
    "assert_expected", "assert_fails", "assert_safe",
    "check", "choose", "current_thread", "currentThread", "final", "invariant", "load_model", "scenario", "sleep",
]
