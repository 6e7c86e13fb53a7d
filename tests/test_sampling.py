"""The sampling strategies: random (the baseline), PCT and POS.

Pinned here, for fixed seeds: the first schedules drawn (run ``i`` draws
from ``random.Random("seed:i")``, so a range of runs can be drawn on its
own), the runs each one needs to find the
tutorial's lost update, that a seed reproduces the whole search (outcome
tally and counterexample), that every counterexample replays, the coverage
each reports (PCT's miss probability as an exact value on a model whose
run length and thread count are known), that sampling never proves a model
safe, and that budgets stop them with the right reason.  The mechanisms are
checked on their own: PCT with depth ``d`` preempts at most ``d - 1`` times
on a model that never blocks, and POS re-draws exactly the priorities its
race prediction names.
"""

from __future__ import annotations

import random
from pathlib import Path
from types import SimpleNamespace

import pytest

from checker import Shared, Thread, check, choose, load_model, scenario
from checker.check.checking import ScenarioSpace
from checker.explore import PCT, POS, STRATEGIES, RandomWalk
from checker.explore.coverage import Scope, StopReason, Unit
from checker.explore.pos import _RacePriorities
from checker.explore.strategy import Limits
from checker.program.footprint import READ, WRITE, Access
from checker.runtime.schedule import TICK, encode

ROOT = Path(__file__).resolve().parent.parent
COUNTER = load_model(ROOT / "models" / "counter.py")
UNLOCKED, LOCKED = COUNTER.scenario("unlocked"), COUNTER.scenario("locked")
BUGS = ROOT / "benchmarks" / "models" / "bugs"

SAMPLERS = {
    "random": lambda runs, seed: RandomWalk(runs=runs, seed=seed),
    "pct2": lambda runs, seed: PCT(runs=runs, seed=seed, depth=2),
    "pct3": lambda runs, seed: PCT(runs=runs, seed=seed, depth=3),
    "pos": lambda runs, seed: POS(runs=runs, seed=seed),
}


def tally(result):
    return sorted((o.outcome.failure or "", str(o.outcome.state), o.count, o.witness) for o in result.outcomes)


def test_registered_with_their_options():
    assert STRATEGIES["pct"] is PCT and STRATEGIES["pos"] is POS
    assert [o.name for o in PCT.options] == ["runs", "seed", "depth"]
    assert [o.name for o in POS.options] == ["runs", "seed"]
    assert PCT().describe() == "pct (runs=1000, seed=0, depth=3)"
    assert POS(runs=5, seed=2).describe() == "pos (runs=5, seed=2)"
    for bad in (0, -1, True, 2.0):
        with pytest.raises(ValueError, match="depth"):
            PCT(depth=bad)
    with pytest.raises(ValueError, match="runs"):
        POS(runs=0)


@pytest.mark.parametrize("name, runs", [("random", 1), ("pct2", 10), ("pct3", 10), ("pos", 1)])
def test_finds_the_lost_update_in_pinned_runs(name, runs):
    r = check(UNLOCKED, params={"times": 2}, strategy=SAMPLERS[name](1000, 17))
    assert r.verdict == "violation" and r.failure.kind == "assertion"
    assert r.executions == runs and r.stop is StopReason.VIOLATION


def test_pct_depth_1_cannot_lose_an_update():
    # Without a change point a thread runs until it blocks or ends: the
    # lost update needs a preemption (depth 2), so no run has it.
    r = check(UNLOCKED, params={"times": 2}, strategy=PCT(runs=200, seed=17, depth=1), all_outcomes=True)
    assert r.verdict == "incomplete" and r.executions == 200
    assert [o.outcome.failure for o in r.outcomes] == [None]


@pytest.mark.parametrize("name", list(SAMPLERS))
def test_a_seed_reproduces_the_search(name):
    def search(seed):
        return check(UNLOCKED, params={"times": 2}, strategy=SAMPLERS[name](300, seed), all_outcomes=True)

    first, again, other = search(5), search(5), search(6)
    assert tally(first) == tally(again)
    assert first.counterexample.schedule == again.counterexample.schedule
    assert tally(first) != tally(other)
    assert first.executions == 300


def test_each_run_draws_from_its_own_seed():
    # run i's generator is random.Random("seed:i"): the first runs of seed 17, pinned
    space = ScenarioSpace(UNLOCKED, UNLOCKED.bind({"times": 2}), "ideal")
    pinned = {
        "random": ["v1:0,1,2,1x2,2,0,2,0", "v1:0,1,2x2,1,2,1,0x2", "v1:0,2x3,1x3,0x2"],
        "pct2": ["v1:0,2x3,1x3,0x2", "v1:0,1x3,2x3,0x2", "v1:0,2x3,1x3,0x2"],
        "pos": ["v1:0,2x2,1,2,1x2,0x2", "v1:0,2,1x2,2x2,1,0x2", "v1:0,2,1,2x2,1x2,0x2"],
    }
    for name, codes in pinned.items():
        seen: list = []
        SAMPLERS[name](3, 17).explore(space, lambda ex, schedule, seen=seen: seen.append(encode(list(schedule))),
                                      Limits())
        assert seen == codes, name
    assert RandomWalk(seed=17).run_random(4).random() == random.Random("17:4").random()


@pytest.mark.parametrize("name", list(SAMPLERS))
def test_a_range_of_runs_is_drawn_alone(name):
    # runs 12..39 of a search, computed on their own from what runs 0..11 left (PCT: the longest run,
    # ``carried``), are the search's runs 12..39, and the tallies add up (``absorb``)
    sc = COUNTER.scenario("unlocked")
    space = ScenarioSpace(sc, sc.bind({"times": 3}), "ideal")
    whole, head, tail = [], [], []
    everything = SAMPLERS[name](40, 3)
    everything.explore(space, lambda ex, schedule: whole.append(schedule), Limits())
    first = SAMPLERS[name](12, 3)
    first.explore(space, lambda ex, schedule: head.append(schedule), Limits())
    rest = SAMPLERS[name](40, 3)
    rest.resume(first.carried())
    rest.sample(space, rest.start(lambda ex, schedule: tail.append(schedule), Limits()), Limits(), range(12, 40))
    assert head + tail == whole and len(set(whole)) > 5
    first.absorb(rest.tallies())
    assert first.tallies() == everything.tallies()
    if name.startswith("pct"):
        assert first.carried() == everything.carried() == (first.longest,) and first.pct_runs == 39


@pytest.mark.parametrize("name", list(SAMPLERS))
def test_counterexamples_replay(name):
    for seed in (1, 2, 3):
        found = check(UNLOCKED, params={"times": 3}, strategy=SAMPLERS[name](1000, seed))
        replayed = check(UNLOCKED, params={"times": 3}, replay=found.counterexample.code)
        assert replayed.verdict == "violation"
        assert replayed.failure.summary() == found.failure.summary()
        assert replayed.counterexample.schedule == found.counterexample.schedule


@pytest.mark.parametrize("name, method, depth", [("random", "random", None), ("pct2", "pct", 2), ("pos", "pos", None)])
def test_a_safe_model_is_never_proven_safe(name, method, depth):
    r = check(LOCKED, params={"times": 1}, strategy=SAMPLERS[name](50, 4))
    assert r.verdict == "incomplete" and not r.complete and r.stop is StopReason.FINISHED
    c = r.coverage
    assert (c.scope, c.unit, c.covered, c.finished, c.method, c.seed, c.depth) == (
        Scope.SAMPLED, Unit.RUN, 50, True, method, 4, depth)
    assert not c.proves_all and c.bound is None
    if method != "pct":
        assert c.miss_probability is None


def test_pct_miss_probability_is_the_bound_for_the_runs():
    # The locked counter with times=1 takes 11 steps in every interleaving
    # (each thread: start, acquire, write and release, end; the body: start,
    # two joins) and has 3 threads, so n = 3 and k = 11 exactly.
    for depth, pct_runs in ((1, 50), (2, 49), (3, 49)):
        strategy = PCT(runs=50, seed=4, depth=depth)
        r = check(LOCKED, params={"times": 1}, strategy=strategy)
        assert strategy.bound_parameters() == (3, 11, pct_runs)
        assert r.coverage.miss_probability == (1 - 1 / (3 * 11 ** (depth - 1))) ** pct_runs
        assert r.coverage.depth == depth
    assert (1 - 1 / 33) ** 49 == pytest.approx(0.2214, abs=1e-4)


def test_pct_gives_no_bound_when_data_is_chosen():
    @scenario
    def picks():
        box = Shared(value=0)

        def pick():
            box.value = yield choose([1, 2])

        t = Thread(target=pick)
        t.start()
        yield t.join()

    r = check(picks, strategy=PCT(runs=20, seed=1, depth=2))
    assert r.verdict == "incomplete" and r.coverage.miss_probability is None


@pytest.mark.parametrize("depth", [1, 2, 3])
def test_pct_preempts_only_at_its_change_points(depth):
    # The unlocked counter never blocks a thread that could run, so every
    # preemption of a PCT run is one of its d - 1 change points.
    space = ScenarioSpace(UNLOCKED, UNLOCKED.bind({"times": 2}), "ideal")
    counts = []
    PCT(runs=300, seed=9, depth=depth).explore(
        space, lambda ex, schedule: counts.append(_preemptions(space, schedule)), Limits())
    assert len(counts) == 300 and max(counts) == depth - 1


def _preemptions(space, schedule):
    ex, count, previous = space.new(), 0, None
    for choice in schedule:
        enabled = ex.available()
        if previous not in (None, TICK) and choice[0] != previous[0] and any(c[0] == previous[0] for c in enabled):
            count += 1
        ex.step(choice)
        previous = choice
    return count


def test_pos_redraws_the_priorities_its_prediction_names():
    rng = random.Random(0)
    pos = _RacePriorities(rng)
    ex = SimpleNamespace(available=lambda: ((1, 0), (2, 0), (3, 0)))
    assert pos.pick(ex, ((1, 0), (2, 0), (3, 0))) in ((1, 0), (2, 0), (3, 0))

    def event(thread, *locations, kind=READ):
        accesses = tuple(Access(obj, "o", field, kind) for obj, field in locations)
        return SimpleNamespace(thread=thread, accesses=accesses)

    pos.ran(ex, event(2, (7, "y")))  # thread 2 last touched (7, y)
    pos.ran(ex, event(3, (8, "z")))  # thread 3 last touched (8, z)
    pos.pick(ex, ((1, 0), (2, 0), (3, 0)))
    before = dict(pos.priority)
    ex.available = lambda: ((1, 0), (2, 0), (3, 0), (4, 0))
    pos.priority[4] = 0.5  # thread 4 was known but blocked: not offered before this step
    pos.ran(ex, event(1, (7, "y"), kind=WRITE))
    assert pos.priority[1] != before[1]  # ran: its next step is a new event
    assert pos.priority[2] != before[2]  # its last step touched what thread 1 wrote
    assert pos.priority[3] == before[3]  # no common location: keeps its priority
    assert pos.priority[4] != 0.5  # enabled by the step: re-drawn


@pytest.mark.parametrize("name", list(SAMPLERS))
def test_budgets_stop_sampling_with_their_reason(name):
    r = check(LOCKED, params={"times": 1}, strategy=SAMPLERS[name](100, 1), max_executions=7)
    assert (r.verdict, r.stop, r.executions, r.coverage.covered, r.coverage.finished) == (
        "incomplete", StopReason.MAX_EXECUTIONS, 7, 7, False)
    r = check(LOCKED, params={"times": 1}, strategy=SAMPLERS[name](100, 1), max_time=1e-9)
    assert (r.verdict, r.stop, r.executions, r.coverage.finished) == ("incomplete", StopReason.MAX_TIME, 1, False)


@pytest.mark.parametrize("file, strategy, executions", [
    ("late_init.py", PCT(runs=50, seed=1, depth=1), 1),
    ("account.py", PCT(runs=50, seed=1, depth=1), 17),
    ("wronglock.py", PCT(runs=50, seed=1, depth=2), 18),
    ("bluetooth.py", PCT(runs=50, seed=1, depth=2), 12),
    ("reorder.py", POS(runs=200, seed=1), 5),
    ("twostage.py", POS(runs=200, seed=1), 96),
    ("peterson.py", POS(runs=1000, seed=1), 191),
])
def test_the_buggy_benchmark_models_fail_their_assertion(file, strategy, executions):
    # benchmarks/bugfinding.py measures these; pinned here so a change to a
    # model or a strategy shows.  Explored without check()'s minimisation.
    sc = load_model(BUGS / file).scenarios[0]
    found = []

    def visit(ex, schedule):
        if ex.failure is not None:
            found.append((ex.failure.kind, schedule))
            return StopReason.VIOLATION
        return None

    stats = strategy.explore(ScenarioSpace(sc, sc.bind({}), "ideal"), visit, Limits())
    assert stats.executions == executions and found[0][0] == "assertion"
    replayed = check(sc, replay=found[0][1])
    assert replayed.verdict == "violation" and replayed.failure.kind == "assertion"
