"""Scenarios: the ``@scenario`` decorator, parameters, expectations, and the
``invariant``/``final`` property declarations.

A scenario's body is the main thread.  It may be a generator function (it can
then ``yield t.join()``) or a plain function (it runs as one step).  Every
parameter needs a default; ``--param times=3`` or ``check(..., params=...)``
overrides it.  Definitions are validated when the model file is loaded.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field, replace
from typing import Any
from collections.abc import Callable, Mapping

from ..errors import ModelError, UsageError
from . import context

#: Verdicts a scenario can be expected to reach.  "violation" accepts any
#: property failure; the others accept only that kind.
EXPECTATIONS = ("safe", "violation", "assertion", "exception", "deadlock", "invariant")
TIMINGS = ("ideal", "any-delay")
#: Memory models of unmodified code (``program.unmodified.free_threading``); "both" checks under each.
SEMANTICS = ("gil", "free-threading")
BOTH = "both"


@dataclass(frozen=True)
class Scenario:
    func: Callable[..., Any]
    name: str
    expect: Mapping[str, str]  # timing mode or semantics -> expectation
    params: Mapping[str, Any]  # name -> default
    doc: str
    file: str
    line: int
    timing: str = "ideal"
    extra: Mapping[str, Any] = field(default_factory=dict)
    step_timeout: float | None = None  # seconds one step may run (None: the checker's default)
    #: For a model file of unmodified code, its front end (``program.unmodified.loader.Front``): the
    #: runtime runs the threads' bodies through it.  None for step programs.
    front: Any = None
    #: Memory model when the caller does not choose one (unmodified code only): SEMANTICS or BOTH.
    semantics: str = "gil"

    def expectation(self, timing: str, semantics: str | None = None) -> str:
        """What the scenario is expected to reach: ``expect`` for the
        semantics, else for the timing mode, else for "*"."""
        if semantics is not None and semantics in self.expect:
            return self.expect[semantics]
        return self.expect.get(timing, self.expect.get("*", "safe"))

    def under(self, semantics: str) -> Scenario:
        """This scenario under memory model ``semantics`` (one of
        SEMANTICS); a step program says its steps itself: unchanged."""
        if semantics not in SEMANTICS:
            raise UsageError(f"unknown semantics {semantics!r}", hint=f"use one of: {', '.join(SEMANTICS)}, {BOTH}")
        if self.front is None or self.front.semantics == semantics:
            return self
        return replace(self, front=self.front.under(semantics), semantics=semantics)

    def bind(self, overrides: Mapping[str, Any]) -> dict[str, Any]:
        """Defaults updated with ``overrides`` (strings are converted to the
        default's type, as they come from the command line)."""
        values = dict(self.params)
        for key, raw in overrides.items():
            if key not in self.params:
                known = ", ".join(self.params) or "none"
                raise UsageError(
                    f"scenario {self.name} has no parameter {key!r} (its parameters: {known})",
                    where=f"{self.file}:{self.line}",
                )
            values[key] = convert_param(self, key, raw)
        return values

    def title(self, params: Mapping[str, Any] | None = None) -> str:
        shown = params if params is not None else self.params
        args = ", ".join(f"{k}={v!r}" for k, v in shown.items())
        return f"{self.name}({args})"

    @property
    def is_generator(self) -> bool:
        return inspect.isgeneratorfunction(self.func)


def convert_param(sc: Scenario, key: str, raw: Any) -> Any:
    default = sc.params[key]
    if not isinstance(raw, str) or isinstance(default, str):
        return raw
    try:
        if isinstance(default, bool):
            if raw.lower() in ("1", "true", "yes", "on"):
                return True
            if raw.lower() in ("0", "false", "no", "off"):
                return False
            raise ValueError(raw)
        if isinstance(default, (int, float)):
            return type(default)(raw)
    except ValueError:
        raise UsageError(
            f"parameter {key} of scenario {sc.name} expects {type(default).__name__}, got {raw!r}",
            where=f"{sc.file}:{sc.line}",
        ) from None
    return raw


def scenario(
    func: Callable[..., Any] | None = None,
    *,
    expect: str | Mapping[str, str] = "safe",
    name: str | None = None,
    timing: str = "ideal",
    step_timeout: float | None = None,
    semantics: str = "gil",
) -> Any:
    """Declare a scenario.  Use as ``@scenario`` or ``@scenario(expect=...)``.

    ``expect`` is one of ``EXPECTATIONS``, or a dict mapping timing modes
    (``"ideal"``, ``"any-delay"``), memory models (``"gil"``,
    ``"free-threading"``) or ``"*"`` (the rest) to one.  ``timing`` is
    the mode used when the caller does not choose one, ``semantics`` the
    memory model of unmodified code ("gil", "free-threading" or "both").  ``step_timeout``:
    seconds one step may run before it is stopped as stuck (default 5; 0
    turns the budget off).
    """

    def wrap(fn: Callable[..., Any]) -> Scenario:
        return make_scenario(fn, expect=expect, name=name, timing=timing, step_timeout=step_timeout,
                             semantics=semantics)

    return wrap(func) if func is not None else wrap


def make_scenario(
    fn: Callable[..., Any], *, expect: Any, name: str | None, timing: str, step_timeout: float | None = None,
    semantics: str = "gil",
) -> Scenario:
    code = fn.__code__
    where = f"{code.co_filename}:{code.co_firstlineno}"
    expect_map = dict(expect) if isinstance(expect, Mapping) else {"*": expect}
    for mode, value in expect_map.items():
        if mode not in TIMINGS + SEMANTICS + ("*",):
            raise ModelError(f"unknown timing mode or semantics {mode!r} in expect=", where=where,
                             hint=f"use one of {TIMINGS + SEMANTICS}")
        if value not in EXPECTATIONS:
            raise ModelError(
                f"unknown expectation {value!r} for scenario {fn.__name__}",
                where=where,
                hint=f"expect one of: {', '.join(EXPECTATIONS)}",
            )
    if timing not in TIMINGS:
        raise ModelError(f"unknown timing mode {timing!r}", where=where, hint=f"use one of {TIMINGS}")
    if semantics not in SEMANTICS + (BOTH,):
        raise ModelError(f"unknown semantics {semantics!r}", where=where, hint=f"use one of {SEMANTICS + (BOTH,)}")
    if step_timeout is not None and (isinstance(step_timeout, bool) or not isinstance(step_timeout, (int, float))
                                     or step_timeout < 0):
        raise ModelError(f"step_timeout must be a number of seconds >= 0, got {step_timeout!r}", where=where)
    params: dict[str, Any] = {}
    for p in inspect.signature(fn).parameters.values():
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) or p.default is p.empty:
            raise ModelError(
                f"parameter {p.name!r} of scenario {fn.__name__} needs a default value",
                where=where,
                hint=f"write e.g. `def {fn.__name__}({p.name}=2):` so the scenario runs without arguments",
            )
        params[p.name] = p.default
    return Scenario(
        func=fn,
        name=name or fn.__name__,
        expect=expect_map,
        params=params,
        doc=inspect.getdoc(fn) or "",
        file=code.co_filename,
        line=code.co_firstlineno,
        timing=timing,
        step_timeout=step_timeout,
        semantics=semantics,
    )


def invariant(predicate: Callable[[], Any], message: str | None = None) -> None:
    """Check ``predicate()`` after every step of this execution (call it from
    the scenario body).  A false result or an exception is a violation."""
    context.hooks("invariant()").add_check("invariant", predicate, message or _describe(predicate))


def final(predicate: Callable[[], Any], message: str | None = None) -> None:
    """Check ``predicate()`` once every thread has finished."""
    context.hooks("final()").add_check("final", predicate, message or _describe(predicate))


def _describe(fn: Callable[..., Any]) -> str:
    code = getattr(fn, "__code__", None)
    if code is None:
        return repr(fn)
    import linecache

    line = linecache.getline(code.co_filename, code.co_firstlineno).strip()
    return line or fn.__qualname__
