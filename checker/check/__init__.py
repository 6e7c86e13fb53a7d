"""The check layer: properties judged over an exploration, verdicts,
statistics and the Result."""

from .checking import INTERRUPTED, Interrupted, ScenarioSpace, check
from .result import INCOMPLETE, SAFE, VIOLATION, Counterexample, OutcomeStat, Result

__all__ = ["INCOMPLETE", "INTERRUPTED", "Interrupted", "SAFE", "VIOLATION", "Counterexample", "OutcomeStat", "Result", "ScenarioSpace", "check"]
