"""The check layer: properties judged over an exploration, verdicts,
statistics and the Result."""

from .checking import ScenarioSpace, check
from .result import INCOMPLETE, SAFE, VIOLATION, Counterexample, OutcomeStat, Result

__all__ = ["INCOMPLETE", "SAFE", "VIOLATION", "Counterexample", "OutcomeStat", "Result", "ScenarioSpace", "check"]
