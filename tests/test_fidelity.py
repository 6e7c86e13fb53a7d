"""Fidelity: every outcome real CPython threads produce must be one the
checker predicts (DESIGN.md section 4).

Each scenario of ``fidelity_scenarios`` runs a few times on real threads
(``run_real``: the same model code, real ``threading``/``queue`` objects,
virtual seconds scaled to milliseconds, a random pause at every yield) and
is checked in any-delay timing with every outcome.  Kept short for CI;
``benchmarks/fidelity_sweep.py`` runs many more.  Error cases are also
compared directly against CPython in ``test_threading_primitives``.
"""

from collections import Counter

import pytest

from checker import load_model
from checker.check.fidelity import Fidelity, comparable, compare
from checker.runtime.real_threads import run_real
from checker.runtime.trace import Outcome

from fidelity_scenarios import SCENARIOS

RUNS = {"lock_deadlock": 3}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_real_outcomes_are_predicted(name):
    f = compare(SCENARIOS[name], runs=RUNS.get(name, 15), seed=0, hang_after=0.3)
    assert f.complete
    assert sum(f.observed.values()) == f.runs
    assert f.ok, f"real threads produced outcomes the checker did not predict: {f.unexpected}"


def test_models_folder_matches_real_threads():
    """Two of the shipped models, with a bug each: what real threads hit is predicted."""
    for path, name in (("models/check_then_act.py", "unlocked"), ("models/worker_pool.py", "task_done_too_early")):
        f = compare(load_model(path).scenario(name), runs=15, seed=0)
        assert f.ok, (path, name, f.unexpected)


def test_run_real_reports_failures_and_deadlocks_like_the_checker():
    real = run_real(SCENARIOS["lock_deadlock"], runs=2, timing_scale=0.02, hang_after=0.2, seed=0)
    assert {comparable(o).failure for o in real} == {"deadlock"}
    bad = load_model("models/lock_release.py").scenario("unlocked_release")
    assert {o.failure for o in run_real(bad, runs=2)} == {
        "uncaught RuntimeError in thread worker: release unlocked lock"
    }


def test_comparison_flags_unpredicted_outcomes():
    seen = Outcome((("x", (("v", "1"),)),), "")
    f = Fidelity("s", {}, "any-delay", 2, Counter({seen: 2}), set())
    assert not f.ok and f.unexpected == [seen]
    assert comparable(Outcome((("x", ()),), "out", "deadlock: no thread can run (...)")) == Outcome((), "", "deadlock")


def test_threads_a_real_run_leaves_behind_never_run_model_code_again():
    # the run ends at a's failure while b still has many steps to go: b must stop there, or it would
    # go on touching model objects while the process explores something else (whose hooks it would reach)
    import time

    from checker import Shared, Thread
    from checker.program import context
    from checker.program.shared import snapshot
    from checker.runtime.real_threads import run_real
    from conftest import as_scenario

    made = []

    def fails():
        raise AssertionError("early")
        yield

    def counts(box):
        for _ in range(2000):
            box.v += 1
            yield

    def body():
        box = Shared(v=0)
        made.append(box)
        Thread(target=counts, args=(box,), name="b").start()
        Thread(target=fails, name="a").start()
        yield

    class Watching:  # whatever hooks the process installs next: here, ones that note every call
        calls = 0

        def __getattr__(self, name):
            Watching.calls += 1
            raise AssertionError(f"a left-behind thread called {name}")

    run_real(as_scenario(body), runs=3, timing_scale=0.001, pause=0.001, seed=1)
    before = [snapshot(box) for box in made]
    previous = context.install(Watching())
    try:
        time.sleep(0.3)
    finally:
        context.install(previous)
    assert Watching.calls == 0
    assert [snapshot(box) for box in made] == before
    assert all(dict(s)["v"] != "2000" for s in before)
