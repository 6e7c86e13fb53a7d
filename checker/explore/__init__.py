"""The explore layer: strategies that choose schedules.  They decide which
executions to run and never touch model state."""

from .bounded import PreemptionBounded
from .cached import CachedDepthFirst
from .dfs import DepthFirst
from .dpor import OptimalDPOR
from .pct import PCT
from .pos import POS
from .replay import Replay, run_schedule
from .sampling import RandomWalk
from .strategy import DEFAULT_MAX_STEPS, Limits, Space, Stats, Strategy

STRATEGIES: dict[str, type[Strategy]] = {
    "dpor": OptimalDPOR,
    "dfs": DepthFirst,
    "cached": CachedDepthFirst,
    "bounded": PreemptionBounded,
    "random": RandomWalk,
    "pct": PCT,
    "pos": POS,
}

__all__ = ["DEFAULT_MAX_STEPS", "STRATEGIES", "CachedDepthFirst", "DepthFirst", "Limits", "OptimalDPOR", "PCT", "POS", "PreemptionBounded", "RandomWalk", "Replay", "Space", "Stats", "Strategy", "run_schedule"]
