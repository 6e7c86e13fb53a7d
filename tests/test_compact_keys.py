"""Compact state keys (``runtime.state.compact``) used by state caching."""

from __future__ import annotations

import pytest

from checker import check, load_model
from checker.explore import CachedDepthFirst, Limits
from checker.check.checking import ScenarioSpace
from checker.runtime.state import compact


def test_digest_depends_on_values_not_on_sharing():
    s = "value"
    shared = ((("str", s), ("str", s)), 1.5)
    separate = ((("str", "".join(["val", "ue"])), ("str", "val" + "ue")), 1.5)
    assert shared == separate and compact(shared) == compact(separate)
    assert len(compact(shared)) == 16


def test_different_keys_differ():
    keys = [(("int", -1),), (("int", -2),), (("str", "1"),), (("int", 1),), ((),), ("gen", 3, 7), ("gen", 3, 8)]
    assert len({compact(k) for k in keys}) == len(keys)  # hash(-1) == hash(-2) in CPython: digests still differ


class _FullKeys(CachedDepthFirst):
    """State caching with the whole keys (the reference for the digests)."""

    def _expand(self, ex, stats):
        key = ex.state_key()
        if key is None:
            stats.unkeyable += 1
            return True
        if key in self.seen:
            return False
        self.seen.add(key)
        stats.states_visited = len(self.seen)
        return True


@pytest.mark.parametrize("path, name, params", [
    ("models/counter.py", "locked", {"times": 3}),
    ("models/counter.py", "unlocked", {"times": 2}),
    ("models/bounded_buffer.py", None, {}),
    ("models/dining_philosophers.py", None, {}),
])
def test_digests_visit_exactly_the_states_full_keys_visit(path, name, params):
    model = load_model(path)
    sc = model.scenario(name) if name else model.scenarios[0]
    stats = []
    for strategy in (CachedDepthFirst(), _FullKeys()):
        outcomes = set()

        def visit(ex, schedule, outcomes=outcomes):
            outcomes.add(ex.outcome())
            return True

        s = strategy.explore(ScenarioSpace(sc, sc.bind(params), sc.timing), visit, Limits())
        stats.append((s.states_visited, s.executions, s.pruned, frozenset(outcomes)))
    assert stats[0] == stats[1]
    assert check(sc, params=params, strategy="cached", all_outcomes=True).complete
