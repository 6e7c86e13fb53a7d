"""Telling a loop from a long execution: state revisits along one execution.

An execution that recurs to a state it was in before can go round the same
cycle forever; one that is merely long (a bounded loop of 200,000
iterations) never does.  ``Revisits`` watches the states of one execution
and says when one recurred, cheaply and only when needed:

* nothing is computed for the first ``start`` steps (bounded models end
  well before; their cost is untouched);
* after that, the state key (``Execution.state_key``, 3-10 steps' worth
  of time) is taken every ``interval`` steps only (about 4% of the time of
  a long execution), and compared with a single remembered key
  by Brent's cycle-finding scheme (the remembered key is replaced after
  ``2, 4, 8, ...`` samples).  A sequence of states that is eventually
  periodic is still periodic when sampled at a fixed interval, with a
  period no longer than the original one, so a cycle of period P steps
  entered at step M is found within ``2 * M + 3 * P * interval`` steps
  (Brent: within twice the larger of the samples before the cycle and its
  period, plus one period; so P up to about 2,500 steps is found within
  the default ``max_steps`` of a million).

A recurrence is reported only for two keys that compare equal (no hash
compaction: no false positive).  A state without a key (``state_key``
None) ends the watch: such an execution can only be cut by the step
budget, and ``unkeyable`` says why nothing was found.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

#: Steps before the first state key is taken.
START = 1_000
#: Steps between two state keys.
INTERVAL = 128


class Revisits:
    """The revisit watch of one execution; ``observe`` after every step."""

    __slots__ = ("interval", "next_at", "kept", "kept_at", "power", "count", "found", "unkeyable")

    def __init__(self, start: int = START, interval: int = INTERVAL):
        if start < 0 or interval < 1:
            raise ValueError("start must be >= 0 and interval >= 1")
        self.interval = interval
        self.next_at = start  # the step count at which the next key is taken
        self.kept: Hashable | None = None  # Brent's remembered key ...
        self.kept_at = 0  # ... and the step count it was taken at
        self.power, self.count = 1, 0
        self.found: tuple[int, int] | None = None  # (earlier step count, later step count) of a recurrence
        self.unkeyable = False

    def observe(self, steps: int, key_of: Callable[[], Any]) -> bool:
        """Called with the number of steps run so far; ``key_of`` gives the
        current state's key (or None).  True when a state recurred (then
        ``found`` holds the two step counts)."""
        if steps < self.next_at or self.found is not None or self.unkeyable:
            return self.found is not None
        key = key_of()
        if key is None:
            self.unkeyable = True
            return False
        if self.kept is not None and key == self.kept:
            self.found = (self.kept_at, steps)
            return True
        self.count += 1
        if self.kept is None or self.count == self.power:
            self.kept, self.kept_at = key, steps
            self.power *= 2
            self.count = 0
        self.next_at = steps + self.interval
        return False
