"""What ``Execution`` adds for unmodified code (``program.unmodified``).

A scenario loaded from a model file of unmodified ``threading`` code
carries its front end in ``scenario.front``.  Its threads'
bodies are ``ThreadSteps`` (``runtime.real_steps``) instead of
generators; this mixin gives the execution the two hooks they use:

* ``parking(op)`` -- where the running model thread parks for a
  scheduling point (see ``Hooks.parking``): the step ends there;
* ``identify(obj, label)`` -- the creation index of an object the tracer
  met, registered (with ``Execution.register``) the first time.

It also keeps the execution's bodies: the ones still parked when the
execution is dropped (a deadlock, a failure, a search that stopped it)
are abandoned before the next execution starts, so no OS thread is left
behind.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from types import FrameType
from typing import Any

from ..errors import ModelError
from ..program import context
from ..program.operation import Operation
from ..program.scenario import Scenario
from .real_steps import ThreadSteps, abandon_later, close_abandoned
from .thread_run import ThreadRun
from .trace import unique_label


class CodeThreads:
    """Mixed into ``Execution``; ``setup_code_threads`` runs in its ``__init__``."""

    runs: list[ThreadRun]
    _current: ThreadRun | None

    def setup_code_threads(self, scenario: Scenario) -> None:
        self.front: Any = scenario.front
        self.sharing: Any = self.front.sharing() if self.front is not None else None  # program.unmodified.sharing
        self._bodies: list[ThreadSteps] = []
        self._identified: dict[int, tuple[int, str, bool]] = {}  # id -> index, label, label provisional
        if self.front is not None:
            close_abandoned()  # the bodies earlier executions left parked
            weakref.finalize(self, abandon_later, self._bodies)

    def adopt(self, run: ThreadRun) -> None:
        """``run`` just got its body (its first step)."""
        if isinstance(run.gen, ThreadSteps):
            self._bodies.append(run.gen)

    def parking(self, op: Operation | None) -> Callable[[Operation | None, FrameType | None], Any] | None:
        """Where the running model thread parks for ``op`` (see ``Hooks.parking``)."""
        run = self._current
        if run is None or not isinstance(run.gen, ThreadSteps):
            raise ModelError("a blocking call of unmodified code outside its model thread",
                             where=context.model_location())
        if op is None and all(r.finished for r in self.runs if r is not run):
            return None  # nobody else can run: not a scheduling point
        return run.gen.park

    def identify(self, obj: object, label: str, exact: bool = False, provisional: bool = False) -> tuple[int, str]:
        own = getattr(obj, "_id", None)
        if isinstance(own, int) and getattr(type(obj), "_checker_object", False):
            return own, obj._label  # type: ignore[attr-defined]
        found = self._identified.get(id(obj))
        if found is None:
            index, given = self.register(obj, label, exact)  # type: ignore[attr-defined]
            found = self._identified[id(obj)] = (index, given, provisional)
        elif found[2] and not provisional:  # registered when shared, under its class's name: name it now
            given = found[1] if label == found[1].split("#")[0] else unique_label(label, self._labels)  # type: ignore[attr-defined]
            found = self._identified[id(obj)] = (found[0], given, False)
        return found[0], found[1]
