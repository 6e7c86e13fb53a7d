"""The reductions (DPOR, state caching) reach exactly the outcomes brute
force reaches on scenarios using every primitive: the primitives' footprints
(waiter lists, phases) and state keys are complete enough for them."""

import pytest

from checker import check

from fidelity_scenarios import SCENARIOS


@pytest.mark.parametrize("strategy", ["dpor", "cached"])
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_reduction_matches_brute_force(name, strategy):
    sc = SCENARIOS[name]
    brute = check(sc, timing="ideal", strategy="dfs", all_outcomes=True)
    reduced = check(sc, timing="ideal", strategy=strategy, all_outcomes=True)
    assert brute.complete and reduced.complete
    assert reduced.outcome_set() == brute.outcome_set()
    assert reduced.executions <= brute.executions
