"""The explore layer: strategies that choose schedules.  They decide which
executions to run and never touch model state."""

from .dfs import DepthFirst
from .dpor import OptimalDPOR
from .replay import Replay, run_schedule
from .strategy import Limits, Space, Stats, Strategy

STRATEGIES = {"dpor": OptimalDPOR, "dfs": DepthFirst}

__all__ = ["STRATEGIES", "DepthFirst", "Limits", "OptimalDPOR", "Replay", "Space", "Stats", "Strategy", "run_schedule"]
