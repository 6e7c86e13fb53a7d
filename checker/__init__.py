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
    Queue, RLock, Semaphore, Shared, SharedDict, Thread, Timer, assume, choose, current_thread, currentThread, final,
    invariant, linearizability, local, operation, scenario, sleep,
)
from .check.result import VIEWS as _VIEWS
from .program.model_file import load_model

__version__ = "0.1.0"

# The presentation layer is loaded only when used: ``import checker.program``
# or ``python -m checker --help`` never imports it, nor networkx/graphviz.
_LAZY = {"assert_expected": "assertions", "assert_fails": "assertions", "assert_safe": "assertions"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".present.{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


def _lazy_view(name: str):
    """A hook of ``checker.check.result.VIEWS`` that imports the graph stack
    on first call (the check layer never imports the present layer)."""

    def view(*args, **kwargs):
        from .present import graphs

        return getattr(graphs, name)(*args, **kwargs)

    view.__name__ = name
    return view


for _name in ("trace_graph", "trace_digraph", "save_trace_graph", "result_html"):
    setattr(_VIEWS, _name, _lazy_view(_name))

__all__ = [
    "Barrier", "BoundedSemaphore", "BrokenBarrierError", "Condition", "Empty", "Event", "Full", "LifoQueue", "Lock",
    "ModelError", "NondeterminismError", "PriorityQueue", "Queue", "RLock", "Result", "Semaphore", "Shared",
    "SharedDict", "Thread", "Timer", "UsageError", "local",
    "assert_expected", "assert_fails", "assert_safe", "assume",
    "check", "choose", "current_thread", "currentThread", "final", "invariant", "linearizability", "load_model",
    "operation", "scenario", "sleep",
]
