"""The replay fast path (``Execution.replay_step``) and incremental DPOR.

Replayed steps reuse the recorded ``TraceEvent`` after a cheap key
comparison; these tests check that a model doing anything different on
replay (a value, a printed line, the line it stops at) is still reported
by every stateless strategy, and that reused records are exactly what a
fresh run of the same schedule records.
"""

from __future__ import annotations

import itertools
import random
import textwrap

import pytest

from checker import NondeterminismError, check, load_model
from checker.explore import run_schedule
from checker.check.checking import ScenarioSpace

DRIFT = """
    import random
    from checker import Shared, Thread, scenario

    def body(box):
        yield
        {action}
        yield
        box.n += 1  # a race after the action: DPOR replays it too

    @scenario
    def drift():
        box = Shared(v=0, n=0)
        Thread(target=body, args=(box,), name="a").start()
        Thread(target=body, args=(box,), name="b").start()
"""

ACTIONS = {
    "value": "box.v = random.random()",
    "output": "print(random.random())",
    "line": "if random.random() < 0.5:\n        yield",
}


@pytest.mark.parametrize("strategy", ["dfs", "dpor", "cached"])
@pytest.mark.parametrize("what", sorted(ACTIONS))
def test_replayed_step_that_differs_is_reported(tmp_path, strategy, what):
    random.seed(5)
    path = tmp_path / f"drift_{what}_{strategy}.py"
    path.write_text(textwrap.dedent(DRIFT).replace("{action}", ACTIONS[what]))
    sc = load_model(path).scenario("drift")
    with pytest.raises(NondeterminismError, match="is not deterministic"):
        for _ in range(10):  # random may agree with itself for a while
            check(sc, strategy=strategy, all_outcomes=True)


def test_reused_records_equal_a_fresh_run(tmp_path):
    """Every trace a search reports (prefix records reused from earlier
    runs) equals the trace of running its schedule from scratch."""
    model = load_model("models/counter.py")
    for strategy, name in itertools.product(["dfs", "dpor"], ["locked", "unlocked"]):
        sc = model.scenario(name)
        space = ScenarioSpace(sc, {"times": 2}, "ideal")
        seen = []

        def visit(ex, schedule, seen=seen):
            seen.append((schedule, list(ex.trace.events)))
            return True

        from checker.explore import STRATEGIES, Limits

        STRATEGIES[strategy]().explore(space, visit, Limits())
        assert seen
        for schedule, events in seen:
            fresh = run_schedule(space, schedule).trace.events
            assert events == fresh
            assert [e.signature() for e in events] == [e.signature() for e in fresh]
