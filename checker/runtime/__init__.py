"""The runtime layer: one execution under a given schedule (transitions,
primitive semantics via the program layer, virtual clock, output capture),
emitting a plain-data trace."""

from .execution import Execution
from .schedule import TICK, Choice, decode, encode
from .trace import Failure, Outcome, Trace, TraceEvent

__all__ = ["TICK", "Choice", "Execution", "Failure", "Outcome", "Trace", "TraceEvent", "decode", "encode"]
