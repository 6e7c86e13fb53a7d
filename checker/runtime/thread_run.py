"""``ThreadRun``: the runtime's record of one started model thread."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..errors import ModelError
from ..program.scenario import Scenario
from ..program.thread import Thread

START: Any = object()  # pending marker: the thread's first step has not run


class ThreadRun:
    """A started thread: its generator and what it waits to do next
    (``pending``: an operation, None after a bare ``yield``, or ``START``)."""

    __slots__ = ("thread", "index", "gen", "pending", "finished", "file", "line")

    def __init__(self, thread: Thread, index: int):
        self.thread = thread
        self.index = index
        self.gen: Any = None
        self.pending: Any = START
        self.finished = False
        self.file = ""
        self.line: int | None = None


def body_as_steps(func: Callable[..., Any], params: Mapping[str, Any]):
    """A plain-function scenario body as a one-step program."""
    func(**params)
    return
    yield  # pragma: no cover - makes this a generator


def make_generator(run: ThreadRun, scenario: Scenario, params: Mapping[str, Any]) -> Any:
    """The generator a thread's first step starts: the scenario body's for
    the main thread (index 0), the thread's ``run()`` otherwise.  For
    unmodified code (``scenario.front``) a ``ThreadSteps``
    that runs the same body on its own OS thread."""
    front = scenario.front
    if front is not None:
        from .real_steps import ThreadSteps

        if run.index == 0:
            return ThreadSteps(front.main_body(scenario.name, params), scenario.func.__code__, front.tracer(),
                               "MainThread")
        target = run.thread._target if run.thread._target is not None else type(run.thread).run
        return ThreadSteps(run.thread.run, getattr(target, "__code__", None), front.tracer(), run.thread.name)
    if run.index == 0:
        if scenario.is_generator:
            return scenario.func(**params)
        return body_as_steps(scenario.func, params)
    gen = run.thread.run()
    if not hasattr(gen, "send"):
        raise ModelError(
            f"thread {run.thread.name}'s body did not return a generator",
            hint="a thread's target (or run method) must contain `yield`",
        )
    return gen
