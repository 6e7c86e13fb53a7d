"""What a search covered and why it stopped: the typed seam between the
strategies and everything that reports on them.

Every strategy ends with a ``StopReason`` (why its loop ended) and fills a
``Coverage`` (what its executions stand for).  The check layer decides the
verdict from these values alone -- "safe" needs a finished search whose scope
is every interleaving -- and the presentation layer prints them without
knowing any strategy's name.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class StopReason(enum.Enum):
    """Why a search ended."""

    FINISHED = "finished"  # the strategy ran everything it set out to run
    VIOLATION = "violation"  # the visitor asked to stop: a failure was found
    MAX_EXECUTIONS = "max_executions"  # the execution budget was spent
    MAX_TIME = "max_time"  # the time budget was spent
    LOOP = "loop"  # a state recurred in an execution (it loops) and the caller asked to stop there
    INTERRUPTED = "interrupted"  # Ctrl-C


class Scope(enum.Enum):
    """Which schedules a search sets out to cover."""

    ALL = "all"  # every interleaving, up to the strategy's equivalence (a proof when finished)
    BOUNDED = "bounded"  # every interleaving with at most ``Coverage.bound`` preemptions
    SAMPLED = "sampled"  # schedules drawn at random (``Coverage.method``, ``seed``)
    ONE = "one"  # one given schedule (replay)


class Unit(enum.Enum):
    """What ``Coverage.covered`` counts."""

    CLASS = "class"  # Mazurkiewicz traces: equivalent interleavings count once
    STATE = "state"  # distinct reachable states
    INTERLEAVING = "interleaving"  # schedules, each run once
    RUN = "run"  # sampled runs (some may repeat a schedule)


@dataclass(frozen=True)
class Coverage:
    """What the executions of one search stand for.

    ``finished``: the scope was covered entirely -- no limit stopped the
    search and no execution was cut by ``max_steps``; only a finished
    ``ALL`` scope proves a model safe.  ``covered`` counts ``unit``s.
    ``bound``: BOUNDED, the preemption bound whose every schedule ran.
    ``method``/``seed``/``depth``: SAMPLED, how schedules were drawn.
    ``miss_probability``: SAMPLED with a guarantee (PCT), an upper bound on
    the probability that a bug of depth ``depth`` was missed by every run.
    ``estimated_fraction``: ALL and not finished, the fraction of the search
    tree done by estimate (None when there is no estimate).
    """

    scope: Scope
    unit: Unit
    covered: int
    finished: bool
    bound: int | None = None
    method: str | None = None
    seed: int | None = None
    depth: int | None = None
    miss_probability: float | None = None
    estimated_fraction: float | None = None

    @property
    def proves_all(self) -> bool:
        """Every interleaving is covered: no violation then means safe."""
        return self.finished and self.scope is Scope.ALL

    def as_dict(self) -> dict:
        """Plain JSON-ready fields (enums as their values)."""
        return {
            "scope": self.scope.value, "unit": self.unit.value, "covered": self.covered, "finished": self.finished,
            "bound": self.bound, "method": self.method, "seed": self.seed, "depth": self.depth,
            "miss_probability": self.miss_probability, "estimated_fraction": self.estimated_fraction,
        }
