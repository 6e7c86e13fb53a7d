"""The explore layer: strategies that choose schedules.  They decide which
executions to run and never touch model state."""

from .cached import CachedDepthFirst
from .dfs import DepthFirst
from .dpor import OptimalDPOR
from .pct import PCT
from .pos import POS
from .replay import Replay, run_schedule
from .sampling import RandomWalk
from .strategy import Limits, Space, Stats, Strategy

STRATEGIES: dict[str, type[Strategy]] = {
    "dpor": OptimalDPOR,
    "dfs": DepthFirst,
    "cached": CachedDepthFirst,
    "random": RandomWalk,
    "pct": PCT,
    "pos": POS,
}

__all__ = ["STRATEGIES", "CachedDepthFirst", "DepthFirst", "Limits", "OptimalDPOR", "PCT", "POS", "RandomWalk", "Replay", "Space", "Stats", "Strategy", "run_schedule"]
