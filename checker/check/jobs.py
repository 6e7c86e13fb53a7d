"""``check(..., jobs=N)`` and ``check(..., executor=...)``: the DPOR search
(``explore.parallel``) or a sampling search (random, pct, pos:
``explore.parallel_sampling``) on several processes, judged like any other.

``Jobs.settle`` validates the settings before anything runs; ``Jobs.run``
explores, then rebuilds what the workers sent as plain data: one replay of
each outcome's witness schedule gives the ``Outcome`` with its values (its
equality key must be the one the worker sent, else the model is not
deterministic), one replay of the first failing schedule gives the
counterexample, minimized as usual.  Verdict, execution (class) count,
outcomes (with counts and witnesses), counterexample and coverage (PCT's
miss probability included) are the sequential search's, whatever the
number of workers (``explore.parallel`` and ``explore.parallel_sampling``
say why).
"""

from __future__ import annotations

import pickle
import time
from concurrent.futures import Executor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ModelError, NondeterminismError, UsageError
from ..explore import STRATEGIES, Strategy
from ..explore.coverage import StopReason
from ..explore.parallel import ParallelDPOR, Summary
from ..explore.parallel_sampling import ParallelSampler
from ..explore.replay import run_schedule
from ..explore.sampling import Sampler
from ..explore.units import Task
from ..program.model_file import load_model
from ..program.scenario import Scenario
from ..runtime.watchdog import Watchdog
from .result import Counterexample, OutcomeStat, Result

if TYPE_CHECKING:  # pragma: no cover
    from .checking import _Run


SAMPLED = tuple(name for name, cls in STRATEGIES.items() if issubclass(cls, Sampler))  # random, pct, pos


class Jobs:
    """Where the units of a parallel search run: ``workers`` at once on
    ``executor``, or on a process pool of ``workers`` processes made for
    each search and shut down after it."""

    def __init__(self, workers: int, executor: Executor | None):
        self.workers, self.executor = workers, executor

    @classmethod
    def settle(cls, scenario: Scenario, params: dict[str, Any], jobs: int | None, executor: Executor | None,
               strategy: str | Strategy, budgeted: bool) -> Jobs | None:
        """The parallel settings, validated; None for the sequential search
        (``jobs`` None or 1 and no executor)."""
        if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
            raise UsageError(f"jobs must be a positive integer, got {jobs!r}",
                             hint="jobs=1 explores in this process; jobs=2 or more uses that many processes")
        if executor is not None and not isinstance(executor, Executor):
            raise UsageError(f"executor must be a concurrent.futures.Executor, got {type(executor).__name__}",
                             hint="e.g. a ProcessPoolExecutor, or a Dask client's get_executor()")
        if executor is None and (jobs is None or jobs == 1):
            return None
        name = strategy if isinstance(strategy, str) else strategy.name
        if name not in ("auto", "dpor", *SAMPLED):
            raise UsageError(f"parallel exploration runs DPOR and the sampling strategies ({', '.join(SAMPLED)}); "
                             f"strategy {name} runs in one process",
                             hint=f"drop jobs/--jobs, or use the dpor strategy or one of {', '.join(SAMPLED)}")
        if name == "auto" and budgeted:
            raise UsageError("auto under a budget shares it between DPOR and bounded search, which runs in "
                             "one process", hint="use the dpor strategy (or random, pct, pos) with the budget, "
                             "or drop jobs/--jobs")
        if isinstance(strategy, Strategy) and name in SAMPLED and type(strategy) is not STRATEGIES[name]:
            raise UsageError(f"workers build the sampling strategy {name} from its name and settings, so a "
                             f"{type(strategy).__name__} cannot run there", hint="use checker's own "
                             f"{STRATEGIES[name].__name__}, or jobs=1")
        _importable(scenario, params)
        workers = jobs if jobs is not None else getattr(executor, "_max_workers", None) or 2
        return cls(workers, executor)

    def run(self, run: _Run, strategy: Strategy, stop_on_loop: bool, all_outcomes: bool) -> Result:
        """The parallel search of ``run``'s scenario by ``strategy`` (DPOR, or
        a ``Sampler``), judged by ``run``."""
        scenario, limits = run.scenario, run.limits
        task = Task(str(Path(scenario.file).resolve()), scenario.name, run.params, run.timing, limits.max_steps,
                    limits.step_timeout, all_outcomes, stop_on_loop,
                    scenario.front.semantics if scenario.front is not None else "gil")
        from concurrent.futures.process import BrokenProcessPool, ProcessPoolExecutor  # multiprocessing: when used

        started = time.perf_counter()
        pools: list[Executor] = []

        def renew() -> Executor:  # a process pool, again after a worker was killed
            pools.append(ProcessPoolExecutor(max_workers=self.workers))
            return pools[-1]

        def progress(executions: int, transitions: int) -> None:  # after each unit applied
            if run.progress is not None:
                run.progress(executions, transitions)
            if run.on_estimate is not None and driver.summary.stats.estimate is not None:
                run.on_estimate(driver.summary.stats.estimate)  # parallel DPOR's, as one process's

        driver: ParallelDPOR | ParallelSampler | None = None
        try:
            executor, again = self.executor or renew(), None if self.executor else renew
            if isinstance(strategy, Sampler):
                driver = ParallelSampler(task, strategy, executor, self.workers, limits, progress=progress,
                                         renew=again)
            else:
                driver = ParallelDPOR(task, executor, self.workers, limits, progress=progress, renew=again)
            summary = driver.run()
        except KeyboardInterrupt:
            if driver is None:
                raise
            from .checking import Interrupted

            driver.summary.stats.stop = StopReason.INTERRUPTED
            raise Interrupted(self._judge(run, strategy, driver.summary, all_outcomes, started, minimize=False)) \
                from None
        except BrokenProcessPool:
            raise ModelError(f"worker processes of scenario {scenario.name} died while exploring, "
                             f"{driver.dispatch.renewed + 1} times", hint="the model may end the process (os._exit) or run "
                             "out of memory; run it with jobs=1 (--jobs 1) to see where") from None
        finally:
            for pool in pools:
                pool.shutdown(wait=True, cancel_futures=True)
        result = self._judge(run, strategy, summary, all_outcomes, started)
        result.workers = self.workers
        return result

    @staticmethod
    def _judge(run: _Run, strategy: Strategy, summary: Summary, all_outcomes: bool, started: float,
               minimize: bool = True) -> Result:
        """The ``Result`` of a parallel search, as ``run`` judges any (after
        Ctrl-C, without minimizing the counterexample, as one process does)."""
        strategy.stats = summary.stats
        with Watchdog(run.limits.step_timeout) as watchdog:
            from .checking import ScenarioSpace

            space = ScenarioSpace(run.scenario, run.params, run.timing, watchdog.heartbeat)
            tally = _outcomes(space, summary)
            found = []
            if summary.failure is not None:
                ex = run_schedule(space, summary.failure)
                cex = Counterexample(summary.failure, ex.trace, ex.failure, ex.preemptions)
                found.append(run.smaller(space, strategy, cex) if minimize else cex)
        return run.judge(strategy, all_outcomes, summary.stats, tally, found, started)


def _outcomes(space: Any, summary: Summary) -> dict[Any, OutcomeStat]:
    """Each outcome rebuilt from its witness (``Outcome.values`` do not
    travel), with the count the workers tallied."""
    tally: dict[Any, OutcomeStat] = {}
    for key, count, witness in summary.outcomes:
        outcome = run_schedule(space, witness).outcome()
        if (outcome.state, outcome.output, outcome.failure) != key:
            raise NondeterminismError(
                f"scenario {space.scenario.name} is not deterministic: its schedule {witness} ended differently "
                "in a worker process and here",
                hint="a model must behave the same in every process: do not depend on id(), hash order of "
                "str keys (PYTHONHASHSEED) or module state")
        tally[outcome] = OutcomeStat(outcome, count, witness)
    return tally


def _importable(scenario: Scenario, params: dict[str, Any]) -> None:
    """Workers re-import the scenario from its model file: refuse, with the
    fix, a scenario they could not find or parameters they could not get."""
    path = Path(scenario.file)
    fix = "define the scenario with @scenario at module level of a .py model file, or use jobs=1"
    if path.suffix != ".py" or not path.exists():
        raise UsageError(f"scenario {scenario.name} is not in a model file a worker process can import "
                         f"({scenario.file})", hint=fix)
    try:
        found = load_model(path).scenario(scenario.name)
    except ModelError as exc:
        raise UsageError(f"a worker process could not import scenario {scenario.name} from {path}: {exc.message}",
                         hint=fix) from None
    if found.line != scenario.line:
        raise UsageError(f"{path} has a different scenario named {scenario.name} at module level (line "
                         f"{found.line}, this one is at line {scenario.line})", hint=fix)
    try:
        pickle.dumps(params)
    except Exception as exc:
        raise UsageError(f"the parameters of {scenario.name} cannot be sent to a worker process: {exc}",
                         hint="use plain values (numbers, strings, tuples) as parameters, or use jobs=1") from None


def dask_executor(address: str, timeout: float = 10.0) -> tuple[Executor, int]:
    """An executor on the Dask cluster whose scheduler is at ``address``
    (``dask scheduler``; workers joined with ``dask worker ADDRESS``), and
    how many worker threads it has (``timeout``: seconds to reach it).  Dask is the optional extra ``dask``;
    the client is closed when the process exits."""
    try:
        from distributed import Client
    except ImportError:
        raise UsageError("--dask needs Dask's distributed package",
                         hint="pip install '.[dask]' in a checkout of checker (the extra 'dask')") from None
    try:
        client = Client(address, timeout=timeout)
    except (OSError, TimeoutError) as exc:
        raise UsageError(f"no Dask scheduler answered at {address}: {exc}",
                         hint="start one with `dask scheduler` and workers with `dask worker ADDRESS`, "
                         "and give the address it prints (tcp://host:8786)") from None
    threads = sum(client.nthreads().values())
    if threads < 1:
        client.close()
        raise UsageError(f"the Dask cluster at {address} has no workers", hint="start some: dask worker ADDRESS")
    return client.get_executor(), threads
