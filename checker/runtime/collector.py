"""Garbage-collector pacing for a search.

A search allocates many long-lived container objects (the trace, the
explorer's stack) and few cycles: CPython's default thresholds (a young
collection every 700 allocations) then spend about half the time of a long
execution re-scanning objects that are still alive (measured on the
counter with 20,000 increments per thread: 6.5 s with the defaults, 3.5 s
paced, 3.2 s with the collector off; ``benchmarks/long_loop.py`` and
docs/exploration.md).
``paced()`` raises the young-generation threshold for the duration of a
search and restores the previous thresholds after it; cycles are still
collected, only less often, so memory stays bounded.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: Thresholds during a search (young, middle, old), see ``gc.set_threshold``.
SEARCH_THRESHOLDS = (20_000, 10, 10)


@contextmanager
def paced() -> Iterator[None]:
    """Run the body with ``SEARCH_THRESHOLDS``; the caller's thresholds are
    restored afterwards (also when the body raises).  Nested uses keep the
    outermost caller's thresholds at the end."""
    previous = gc.get_threshold()
    gc.set_threshold(*SEARCH_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*previous)
