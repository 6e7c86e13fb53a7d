"""The revisit watch (runtime.revisit): a recurring state is a loop, a long
execution without one is not, and nothing is computed for short ones."""

import pytest

from checker.runtime.revisit import Revisits


def feed(watch, states, start_steps=1):
    """Observe ``states`` (state i after step start_steps + i); return the
    number of keys taken and the step at which a recurrence was found."""
    taken = []

    for i, state in enumerate(states):
        steps = start_steps + i

        def key(state=state):
            taken.append(state)
            return state

        if watch.observe(steps, key):
            return len(taken), steps
    return len(taken), None


def test_a_periodic_sequence_is_found_with_the_two_step_counts():
    # enters a cycle of period 7 at step 100
    states = [("pre", i) for i in range(100)] + [("cycle", i % 7) for i in range(10_000)]
    watch = Revisits(start=0, interval=3)
    taken, at = feed(watch, states)
    assert at is not None
    earlier, later = watch.found
    assert later == at and (later - earlier) % 7 == 0
    assert states[earlier - 1] == states[later - 1]


@pytest.mark.parametrize("period", [1, 2, 5, 64, 97, 1000])
def test_every_period_is_found_within_the_stated_bound(period):
    start, interval, entry = 1000, 64, 1500
    states = [("pre", i) for i in range(entry)] + [("cycle", i % period) for i in range(300_000)]
    watch = Revisits(start=start, interval=interval)
    _, at = feed(watch, states)
    assert at is not None and at <= 2 * entry + 3 * period * interval


def test_a_long_sequence_without_recurrence_is_never_reported_and_is_sampled_sparsely():
    watch = Revisits(start=1000, interval=64)
    taken, at = feed(watch, [("s", i) for i in range(100_000)])
    assert at is None and watch.found is None
    assert taken == (100_000 - 1000) // 64 + 1  # one key every 64 steps after the first 1,000


def test_no_key_is_taken_before_start():
    watch = Revisits(start=1000, interval=64)
    taken, at = feed(watch, [("same",)] * 999)
    assert taken == 0 and at is None


def test_a_state_without_a_key_ends_the_watch():
    watch = Revisits(start=0, interval=1)
    taken, at = feed(watch, [None, "a", "a", "a"])
    assert taken == 1 and at is None and watch.unkeyable


def test_equal_hashes_are_not_enough():
    class Colliding:
        def __init__(self, n):
            self.n = n

        def __hash__(self):
            return 0

        def __eq__(self, other):
            return self.n == other.n

    watch = Revisits(start=0, interval=1)
    _, at = feed(watch, [Colliding(i) for i in range(1000)])
    assert at is None


def test_bad_settings_are_refused():
    with pytest.raises(ValueError):
        Revisits(start=-1)
    with pytest.raises(ValueError):
        Revisits(interval=0)
