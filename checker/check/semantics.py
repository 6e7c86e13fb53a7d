"""Which memory model a check of unmodified code runs under.

``check(..., semantics=...)`` takes "gil", "free-threading" (see
``program.unmodified.free_threading``) or "both"; None means the
scenario's own (``@scenario(semantics=...)``, "gil" unless declared).  A
step program says where its steps are itself, so the memory model does not
apply to it: it runs once, and its ``Result.semantics`` is None.

"both" checks under the GIL, then under free-threading, and returns the
free-threading ``Result`` with the GIL's as ``under_gil``: every
interleaving under the GIL is one under free-threading (the finer model
only adds scheduling points), so the free-threading verdict is the
stricter one, and ``Result.gil_only`` says the code is safe only because of
the GIL.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import UsageError
from ..program.scenario import BOTH, SEMANTICS, Scenario
from .result import Result


def chosen(scenario: Scenario, semantics: str | None) -> str:
    """The memory model asked for (validated), or the scenario's own."""
    semantics = semantics or scenario.semantics
    if semantics not in SEMANTICS + (BOTH,):
        raise UsageError(f"unknown semantics {semantics!r}", hint=f"use one of: {', '.join(SEMANTICS + (BOTH,))}")
    return semantics


def check_both(check: Callable[..., Result], scenario: Scenario, arguments: dict[str, Any]) -> Result:
    """``check`` under the GIL and under free-threading, as one ``Result``
    (module docstring)."""
    if arguments.get("replay") is not None:
        raise UsageError(f"scenario {scenario.name} is checked under both memory models, but a replay runs one "
                         "schedule under one", hint="give semantics (--semantics) gil or free-threading")
    gil = check(scenario, semantics="gil", **arguments)
    free = check(scenario, semantics="free-threading", **arguments)
    free.under_gil = gil
    return free
