"""The ``concurrent.futures`` a model file of unmodified code imports.

CPython 3.11's ``concurrent/futures/thread.py`` and the functions of
``_base.py`` on the checker's primitives (``Future`` is in ``future``).
What CPython keeps under the executor's locks is kept by
``ThreadPoolExecutor`` and recorded (fields ``work``, ``idle``,
``threads`` and ``state``); a public call is a scheduling point and then
one atomic step.  Workers start lazily, only when no worker is idle
(CPython's ``_idle_semaphore``) and fewer than ``max_workers`` run
(default 5: CPython's formula with one CPU, so replays do not depend on
the machine); they are named ``ThreadPoolExecutor-K_i`` (K counted per
execution) or ``<thread_name_prefix>_i``, take work in FIFO order
(``_TakeWork``, a blocking operation of the checker) and store any
``BaseException`` in the future.  What ``submit`` is given (the callable
and its arguments) is shared from then on, as a thread's arguments are.

Interpreter exit: when the scenario returns, the loader calls
``interpreter_exit`` (CPython's ``_python_exit``): later submits raise
``RuntimeError``, and the workers -- non-daemon threads, so the execution
ends only when they have -- finish the queued work and exit; a worker a
daemon thread made is joined there, as CPython joins it.
docs/unmodified.md (section 0) lists what differs from CPython.
"""

from __future__ import annotations

import concurrent.futures as _real
import concurrent.futures._base as _real_base
import concurrent.futures.thread as _real_thread
import weakref
from collections.abc import Callable
from types import ModuleType
from typing import Any

from ...errors import ModelError
from .. import context
from .. import thread as _thread_steps
from ..assume import Discarded
from ..footprint import READ, WRITE
from ..primitive import BlockingOp, Primitive
from . import threading_module
from .future import (ALL_COMPLETED, FIRST_COMPLETED, FIRST_EXCEPTION, Future, _completed, _ENOUGH, _name,
                     _raised, _share, _Until)
from .points import block, point
from .threading_module import counterpart_module
from .time_module import monotonic
from .tracer import call_model, entry

_END: Any = object()


class _Process(Primitive):
    """What ``concurrent.futures.thread`` keeps per interpreter (here per
    execution): the ``ThreadPoolExecutor-K`` counter, daemon workers (joined
    at exit) and whether the interpreter is exiting (CPython's ``_shutdown``)."""

    def __init__(self) -> None:
        self._register("futures", name="concurrent.futures")
        self._named, self._daemons, self._exiting = 0, [], False


_processes: weakref.WeakKeyDictionary[Any, _Process] = weakref.WeakKeyDictionary()
_exited: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()  # execution -> its main thread


def _process() -> _Process:
    h = context.hooks("concurrent.futures")
    found = _processes.get(h)
    if found is None:
        found = _processes[h] = _Process()
        main = _exited.get(h)
        if main is not None:  # the main thread's code ended before anything used futures
            main._touch(READ, "finished")
            found._exiting = True
    return found


def interpreter_exit() -> None:
    """CPython's ``_python_exit``, run by the main thread when the scenario returns."""
    h = context.hooks()
    process = _processes.get(h)
    if process is None:
        _exited[h] = h.current_thread()  # a later first use sees it, and reads the main thread's end
    elif point():
        process._exiting = True
        process._touch("exiting", WRITE, True)
        for worker in process._daemons:
            worker.join()

class ThreadPoolExecutor(Primitive):
    """``concurrent.futures.ThreadPoolExecutor`` (see the module docstring)."""

    def __init__(self, max_workers: int | None = None, thread_name_prefix: str = "",
                 initializer: Callable[..., Any] | None = None, initargs: tuple = ()) -> None:
        if max_workers is None:
            max_workers = min(32, 1 + 4)  # CPython's formula with a CPU count of 1
        if max_workers <= 0:
            raise ValueError("max_workers must be greater than 0")
        if initializer is not None:
            raise ModelError("ThreadPoolExecutor(initializer=...) is not supported in unmodified models yet",
                             where=context.model_location(), hint="call it at the start of the submitted function")
        process = _process()
        if not thread_name_prefix:  # CPython's class-wide counter
            if process._id >= 0:
                point()
            thread_name_prefix = f"ThreadPoolExecutor-{process._named}"
            process._named += 1
            process._touch("executors", WRITE, process._named)
        self._register("executor", name=_name("executor"))
        self._max_workers, self._prefix = max_workers, thread_name_prefix
        self._work: list[Future] = []  # the work queue: each future carries its call (CPython's _WorkItem)
        self._idle, self._threads, self._shutdown = 0, [], False

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        if not point():
            raise context.ThreadAbandoned()
        process = _process()
        self._touch("state", READ, self._shutdown)
        process._touch("exiting", READ, process._exiting)
        if self._shutdown or process._exiting:
            raise RuntimeError("cannot schedule new futures after " + ("interpreter " * (not self._shutdown))
                               + "shutdown")
        f = Future()
        f._call = (fn, args, kwargs)
        _share((fn, args, tuple(kwargs.values())))  # (the dict itself stays the worker's)
        self._work.append(f)
        self._touch("work", WRITE, len(self._work))
        if self._idle > 0:  # CPython's _adjust_thread_count: an idle worker will take it
            self._idle -= 1
            self._touch("idle", WRITE, self._idle)
            return f
        self._touch("idle", READ, self._idle)
        n = len(self._threads)
        self._touch("threads", WRITE if n < self._max_workers else READ, n)
        if n < self._max_workers:
            worker = _Worker(self, f"{self._prefix}_{n}")
            _thread_steps.Thread.start(worker)
            self._threads.append(worker)
            if worker.daemon:
                process._daemons.append(worker)
        return f

    @entry
    def map(self, fn: Callable[..., Any], *iterables: Any, timeout: float | None = None,
            chunksize: int = 1) -> Any:
        end_time = None if timeout is None else timeout + monotonic()
        arguments = call_model(zip, iterables, {})  # traced: reading the model's iterables is seen
        fs = []
        while (args := call_model(next, (arguments, _END), {})) is not _END:
            fs.append(self.submit(fn, *args))
        return _results(fs, end_time)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if not point():
            return
        self._shutdown = True
        self._touch("state", WRITE, True)
        if cancel_futures:
            drained, self._work = self._work, []
            self._touch("work", WRITE, 0)
            for f in drained:
                f._cancel()
        if wait:
            self._touch("threads", READ, len(self._threads))
            for t in list(self._threads):
                t.join()

    def __enter__(self) -> ThreadPoolExecutor:
        return self

    def __exit__(self, *exc: object) -> bool:
        self.shutdown(wait=True)
        return False


class _TakeWork(BlockingOp):
    """A worker's ``work_queue.get()``: the next item, or None once the
    executor is shut down (or the interpreter exits) and no work is left
    (CPython's ``None`` sentinel comes after the queued items)."""

    def __init__(self, pool: ThreadPoolExecutor) -> None:
        super().__init__()
        self.pool, self.process = pool, _process()

    def ready(self) -> bool:
        return bool(self.pool._work) or self.pool._shutdown or self.process._exiting

    def perform(self, alt: int) -> Any:
        pool = self.pool
        if pool._work:  # (whether it was shut down does not matter then)
            item = pool._work.pop(0)
            pool._touch("work", WRITE, len(pool._work))
            return item
        pool._touch("work", READ, 0)
        pool._touch("state", READ, pool._shutdown)
        self.process._touch("exiting", READ, self.process._exiting)
        if not pool._shutdown:  # the interpreter exits: CPython marks the executor shut down
            pool._shutdown = True
            pool._touch("state", WRITE, True)
        return None

    def describe(self) -> str:
        return f"{self.pool._label}: wait for work"

    def waiting_for(self) -> str:
        return f"waits for work from {self.pool._label}"

    def resource(self) -> str:
        return f"work queue of {self.pool._label}"


class _Worker(threading_module.Thread):
    """A pool's worker thread: CPython's ``_worker`` loop."""

    def __init__(self, pool: ThreadPoolExecutor, name: str) -> None:
        super().__init__(name=name)
        self._pool = pool

    @entry
    def run(self) -> None:
        pool = self._pool
        while (future := block(_TakeWork, pool)) is not None:
            if future._start():  # set_running_or_notify_cancel, in the step that took the item
                try:
                    result = call_model(*future._call)
                except (context.ThreadAbandoned, ModelError, Discarded):
                    raise
                except BaseException as exc:
                    if point():
                        future._finish(None, exc)
                else:
                    if point():
                        future._finish(result, None)
            elif not point():
                return
            pool._idle += 1  # the idle semaphore's release
            pool._touch("idle", WRITE, pool._idle)


def _results(fs: list[Future], end_time: float | None) -> Any:
    """``Executor.map``'s result iterator (CPython's, ``_result_or_cancel`` inlined)."""
    try:
        fs.reverse()
        while fs:
            f = fs.pop()
            try:
                yield f.result(None if end_time is None else end_time - monotonic())
            finally:
                f.cancel()
    finally:
        for f in fs:
            f.cancel()


@entry
def _distinct(fs: Any) -> list[Future]:
    """The futures of ``fs`` once each, in order (reading ``fs`` is traced)."""
    fs = list(dict.fromkeys(call_model(list, (fs,), {})))
    if not point():
        raise context.ThreadAbandoned()
    for f in fs:
        f._touch_state(READ)
    return fs


def wait(fs: Any, timeout: float | None = None, return_when: str = ALL_COMPLETED) -> Any:
    fs = _distinct(fs)
    done = set(filter(_completed, fs))
    if not (return_when == FIRST_COMPLETED and done or return_when == FIRST_EXCEPTION and any(map(_raised, done))
            or len(done) == len(fs)):
        if return_when not in (FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED):
            raise ValueError(f"Invalid return condition: {return_when!r}")
        block(_Until, fs, _ENOUGH[return_when], timeout, f"wait({', '.join(f._label for f in fs)})")
        done = set(filter(_completed, fs))
    return _real_base.DoneAndNotDoneFutures(done, set(fs) - done)


def as_completed(fs: Any, timeout: float | None = None) -> Any:
    """CPython's generator: the futures already completed, then each as it completes."""
    end_time = None if timeout is None else timeout + monotonic()
    fs = _distinct(fs)
    pending = [f for f in fs if not _completed(f)]
    yield from list(filter(_completed, fs))
    while pending:
        wait_timeout = None if end_time is None else end_time - monotonic()
        if wait_timeout is None or wait_timeout >= 0:
            block(_Until, pending, _ENOUGH[FIRST_COMPLETED], wait_timeout,
                  f"as_completed({', '.join(f._label for f in pending)})")
            finished = sorted(filter(_completed, pending), key=lambda f: f._stamp)
        if wait_timeout is not None and (wait_timeout < 0 or not finished):
            raise TimeoutError(f"{len(pending)} (of {len(fs)}) futures unfinished")
        for f in finished:
            pending.remove(f)
            yield f


_NAMES = {"ThreadPoolExecutor": ThreadPoolExecutor, "Future": Future, "wait": wait, "as_completed": as_completed,
          "FIRST_COMPLETED": FIRST_COMPLETED, "FIRST_EXCEPTION": FIRST_EXCEPTION, "ALL_COMPLETED": ALL_COMPLETED,
          "CancelledError": _real.CancelledError, "TimeoutError": TimeoutError,
          "InvalidStateError": _real.InvalidStateError, "BrokenExecutor": _real.BrokenExecutor}


def modules() -> dict[str, ModuleType]:
    """Fresh ``concurrent``, ``concurrent.futures`` and ``concurrent.futures.thread`` modules, by name."""
    futures = counterpart_module("concurrent.futures", _NAMES)
    futures.thread = counterpart_module("concurrent.futures.thread", {  # type: ignore[attr-defined]
        "ThreadPoolExecutor": ThreadPoolExecutor, "BrokenThreadPool": _real_thread.BrokenThreadPool})
    package = ModuleType("concurrent", "checker's counterparts of concurrent (unmodified models)")
    package.futures, package.__path__ = futures, []  # type: ignore[attr-defined]
    return {"concurrent": package, "concurrent.futures": futures, "concurrent.futures.thread": futures.thread}
