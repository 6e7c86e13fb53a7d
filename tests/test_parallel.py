"""Parallel DPOR (checker/explore/parallel.py, checker/check/jobs.py).

The claim pinned here: with any number of workers, the search runs exactly
the sequential search's executions, so the execution count, the verdict,
the outcomes (with their counts and witness schedules) and the
counterexample are the sequential ones.  ``check(jobs=2)`` runs on a
process pool; the driver is also run in this process on an executor that
finishes each unit as it is submitted, with tiny units, so that units run
ahead of their turn and are thrown away and run again (``rerun``), on the
models and on generated programs.
"""

from __future__ import annotations

import re
import sys
from concurrent.futures import Executor, Future
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from checker import check, load_model
from checker.errors import ModelError, UsageError
from checker.explore.coverage import StopReason
from checker.explore.estimate import Estimate
from checker.explore.parallel import ParallelDPOR
from checker.explore.strategy import Limits
from checker.explore.units import Task
from checker.present.cli import main

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks" / "models"
MODELS = ROOT / "models"
sys.path.insert(0, str(Path(__file__).resolve().parent))
from programs import build, programs  # noqa: E402


class AtOnce(Executor):
    """Runs each unit when it is submitted, in this process."""

    def submit(self, fn, /, *args, **kwargs):
        future: Future = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def _view(result):
    cex = result.counterexample
    return (result.verdict, result.executions, result.discarded, result.stop,
            [(o.outcome, o.count, o.witness) for o in result.outcomes], cex.schedule if cex else None,
            cex.failure.kind if cex else None)


CASES = [
    # path, scenario, params, all_outcomes, executions, verdict
    (BENCH / "lastzero.py", "lastzero", {"n": 5}, True, 64, "safe"),
    (MODELS / "counter.py", "locked", {"times": 2}, True, 6, "safe"),
    (BENCH / "readers_writers.py", "readers_writers", {"readers": 2, "writers": 1}, True, 14, "safe"),
    (MODELS / "readers_writers.py", "counter_locked", {}, True, 86, "safe"),
    (MODELS / "counter.py", "unlocked", {"times": 2}, False, 2, "violation"),
    (BENCH / "philosophers.py", "philosophers", {"n": 3}, False, 3, "violation"),
    (MODELS / "readers_writers.py", "counter_unlocked", {}, False, 8, "violation"),
]


@pytest.mark.parametrize("path, name, params, every, executions, verdict", CASES)
def test_jobs_2_is_the_sequential_search(path, name, params, every, executions, verdict):
    sc = load_model(path).scenario(name)
    one = check(sc, params=params, all_outcomes=every)
    two = check(sc, params=params, all_outcomes=every, jobs=2)
    assert _view(two) == _view(one)
    assert one.verdict == verdict
    assert one.executions == executions


def _task(path, name, params, timing="ideal", every=True):
    sc = load_model(path).scenario(name)
    return Task(str(path), name, sc.bind(params), timing, 1_000_000, 5.0, every, False)


def _sequential(path, name, params, every=True):
    sc = load_model(path).scenario(name)
    r = check(sc, params=params, strategy="dpor", all_outcomes=every, minimize=False)
    return r


def _same(summary, seq):
    keys = [((o.outcome.state, o.outcome.output, o.outcome.failure), o.count, o.witness) for o in seq.outcomes]
    cex = seq.counterexample.schedule if seq.counterexample else None
    assert summary.stats.executions == seq.executions + seq.discarded
    assert summary.outcomes == keys
    assert summary.failure == cex


@pytest.mark.parametrize("split", ["deep", "shallow"])
@pytest.mark.parametrize("per_unit", [1, 3])
@pytest.mark.parametrize("path, name, params, every, executions, verdict", CASES[:3] + CASES[4:6])
def test_units_run_ahead_and_again(path, name, params, every, executions, verdict, per_unit, split):
    task = _task(path, name, params, every=every)
    driver = ParallelDPOR(task, AtOnce(), 3, Limits(), unit_seconds=None, unit_executions=per_unit, split=split)
    summary = driver.run()
    _same(summary, _sequential(path, name, params, every))
    assert summary.parallel.submitted == summary.parallel.units + summary.parallel.rerun


@pytest.mark.parametrize("split, units, rerun", [("deep", 28, 5), ("shallow", 28, 7)])
def test_rerun_pinned(split, units, rerun):
    # lastzero(4), units of one execution, three submitted at once: the 28
    # executions in 28 units applied; some units ran ahead on a subtree that an
    # earlier unit then extended, and ran again ("shallow" leaves more such
    # branches beside a paused search)
    driver = ParallelDPOR(_task(BENCH / "lastzero.py", "lastzero", {"n": 4}), AtOnce(), 3, Limits(),
                          unit_seconds=None, unit_executions=1, split=split)
    summary = driver.run()
    assert (summary.stats.executions, summary.parallel.units, summary.parallel.rerun) == (28, units, rerun)
    assert summary.stats.stop is StopReason.FINISHED


def test_budget_and_stats_are_the_sequential_ones():
    sc = load_model(BENCH / "lastzero.py").scenario("lastzero")
    one = check(sc, params={"n": 5}, strategy="dpor", all_outcomes=True, max_executions=20)
    driver = ParallelDPOR(_task(BENCH / "lastzero.py", "lastzero", {"n": 5}), AtOnce(), 3,
                          Limits(max_executions=20), unit_seconds=None, unit_executions=3)
    summary = driver.run()
    assert (summary.stats.executions, summary.stats.stop) == (20, StopReason.MAX_EXECUTIONS) == (one.executions,
                                                                                                 one.stop)
    two = check(sc, params={"n": 5}, strategy="dpor", all_outcomes=True, max_executions=20, jobs=2)
    assert _view(two) == _view(one)
    seq = load_model(MODELS / "counter.py").scenario("locked")
    from checker.explore import OptimalDPOR
    from checker.check.checking import ScenarioSpace

    dpor = OptimalDPOR()
    stats = dpor.explore(ScenarioSpace(seq, {"times": 3}, "ideal"), lambda ex, s: None, Limits())
    par = ParallelDPOR(_task(MODELS / "counter.py", "locked", {"times": 3}), AtOnce(), 2, Limits(),
                       unit_seconds=None, unit_executions=2).run().stats
    fields = ("executions", "sleep_blocked", "abandoned", "insertions", "classes")
    assert [getattr(par, f) for f in fields] == [getattr(stats, f) for f in fields]
    assert stats.executions == 20 and stats.sleep_blocked > 0


LATE_RULES = '''from checker import Shared, Thread, invariant, scenario


def helper(box):
    box.y = box.y + 1
    yield
    box.y = box.y + 1


def a(box):
    v = box.x
    yield
    if v == 1:
        Thread(target=helper, args=(box,), daemon=True).start()
    yield
    box.z = v


def b(box):
    box.x = 1
    yield
    box.y = 5
    yield
    box.z = 7


def c(box):
    v = box.x
    yield
    if v == 1:
        invariant(lambda: box.y != 3, "y != 3")
    box.y = v + 1


@scenario
def late_daemon():
    box = Shared(x=0, y=0, z=0)
    Thread(target=a, args=(box,)).start()
    Thread(target=b, args=(box,)).start()
    yield


@scenario
def late_invariant():
    box = Shared(x=0, y=0, z=0)
    Thread(target=c, args=(box,)).start()
    Thread(target=b, args=(box,)).start()
    yield
'''


@pytest.mark.parametrize("name, executions", [("late_daemon", 388), ("late_invariant", 17)])
@pytest.mark.parametrize("per_unit, workers", [(1, 2), (1, 4), (2, 4)])
def test_dependency_rules_learned_in_the_middle(tmp_path, name, executions, per_unit, workers):
    # a daemon thread, or an invariant, appears only in some executions: from the run that shows it on,
    # the dependency rules change and the run is analysed again; each reversal a unit reports carries
    # the rules it was found under, and units that started under the old rules run again
    model = tmp_path / "late.py"
    model.write_text(LATE_RULES)
    seq = _sequential(model, name, {})
    assert seq.executions == executions
    driver = ParallelDPOR(_task(model, name, {}), AtOnce(), workers, Limits(), unit_seconds=None,
                          unit_executions=per_unit)
    _same(driver.run(), seq)


@pytest.mark.parametrize("path, name, params, budgets", [
    (MODELS / "counter.py", "locked", {"times": 2}, range(1, 8)),
    (BENCH / "readers_writers.py", "readers_writers", {"readers": 2, "writers": 1}, range(1, 16)),
    (MODELS / "readers_writers.py", "counter_locked", {}, (7, 23, 50, 86, 87)),  # 86 executions in all
])
def test_budgets_stop_where_one_process_does(path, name, params, budgets):
    # the sequential search stops after max_executions only if a branch is left that can run, after
    # dropping the ones that cannot (abandoned): past the budget, units only probe whether theirs can
    from checker.check.checking import ScenarioSpace
    from checker.explore import OptimalDPOR

    sc = load_model(path).scenario(name)
    for limit in budgets:
        one = OptimalDPOR().explore(ScenarioSpace(sc, sc.bind(params), "ideal"), lambda ex, s: None,
                                    Limits(max_executions=limit))
        for per_unit, workers in ((1, 2), (2, 3)):
            two = ParallelDPOR(_task(path, name, params), AtOnce(), workers, Limits(max_executions=limit),
                               unit_seconds=None, unit_executions=per_unit).run().stats
            fields = ("executions", "stop", "abandoned", "sleep_blocked", "insertions", "estimate")
            assert [getattr(two, f) for f in fields] == [getattr(one, f) for f in fields], (limit, per_unit)


@settings(max_examples=12, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(programs(blocking=True, extras=True))
def test_generated_programs(tmp_path_factory, program):
    folder = tmp_path_factory.mktemp("generated")
    for timing in ("ideal", "any-delay"):
        path = folder / f"model_{timing}.py"
        tests = str(Path(__file__).resolve().parent)
        path.write_text(f"import sys\nsys.path.insert(0, {tests!r})\nfrom programs import Program, build\n"
                        f"generated = build({program!r}, {timing!r})\n")
        seq = check(build(program, timing), strategy="dpor", all_outcomes=True, minimize=False, max_executions=2000)
        if not seq.complete:
            continue
        from checker.check.checking import ScenarioSpace
        from checker.explore import OptimalDPOR

        one = OptimalDPOR().explore(ScenarioSpace(build(program, timing), {}, timing), lambda ex, s: None, Limits())
        for per_unit, split in ((1, "deep"), (2, "shallow")):
            driver = ParallelDPOR(_task(path, "generated", {}, timing), AtOnce(), 3, Limits(), unit_seconds=None,
                                  unit_executions=per_unit, split=split)
            summary = driver.run()
            _same(summary, seq)
            fields = ("sleep_blocked", "abandoned", "insertions", "cut_executions", "looped")
            assert [getattr(summary.stats, f) for f in fields] == [getattr(one, f) for f in fields]


def test_a_looping_model_still_falls_back_to_state_caching(tmp_path):
    model = tmp_path / "spins.py"
    model.write_text(
        "from checker import Shared, Thread, scenario\n\n"
        "def spin(flag):\n    while not flag.value:\n        yield\n\n"
        "def setter(flag):\n    flag.value = True\n    yield\n\n"
        "@scenario\ndef busy_wait():\n    flag = Shared(value=False)\n"
        "    Thread(target=spin, args=(flag,)).start()\n    Thread(target=setter, args=(flag,)).start()\n")
    sc = load_model(model).scenario("busy_wait")
    one, two = check(sc), check(sc, jobs=2)
    assert two.strategy == one.strategy == "cached" and two.strategy_note == one.strategy_note
    assert two.verdict == "safe" and two.states_visited == one.states_visited == 8
    dpor = check(sc, strategy="dpor", jobs=2)  # the loop cut: incomplete, as in one process
    assert (dpor.verdict, dpor.executions, dpor.looped) == ("incomplete", 1, 1)


def test_ctrl_c_gives_the_partial_result():
    from checker.check.checking import Interrupted

    def stop(executions, transitions):
        raise KeyboardInterrupt

    sc = load_model(BENCH / "lastzero.py").scenario("lastzero")
    with pytest.raises(Interrupted) as info:
        check(sc, params={"n": 5}, all_outcomes=True, jobs=2, progress=stop)
    result = info.value.result
    assert result.stop is StopReason.INTERRUPTED and result.verdict == "incomplete"
    assert 0 < result.executions < 64 and sum(o.count for o in result.outcomes) == result.executions



# -- the size estimate (explore/estimate.py) ----------------------------------------------------
def _trajectory(monkeypatch, path, name, params, limit=None):
    """The sequential search's estimate after each of its runs (sleep-blocked ones included)."""
    from checker.check.checking import ScenarioSpace
    from checker.explore import OptimalDPOR
    from checker.explore.estimate import Estimator

    made, estimate = [], Estimator.estimate
    sc = load_model(path).scenario(name)
    with monkeypatch.context() as m:
        m.setattr(Estimator, "estimate", lambda self, pending: made.append(estimate(self, pending)) or made[-1])
        stats = OptimalDPOR().explore(ScenarioSpace(sc, sc.bind(params), "ideal"), lambda ex, s: None,
                                      Limits(max_executions=limit))
    return made, stats


def _estimating(task, workers, limits, per_unit, split="deep"):
    """The driver in this process, and (runs applied, estimate) after each unit applied."""
    made = []

    def progress(executions, transitions):
        stats = driver.summary.stats
        made.append((stats.executions + stats.sleep_blocked, stats.estimate))

    driver = ParallelDPOR(task, AtOnce(), workers, limits, unit_seconds=None, unit_executions=per_unit,
                          split=split, progress=progress)
    return driver.run().stats, made


@pytest.mark.parametrize("path, name, params, limit, final", [
    (BENCH / "lastzero.py", "lastzero", {"n": 5}, None, Estimate(64.0, 64, exact=True)),
    (BENCH / "lastzero.py", "lastzero", {"n": 6}, 50, Estimate(82.75862068965517, 50)),
    (MODELS / "counter.py", "locked", {"times": 4}, 33, Estimate(149.52212389380531, 33)),
    (BENCH / "readers_writers.py", "readers_writers", {"readers": 2, "writers": 1}, 9, Estimate(144 / 11, 9)),
])
def test_estimates_are_the_sequential_ones_after_the_same_run(monkeypatch, path, name, params, limit, final):
    # a unit reports (finished, pending) on the path below its root at its last run, the coordinator puts
    # the nodes above in front (with its reversals applied): the sequential estimator's arithmetic on the
    # same path, so after each unit applied the estimate is the one the sequential search made after the
    # same run, to the last bit, whatever the units
    seq, one = _trajectory(monkeypatch, path, name, params, limit)
    assert one.estimate == final and len({e.executions for e in seq}) > 3  # it moves
    for workers, per_unit, split in ((1, 1, "deep"), (3, 2, "shallow"), (4, 3, "deep"), (2, 5, "shallow")):
        stats, made = _estimating(_task(path, name, params), workers, Limits(max_executions=limit), per_unit, split)
        assert stats.estimate == final, (workers, per_unit, split)
        assert len(made) > 1 and all(est == seq[runs - 1] for runs, est in made), (workers, per_unit, split)


def test_a_budget_in_parallel_reports_the_fraction_done():
    from checker.present.json_report import result_json
    from checker.present.report import verdict_text

    sc = load_model(BENCH / "lastzero.py").scenario("lastzero")
    one = check(sc, params={"n": 8}, strategy="dpor", max_executions=100)
    two = check(sc, params={"n": 8}, strategy="dpor", max_executions=100, jobs=2)
    assert two.coverage.estimated_fraction == one.coverage.estimated_fraction == 100 / 256
    assert verdict_text(two) == verdict_text(one) == (
        "INCOMPLETE: stopped by the budget max_executions=100 after 100 executions (100 classes of interleavings), "
        "exhaustive search 39% done by estimate, no violation so far (not proven safe)")
    assert result_json(two, "lastzero.py")["coverage"]["estimated_fraction"] == 100 / 256


def test_max_time_in_parallel_reports_the_fraction_done(monkeypatch):
    import time

    from checker.explore import OptimalDPOR
    from checker.present.report import verdict_text

    seq, _ = _trajectory(monkeypatch, BENCH / "lastzero.py", "lastzero", {"n": 8})
    task = _task(BENCH / "lastzero.py", "lastzero", {"n": 8})
    # a deadline already past: the first unit is applied (one process runs one execution), then it stops
    stats, made = _estimating(task, 2, Limits(deadline=time.monotonic() - 1), 4)
    assert (stats.stop, stats.executions, stats.estimate) == (StopReason.MAX_TIME, 4, seq[3]) and len(made) == 1
    assert OptimalDPOR().coverage(stats).estimated_fraction == 4 / seq[3].executions == 4 / 256
    stats, made = _estimating(task, 2, Limits(deadline=time.monotonic() + 0.2), 3)
    runs = stats.executions + stats.sleep_blocked
    assert stats.stop is StopReason.MAX_TIME and 0 < stats.executions < 704 and stats.estimate == seq[runs - 1]
    assert 0 < OptimalDPOR().coverage(stats).estimated_fraction <= 1
    sc = load_model(BENCH / "lastzero.py").scenario("lastzero")
    r = check(sc, params={"n": 10}, strategy="dpor", max_time=0.3, jobs=2)  # 3,328 executions in all
    assert r.stop is StopReason.MAX_TIME and 0 < r.coverage.estimated_fraction <= 1
    assert f"exhaustive search {r.coverage.estimated_fraction:.0%} done by estimate" in verdict_text(r)


def test_the_progress_line_has_an_eta_in_parallel(monkeypatch):
    from test_terminal import FakeTTY

    from checker.present.terminal import Progress

    for name in ("CI", "NO_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)
    seq, _ = _trajectory(monkeypatch, BENCH / "lastzero.py", "lastzero", {"n": 6})
    ticks, stream, given = iter(range(10_000)), FakeTTY(), []
    progress = Progress("lastzero", stream, clock=lambda: float(next(ticks)))

    def estimated(estimate):
        given.append(estimate)
        progress.estimated(estimate)

    sc = load_model(BENCH / "lastzero.py").scenario("lastzero")
    r = check(sc, params={"n": 6}, all_outcomes=True, jobs=2, progress=progress, on_estimate=estimated)
    progress.close()
    assert r.executions == 144 and given and all(e in seq for e in given)
    # after the last run nothing is pending: the count, but for rounding (144.00000000000003), as in one process
    assert given[-1] == seq[-1] and seq[-1].done == 144 and round(seq[-1].executions, 9) == 144
    out = stream.getvalue().replace("\n", "")  # rich wraps the line at 80 columns
    assert re.search(r"lastzero: \d+ executions, [\d,]+ transitions, .*, ≈ \d+% of ≈ [\d,]+ executions, ETA \d+s", out)


# -- bad input -----------------------------------------------------------------
def test_bad_jobs_are_usage_errors():
    sc = load_model(MODELS / "counter.py").scenario("locked")
    for jobs in (0, -1, "2", True, 1.5):
        with pytest.raises(UsageError, match="jobs must be a positive integer"):
            check(sc, jobs=jobs)
    with pytest.raises(UsageError, match="strategy dfs runs in one process"):
        check(sc, strategy="dfs", jobs=2)
    with pytest.raises(UsageError, match="auto under a budget"):
        check(sc, jobs=2, max_executions=10)
    with pytest.raises(UsageError, match="must be a concurrent.futures.Executor"):
        check(sc, executor=object())


def test_a_scenario_workers_cannot_import_is_refused():
    from checker.program.scenario import make_scenario

    namespace: dict = {}
    exec(compile("def body():\n    yield\n", "<typed in>", "exec"), namespace)
    with pytest.raises(UsageError, match="not in a model file a worker process can import") as info:
        check(make_scenario(namespace["body"], name="typed", expect="safe", timing="ideal"), jobs=2)
    assert "use jobs=1" in str(info.value)


def test_a_model_error_in_a_worker_is_the_same_error(tmp_path):
    model = tmp_path / "forgets.py"
    model.write_text(
        "from checker import Lock, Thread, scenario\n\n"
        "def worker(lock):\n    lock.acquire()\n    yield\n\n"
        "@scenario\ndef forgets():\n    lock = Lock()\n    t = Thread(target=worker, args=(lock,))\n"
        "    t.start()\n    yield t.join()\n")
    sc = load_model(model).scenario("forgets")
    with pytest.raises(ModelError) as one:
        check(sc)
    with pytest.raises(ModelError) as two:
        check(sc, jobs=2)
    assert type(two.value) is type(one.value) and str(two.value) == str(one.value)


def test_cli_jobs(capsys):
    assert main([f"{MODELS / 'counter.py'}::locked", "--jobs", "2", "--graph", "none", "--no-memory"]) == 0
    out = capsys.readouterr().out
    assert "SAFE over all 6 classes of interleavings" in out and "(strategy dpor on 2 workers, complete," in out
    assert main([f"{MODELS / 'counter.py'}::locked", "--graph", "none", "--no-memory"]) == 0
    assert "(strategy dpor, complete," in capsys.readouterr().out  # one process: no count of workers
    assert main([f"{MODELS / 'counter.py'}::locked", "--jobs", "0", "--graph", "none"]) == 2
    assert "--jobs must be at least 1" in capsys.readouterr().err
    assert main([f"{MODELS / 'counter.py'}::locked", "--jobs", "2", "--strategy", "dfs", "--graph", "none"]) == 2
    assert "runs in one process" in capsys.readouterr().err


KILLER = '''import os
import signal

from checker import Shared, Thread, scenario

MARK = __file__[:-3] + ".killed"  # a str: the checker refuses module-level state a step changes (Path caches)


def add(box, me):
    value = box.x
    yield
    if me == 2 and value == 1 and not os.path.exists(MARK) and str(os.getpid()) != os.environ.get("KILLER_PARENT"):
        with open(MARK, "w") as mark:
            mark.write("killed once")
        os.kill(os.getpid(), signal.SIGKILL)  # a worker dies in the middle of a unit
    box.x = value + 1


@scenario
def adds(n=3):
    box = Shared(x=0)
    threads = [Thread(target=add, args=(box, i), name=f"t{i}") for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        yield t.join()
'''


@pytest.fixture
def killer(tmp_path, monkeypatch):
    """The KILLER model, and ``renew()``: a process pool of two, again
    after a worker was killed (all shut down after the test)."""
    import os
    from concurrent.futures import ProcessPoolExecutor

    model = tmp_path / "killer.py"
    model.write_text(KILLER)
    monkeypatch.setenv("KILLER_PARENT", str(os.getpid()))
    pools = []
    yield model, lambda: pools.append(ProcessPoolExecutor(max_workers=2)) or pools[-1]
    for pool in pools:
        pool.shutdown(cancel_futures=True)


def test_a_killed_worker_loses_nothing(killer):
    model, renew = killer
    driver = ParallelDPOR(_task(model, "adds", {"n": 3}), renew(), 2, Limits(), unit_seconds=None,
                          unit_executions=2, renew=renew)
    summary = driver.run()
    # killed once, in a unit after the first; it and the unit beside it ran again on a new pool
    assert model.with_suffix(".killed").exists() and driver.dispatch.renewed == 1 and summary.parallel.rerun >= 1
    assert summary.parallel.units > 1
    seq = _sequential(model, "adds", {"n": 3})
    _same(summary, seq)
    assert seq.executions == 36



def test_the_dispatcher_renews_a_broken_executor_then_gives_up():
    from concurrent.futures import BrokenExecutor
    from types import SimpleNamespace

    from checker.explore.dispatch import RENEWALS, Dispatch, ParallelStats

    class Broken(Executor):  # every future breaks, as a process pool's when a worker is killed
        def submit(self, fn, /, *args, **kwargs):
            future: Future = Future()
            future.set_exception(BrokenExecutor("a worker died"))
            return future

    stats, made = ParallelStats(), []
    dispatch = Dispatch(Broken(), 2, lambda: made.append(Broken()) or made[-1], stats)
    dispatch.submit(str, 1, "a")
    dispatch.submit(str, 2, "b")
    assert not dispatch.free
    for renewed in range(1, RENEWALS + 1):  # nothing comes back; both go to the new executor, unchanged
        assert dispatch.finished() == [] and dispatch.renewed == renewed and dispatch.executor is made[-1]
        assert sorted((key, unit) for key, _, unit in dispatch.running.values()) == [("a", 1), ("b", 2)]
    assert (stats.submitted, stats.rerun) == (2 + 2 * RENEWALS, 2 * RENEWALS)
    with pytest.raises(BrokenExecutor):  # renewals spent
        dispatch.finished()
    lone = Dispatch(Broken(), 1, None, ParallelStats())
    lone.submit(str, 1, "a")
    with pytest.raises(BrokenExecutor):  # nothing to renew with
        lone.finished()
    stats = ParallelStats()
    ok = Dispatch(AtOnce(), 2, None, stats)
    for key in ("a", "b"):
        ok.submit(lambda seconds: SimpleNamespace(seconds=seconds, cpu_seconds=seconds / 2), 0.5, key)
    assert sorted(key for key, _ in ok.finished()) == ["a", "b"] and ok.finished() == [] and ok.free
    assert (stats.submitted, stats.rerun, stats.unit_seconds, stats.cpu_seconds) == (2, 0, 1.0, 0.5)
    with pytest.raises(UsageError, match="workers must be at least 1"):
        Dispatch(AtOnce(), 0, None, ParallelStats())


# -- Dask (the optional extra: pip install '.[dask]') ------------------------------------------
@pytest.fixture
def dask_cluster(monkeypatch):
    distributed = pytest.importorskip("distributed")
    import os

    monkeypatch.setenv("KILLER_PARENT", str(os.getpid()))  # before the workers start: they inherit it
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            yield cluster, client


def test_dask_executor_is_the_sequential_search(dask_cluster, tmp_path, capsys):
    cluster, client = dask_cluster
    for path, name, params, every, executions, _ in (CASES[0], CASES[4]):
        sc = load_model(path).scenario(name)
        one = check(sc, params=params, all_outcomes=every)
        assert _view(check(sc, params=params, all_outcomes=every, executor=client.get_executor())) == _view(one)
        assert one.executions == executions
    # a worker killed in the middle of a unit: Dask runs the task again on a new worker
    model = tmp_path / "killer.py"
    model.write_text(KILLER)
    sc = load_model(model).scenario("adds")
    two = check(sc, all_outcomes=True, executor=client.get_executor())
    assert model.with_suffix(".killed").exists()
    assert _view(two) == _view(check(sc, all_outcomes=True)) and two.executions == 36
    # the command line
    assert main([f"{MODELS / 'counter.py'}::locked", "--dask", cluster.scheduler_address, "--graph", "none",
                 "--no-memory"]) == 0
    assert "6 classes of interleavings" in capsys.readouterr().out


def test_dask_address_without_scheduler_is_a_usage_error():
    pytest.importorskip("distributed")
    from checker.check.jobs import dask_executor

    with pytest.raises(UsageError, match="no Dask scheduler answered at tcp://127.0.0.1:9") as info:
        dask_executor("tcp://127.0.0.1:9", timeout=0.5)
    assert "dask scheduler" in str(info.value)
