"""Command-line parameter values (``--param NAME=VALUE`` and node ids
``file.py::scenario[NAME=VALUE,...]``), typed by the scenario's default.

* a ``str`` default takes the text as it is;
* ``bool``, ``int`` and ``float`` defaults are converted by the scenario
  (``Scenario.bind``: ``true``/``false``, ``3``, ``0.5``);
* any other default (tuple, list, dict, set, None, ...) takes a Python
  literal (``ast.literal_eval``: ``(1, 2)``, ``[3]``, ``None``) of the same
  type as the default (any literal when the default is None).

A value that does not fit is a ``UsageError`` naming the scenario, its
``file:line`` and an example of what fits.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import Any

from ..errors import UsageError
from ..program.scenario import Scenario

_CONVERTED_BY_BIND = (str, bool, int, float)


def parse_assignments(items: list[str], option: str = "--param") -> dict[str, str]:
    """``["times=3", "items=(1, 2)"]`` -> ``{"times": "3", "items": "(1, 2)"}``."""
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"{option} {item!r} is not NAME=VALUE", hint="e.g. --param times=3")
        out[key.strip()] = value.strip()
    return out


def typed(sc: Scenario, raw: Mapping[str, str]) -> dict[str, Any]:
    """The overrides in ``raw`` as values of each default's type; raises
    ``UsageError`` for an unknown name or a value that does not fit."""
    out: dict[str, Any] = {}
    for key, text in raw.items():
        if key not in sc.params:
            sc.bind({key: text})  # raises: names the scenario's parameters
        default = sc.params[key]
        out[key] = text if isinstance(default, _CONVERTED_BY_BIND) else literal(sc, key, text, default)
    sc.bind(out)  # bool/int/float conversion errors surface here, before anything runs
    return out


def literal(sc: Scenario, key: str, text: str, default: Any) -> Any:
    kind = type(default).__name__
    example = f"--param {key}={default!r}"
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        raise UsageError(
            f"parameter {key} of scenario {sc.name} expects a Python literal ({kind} like its default "
            f"{default!r}), got {text!r}",
            where=f"{sc.file}:{sc.line}", hint=f"e.g. {example} (quote it for the shell)",
        ) from None
    if default is not None and type(value) is not type(default):
        one = f"; a one-item tuple is written ({text},)" if isinstance(default, tuple) else ""
        raise UsageError(
            f"parameter {key} of scenario {sc.name} expects a {kind} like its default {default!r}, "
            f"got {type(value).__name__} {value!r}{one}",
            where=f"{sc.file}:{sc.line}", hint=f"e.g. {example} (quote it for the shell)",
        )
    return value


def command_text(value: Any) -> str:
    """How a parameter value is written back on a command line (the inverse
    of ``typed``): strings as they are, anything else as its repr."""
    return value if isinstance(value, str) else repr(value)
