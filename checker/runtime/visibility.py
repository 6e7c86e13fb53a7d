"""The execution's guard against changes no footprint shows.

``Visibility`` owns one execution's ``Watch`` (plain objects other threads
can reach) and ``ModuleVariables`` (module-level names the threads' code
can reach), and turns a change to either into a ``ModelError`` with the
line that made it (found by ``runtime.locate``).  ``Execution`` calls it at
three points: when a value escapes to other threads, when a thread starts,
and after each step / at the end of the execution.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import ModelError
from ..program import context
from ..program.shared import needs_watch
from .locate import choices_of, locate_change
from .schedule import Choice
from .watch import ModuleVariables, Watch, changed_error, handed_over


class Visibility:
    """See the module docstring.  ``replay`` makes a fresh execution of the
    same scenario for locating a change, or is None inside such a replay
    (a replay never locates again)."""

    __slots__ = ("watch", "module_vars", "replay")

    def __init__(self, replay: Callable[[], Any] | None):
        self.watch = Watch()
        self.module_vars = ModuleVariables()
        self.replay = replay

    def escape(self, value: Any, how: str, thread: str) -> None:
        """``value`` became reachable by other threads through ``how``."""
        self.watch.add(value, how, thread, context.model_location())

    def thread_started(self, thread: Any, creator: str, scenario_func: Any) -> None:
        """Watch what ``Thread.start()`` hands the new thread, and the
        module-level variables its code (and the scenario's) can name."""
        where = context.model_location()
        for value, how in handed_over(thread):
            if needs_watch(value):
                self.watch.add(value, how, creator, where)
                self.watch.add(value, how, thread.name, where)
        self.module_vars.add(thread._target if thread._target is not None else type(thread).run, where)
        self.module_vars.add(scenario_func, where)

    def after_step(self, trace: Any, choice: Choice, thread: str, fallback: str) -> None:
        """Raise if the step just run (``choice``, already in ``trace`` or
        not) changed a watched object in place."""
        if not self.watch.entries:
            return
        entry = self.watch.first_changed()
        if entry is not None:
            where = self._locate(choices_of(trace) + [choice], lambda ex: ex._visibility.watch.first_changed())
            raise changed_error(entry, thread, where or fallback)

    def at_end(self, trace: Any, scenario: str) -> None:
        """Raise if a module-level variable changed while threads ran."""
        if not self.module_vars.saved:
            return
        changed = self.module_vars.changed()
        if not changed:
            return
        name, defined, who = changed[0]
        where = self._locate(choices_of(trace), lambda ex: ex._visibility.module_vars.changed()) or defined
        raise ModelError(
            f"module-level variable {name} changed while the threads of scenario {scenario} ran "
            f"(code reachable from {who} uses it); no footprint shows module-level variables, so the checker "
            "would treat the steps that use it as independent",
            where=where,
            hint="create shared state inside the scenario and keep it in Shared objects (or SharedDict); "
            "module level is for definitions and constants",
        )

    def _locate(self, schedule: list[Choice], changed: Callable[[Any], Any]) -> str | None:
        if self.replay is None:
            return None
        return locate_change(self.replay, schedule, lambda ex: bool(changed(ex)))
