"""Parallel sampling (checker/explore/parallel_sampling.py, checker/check/jobs.py).

The claim pinned here: random, pct and pos split into ranges of runs draw
exactly the runs of one process, for any number of workers and any cut
into units, so the verdict, the execution count, the outcomes (counts and
witness schedules), the counterexample (the lowest failing run), the
coverage (PCT's miss probability and its n, k, N) and the transitions are
the sequential ones.  Compared: ``check(jobs=1)``, ``check(jobs=2)`` (a
process pool), the coordinator in this process on an executor that runs
each unit when it is submitted (units of 1-7 runs, 1-3 in flight: later
ranges are handed out before an earlier result is collected, so PCT's
expected ``k`` is sometimes wrong and the range runs again), and a Dask
``LocalCluster``; budgets, a worker killed in the middle of a unit, the
command line and its replay line, bad input.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from checker import check, load_model
from checker.check.checking import Interrupted, ScenarioSpace
from checker.errors import ModelError, UsageError
from checker.explore import PCT, POS, RandomWalk
from checker.explore.coverage import StopReason
from checker.explore.parallel_sampling import ParallelSampler
from checker.explore.strategy import Limits
from checker.explore.units import Task
from checker.present.cli import main

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
COUNTER = MODELS / "counter.py"
SMOKERS = MODELS / "cigarette_smokers.py"
sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_parallel import KILLER, AtOnce, killer  # noqa: E402, F401  (killer: a fixture)

SAMPLERS = {
    "random": lambda runs=200, seed=17: RandomWalk(runs=runs, seed=seed),
    "pct": lambda runs=200, seed=17: PCT(runs=runs, seed=seed, depth=2),
    "pos": lambda runs=200, seed=17: POS(runs=runs, seed=seed),
}


def _view(result):
    cex = result.counterexample
    return (result.verdict, result.executions, result.discarded, result.transitions, result.stop,
            result.coverage, [(o.outcome, o.count, o.witness) for o in result.outcomes],
            cex.schedule if cex else None, cex.failure.summary() if cex else None)


def _task(path, name, params, every, timing="ideal"):
    sc = load_model(path).scenario(name)
    return Task(str(path), name, sc.bind(params), timing, 1_000_000, 5.0, every, False)


def _sequential_runs(path, name, params, sampler, every, limits=None):
    """One process, by ``Sampler.explore``: (executions, stop, outcomes as
    (key, count, witness), the run of each outcome's first witness, the
    first failing run and its schedule, the sampler's tallies)."""
    sc = load_model(path).scenario(name)
    tally, runs, failure = {}, {}, []

    def visit(ex, schedule):
        run = len(seen)
        seen.append(schedule)
        outcome = ex.outcome()
        key = (outcome.state, outcome.output, outcome.failure)
        if key not in tally:
            tally[key], runs[key] = [0, schedule], run
        tally[key][0] += 1
        if ex.failure is not None:
            if not failure:
                failure.append((run, schedule))
            if not every:
                return StopReason.VIOLATION
        return None

    seen: list = []
    stats = sampler.explore(ScenarioSpace(sc, sc.bind(params), "ideal"), visit, limits or Limits())
    outcomes = [(key, count, witness) for key, (count, witness) in tally.items()]
    return (stats.executions, stats.stop, stats.transitions, outcomes, list(runs.values()),
            failure[0] if failure else (None, None), sampler.tallies())


def _parallel_runs(path, name, params, sampler, every, limits=None, **settings):
    driver = ParallelSampler(_task(path, name, params, every), sampler, AtOnce(), limits=limits or Limits(),
                             **settings)
    summary = driver.run()
    stats = summary.stats
    return (stats.executions, stats.stop, stats.transitions, summary.outcomes, driver.witness_runs(),
            (driver.failure_run, summary.failure), sampler.tallies()), summary.parallel


# -- one process, two processes ------------------------------------------------------------
# strategy, scenario, all outcomes: executions, (failed, count) of each outcome, verdict (200 runs, seed 17)
PINNED = [
    ("random", "unlocked", False, 1, [(True, 1)], "violation"),
    ("pct", "unlocked", False, 10, [(False, 9), (True, 1)], "violation"),
    ("pos", "unlocked", False, 1, [(True, 1)], "violation"),
    ("random", "unlocked", True, 200, [(False, 61), (True, 31), (True, 108)], "violation"),
    ("pct", "unlocked", True, 200, [(False, 156), (True, 44)], "violation"),
    ("pos", "unlocked", True, 200, [(False, 108), (True, 16), (True, 76)], "violation"),
    ("random", "locked", True, 200, [(False, 200)], "incomplete"),
    ("pct", "locked", True, 200, [(False, 200)], "incomplete"),
    ("pos", "locked", True, 200, [(False, 200)], "incomplete"),
]
MISS = {  # pct depth 2: (1 - 1/(n k))^N
    ("unlocked", False): 0.7120102640698532,  # n = 3, k = 9, N = 9
    ("unlocked", True): 0.0005474030067511844,  # n = 3, k = 9, N = 199
    ("locked", True): 0.01943416203408204,  # n = 3, k = 17, N = 199
}


@pytest.mark.parametrize("strategy, name, every, executions, counts, verdict", PINNED)
def test_jobs_2_draws_the_runs_of_one_process(strategy, name, every, executions, counts, verdict):
    sc = load_model(COUNTER).scenario(name)
    one_strategy, two_strategy = SAMPLERS[strategy](), SAMPLERS[strategy]()
    one = check(sc, params={"times": 2}, strategy=one_strategy, all_outcomes=every)
    two = check(sc, params={"times": 2}, strategy=two_strategy, all_outcomes=every, jobs=2)
    assert _view(two) == _view(one)
    assert (one.workers, two.workers) == (1, 2)
    assert (one.verdict, one.executions) == (verdict, executions)
    assert sorted((o.outcome.failure is not None, o.count) for o in one.outcomes) == counts
    if strategy == "pct":
        assert two_strategy.bound_parameters() == one_strategy.bound_parameters()
        assert two.coverage.miss_probability == one.coverage.miss_probability == MISS[name, every]
        n, k, runs = one_strategy.bound_parameters()
        assert MISS[name, every] == (1 - 1 / (n * k)) ** runs
    else:
        assert two.coverage.miss_probability is None


# -- the coordinator in this process: any cut into units -----------------------------------------
@pytest.mark.parametrize("strategy", list(SAMPLERS))
@pytest.mark.parametrize("path, name, params, every", [
    (COUNTER, "unlocked", {"times": 2}, True),
    (COUNTER, "unlocked", {"times": 3}, False),
    (SMOKERS, "pushers", {}, True),  # runs of 15 to 21 steps: PCT's k grows while it samples
    (SMOKERS, "naive", {}, True),  # a deadlock, runs of 7 to 13 steps
])
@pytest.mark.parametrize("per_unit, workers", [(1, 1), (2, 3), (7, 2)])
def test_any_cut_into_units_draws_the_same_runs(strategy, path, name, params, every, per_unit, workers):
    one = _sequential_runs(path, name, params, SAMPLERS[strategy](runs=60), every)
    two, parallel = _parallel_runs(path, name, params, SAMPLERS[strategy](runs=60), every, workers=workers,
                                   unit_runs=per_unit)
    assert two == one
    if one[1] is StopReason.FINISHED:  # else units handed out past the failure were dropped
        assert parallel.submitted == parallel.units + parallel.rerun
    if strategy != "pct":
        assert parallel.rerun == 0  # nothing carried from run to run: never wrong


def test_pct_runs_a_range_again_when_k_was_not_the_expected_one():
    # units of 2 runs, 3 handed out before any result is collected: a range started from the k known
    # then; when the runs before it turn out longer, it runs again from the right k
    one = _sequential_runs(SMOKERS, "pushers", {}, PCT(runs=60, seed=17, depth=3), True)
    two, parallel = _parallel_runs(SMOKERS, "pushers", {}, PCT(runs=60, seed=17, depth=3), True, workers=3,
                                   unit_runs=2)
    assert two == one
    assert (parallel.units, parallel.rerun, parallel.submitted) == (30, 2, 32)


def test_units_sized_by_time_draw_the_same_runs():
    # no fixed size: the first unit (one run) goes alone and times a run, then ranges of about
    # unit_seconds each, the rest shared out evenly near the end
    for unit_seconds in (1e-4, 0.05, 10.0):
        one = _sequential_runs(COUNTER, "locked", {"times": 2}, PCT(runs=300, seed=3, depth=2), True)
        two, parallel = _parallel_runs(COUNTER, "locked", {"times": 2}, PCT(runs=300, seed=3, depth=2), True,
                                       workers=2, unit_seconds=unit_seconds)
        assert two == one
        assert parallel.units >= 2


# -- budgets and the first failure ------------------------------------------------------------
@pytest.mark.parametrize("strategy", list(SAMPLERS))
def test_budgets_stop_where_one_process_does(strategy):
    for limit in (1, 5, 59, 60, 61):
        limits = Limits(max_executions=limit)
        one = _sequential_runs(COUNTER, "locked", {"times": 2}, SAMPLERS[strategy](runs=60), True, limits)
        two, _ = _parallel_runs(COUNTER, "locked", {"times": 2}, SAMPLERS[strategy](runs=60), True, limits,
                                workers=2, unit_runs=4)
        assert two == one
        assert one[:2] == ((limit, StopReason.MAX_EXECUTIONS) if limit < 60 else (60, StopReason.FINISHED))


def test_the_first_failure_stops_the_search_and_nothing_after_it_counts():
    # the lost update with times=3, pct depth 2, seed 17: runs 0-6 lose no update, run 7 does
    one = _sequential_runs(COUNTER, "unlocked", {"times": 3}, PCT(runs=100, seed=17, depth=2), False)
    assert (one[0], one[1], one[5][0]) == (8, StopReason.VIOLATION, 7)
    for per_unit, workers in ((1, 1), (2, 2), (3, 3), (10, 2)):
        two, _ = _parallel_runs(COUNTER, "unlocked", {"times": 3}, PCT(runs=100, seed=17, depth=2), False,
                                workers=workers, unit_runs=per_unit)
        assert two == one


def test_max_time_stops_between_units():
    sc = load_model(COUNTER).scenario("locked")
    r = check(sc, params={"times": 2}, strategy=PCT(runs=100_000, seed=1, depth=2), max_time=0.5, jobs=2)
    assert r.stop is StopReason.MAX_TIME and r.verdict == "incomplete" and 0 < r.executions < 100_000
    assert r.coverage.covered == r.executions and sum(o.count for o in r.outcomes) == r.executions


def test_ctrl_c_gives_the_partial_result():
    def stop(executions, transitions):
        raise KeyboardInterrupt

    sc = load_model(COUNTER).scenario("locked")
    with pytest.raises(Interrupted) as info:
        check(sc, params={"times": 2}, strategy=POS(runs=500, seed=1), all_outcomes=True, jobs=2, progress=stop)
    result = info.value.result
    assert result.stop is StopReason.INTERRUPTED and result.verdict == "incomplete"
    assert result.executions == 1  # the first unit (one run, alone) was applied, then Ctrl-C
    assert sum(o.count for o in result.outcomes) == result.executions


# -- a worker killed in the middle of a unit ---------------------------------------------------
def test_a_killed_worker_loses_nothing(killer):  # noqa: F811  (the fixture imported from test_parallel)
    model, renew = killer
    one = _sequential_runs(model, "adds", {"n": 3}, RandomWalk(runs=40, seed=2), True)
    driver = ParallelSampler(_task(model, "adds", {"n": 3}, True), RandomWalk(runs=40, seed=2), renew(), 2,
                             Limits(), unit_runs=3, renew=renew)
    summary = driver.run()
    assert model.with_suffix(".killed").exists() and driver.dispatch.renewed == 1 and summary.parallel.rerun >= 1
    stats = summary.stats
    two = (stats.executions, stats.stop, stats.transitions, summary.outcomes, driver.witness_runs(),
           (driver.failure_run, summary.failure), ())
    assert two == one and one[0] == 40


# -- Dask (the optional extra: pip install '.[dask]') ------------------------------------------------
def test_dask_executor_draws_the_runs_of_one_process(tmp_path, monkeypatch, capsys):
    distributed = pytest.importorskip("distributed")
    monkeypatch.setenv("KILLER_PARENT", str(os.getpid()))  # before the workers start: they inherit it
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            for strategy in SAMPLERS:
                for name, every in (("unlocked", False), ("unlocked", True), ("locked", True)):
                    sc = load_model(COUNTER).scenario(name)
                    one = check(sc, params={"times": 2}, strategy=SAMPLERS[strategy](), all_outcomes=every)
                    two = check(sc, params={"times": 2}, strategy=SAMPLERS[strategy](), all_outcomes=every,
                                executor=client.get_executor())
                    assert _view(two) == _view(one), (strategy, name)
            assert main([f"{COUNTER}::unlocked", "--strategy", "pos", "--runs", "50", "--seed", "17", "--dask",
                         cluster.scheduler_address, "--jobs", "2", "--graph", "none", "--no-memory"]) == 0
            assert "1 execution, 9 transitions" in (out := capsys.readouterr().out)
            assert "(strategy pos on 2 workers, stopped at the first violation" in out
            # a worker killed in the middle of a unit: Dask runs the task again on a new worker
            model = tmp_path / "killer.py"
            model.write_text(KILLER)
            sc = load_model(model).scenario("adds")
            two = check(sc, strategy=PCT(runs=60, seed=2), all_outcomes=True, executor=client.get_executor())
            assert model.with_suffix(".killed").exists()
            assert _view(two) == _view(check(sc, strategy=PCT(runs=60, seed=2), all_outcomes=True))
            assert two.executions == 60


# -- the command line ------------------------------------------------------------------------
def test_cli_jobs_with_a_sampling_strategy_and_its_replay_line(capsys):
    args = [f"{COUNTER}::unlocked", "--param", "times=3", "--strategy", "pct", "--depth", "2", "--runs", "200",
            "--seed", "17", "--graph", "none", "--no-memory"]
    assert main(args) == 0  # the violation is expected
    one = capsys.readouterr().out
    assert main(args + ["--jobs", "2"]) == 0
    two = capsys.readouterr().out
    assert "(strategy pct on 2 workers, stopped at the first violation" in two
    replay = [line.split("replay: ", 1)[1] for line in two.splitlines() if "replay: " in line]
    assert replay == [line.split("replay: ", 1)[1] for line in one.splitlines() if "replay: " in line]
    assert replay[0].startswith("python -m checker ")
    argv = replay[0].split()[3:]  # as printed: a node id with the parameters, --replay SCHEDULE
    assert main(argv + ["--graph", "none", "--no-memory", "-q"]) == 0
    assert "VIOLATION: assertion failed" in capsys.readouterr().out


def test_cli_refuses_what_runs_in_one_process(capsys):
    assert main([f"{COUNTER}::locked", "--jobs", "2", "--strategy", "bounded", "--graph", "none"]) == 2
    err = capsys.readouterr().err
    assert "--strategy bounded runs in one process" in err and "random, pct or pos" in err


# -- bad input ------------------------------------------------------------------------------------
def test_what_runs_in_one_process_is_refused():
    sc = load_model(COUNTER).scenario("locked")
    for name in ("bounded", "dfs", "cached"):
        with pytest.raises(UsageError, match=f"strategy {name} runs in one process") as info:
            check(sc, strategy=name, jobs=2)
        assert "random, pct, pos" in str(info.value)

    class Mine(PCT):
        pass

    with pytest.raises(UsageError, match="a Mine cannot run there") as info:
        check(sc, strategy=Mine(runs=5), jobs=2)
    assert "use checker's own PCT, or jobs=1" in str(info.value)
    with pytest.raises(UsageError, match="unit_runs must be at least 1"):
        ParallelSampler(_task(COUNTER, "locked", {}, True), PCT(), AtOnce(), 2, Limits(), unit_runs=0)


def test_a_model_error_in_a_worker_is_the_same_error(tmp_path):
    model = tmp_path / "forgets.py"
    model.write_text(
        "from checker import Lock, Thread, scenario\n\n"
        "def worker(lock):\n    lock.acquire()\n    yield\n\n"
        "@scenario\ndef forgets():\n    lock = Lock()\n    t = Thread(target=worker, args=(lock,))\n"
        "    t.start()\n    yield t.join()\n")
    sc = load_model(model).scenario("forgets")
    with pytest.raises(ModelError) as one:
        check(sc, strategy="random")
    with pytest.raises(ModelError) as two:
        check(sc, strategy="random", jobs=2)
    assert type(two.value) is type(one.value) and str(two.value) == str(one.value)


def test_a_run_draws_the_same_in_another_process():
    # run i's generator is seeded with the text "seed:i" (through SHA-512), not with hash(): the same
    # schedules whatever PYTHONHASHSEED, so workers started by any means draw the runs of this process
    code = ("from checker import load_model\nfrom checker.check.checking import ScenarioSpace\n"
            "from checker.explore import POS\nfrom checker.explore.strategy import Limits\n"
            f"sc = load_model({str(COUNTER)!r}).scenario('unlocked')\nseen = []\n"
            "POS(runs=5, seed=9).explore(ScenarioSpace(sc, {'times': 2}, 'ideal'), "
            "lambda ex, s: seen.append(s), Limits())\nprint(seen)\n")
    drawn = {subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONHASHSEED": seed},
                            capture_output=True, text=True, check=True).stdout for seed in ("1", "2")}
    here: list = []
    sc = load_model(COUNTER).scenario("unlocked")
    POS(runs=5, seed=9).explore(ScenarioSpace(sc, {"times": 2}, "ideal"), lambda ex, s: here.append(s), Limits())
    assert drawn == {f"{here}\n"}
