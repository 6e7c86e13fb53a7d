"""The explore layer: strategies that choose schedules.  They decide which
executions to run and never touch model state."""

from .dfs import DepthFirst
from .replay import Replay, run_schedule
from .strategy import Limits, Space, Stats, Strategy

STRATEGIES = {"dfs": DepthFirst}

__all__ = ["STRATEGIES", "DepthFirst", "Limits", "Replay", "Space", "Stats", "Strategy", "run_schedule"]
