"""The explore layer: strategies that choose schedules.  They decide which
executions to run and never touch model state."""

from .cached import CachedDepthFirst
from .dfs import DepthFirst
from .dpor import OptimalDPOR
from .replay import Replay, run_schedule
from .strategy import Limits, Space, Stats, Strategy

STRATEGIES = {"dpor": OptimalDPOR, "dfs": DepthFirst, "cached": CachedDepthFirst}

__all__ = ["STRATEGIES", "CachedDepthFirst", "DepthFirst", "Limits", "OptimalDPOR", "Replay", "Space", "Stats", "Strategy", "run_schedule"]
