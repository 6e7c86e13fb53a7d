"""Command line settings of the exploration strategies.

Each strategy lists its settings as ``Option``s (``checker.explore.strategy``);
this module turns them into flags (``--runs``, ``--seed``, ``--depth``,
``--preemptions``; a name two strategies share is one flag) and the parsed
flags back into a configured strategy, refusing a flag the chosen strategy
does not take.  ``--runs`` also sets the number of real-thread runs of
``--real-threads`` (default 100), which is why its default is left to each
use.
"""

from __future__ import annotations

import argparse
from typing import Any

from ..errors import UsageError
from ..explore import STRATEGIES, Strategy
from ..explore.strategy import Option

AUTO = "auto"
REAL_RUNS = 100  # --real-threads without --runs


def strategy_help() -> str:
    """The ``--strategy`` help: each strategy's ``summary``."""
    return ("auto (default): DPOR, or state caching for models that loop; with --max-executions or --max-time, "
            "DPOR for a share of the budget, then bounded search; ") + "; ".join(
        f"{name}: {cls.summary}" for name, cls in STRATEGIES.items()
    )


def _options() -> dict[str, tuple[Option, list[str]]]:
    """Every strategy option by name, with the strategies that take it."""
    found: dict[str, tuple[Option, list[str]]] = {}
    for name, cls in STRATEGIES.items():
        for option in cls.options:
            found.setdefault(option.name, (option, []))[1].append(name)
    return found


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--strategy", choices=[AUTO, *STRATEGIES], default=AUTO, help=strategy_help())
    for name, (option, users) in _options().items():
        default = f" (default {option.default})" if option.default is not None else ""
        extra = f"; with --real-threads, real runs per scenario (default {REAL_RUNS})" if name == "runs" else ""
        p.add_argument(option.flag, dest=f"strategy_{name}", type=option.type, default=None, metavar="N",
                       help=f"{', '.join(users)}: {option.help.split(': ', 1)[-1]}{default}{extra}")


def real_runs(args: argparse.Namespace) -> int:
    runs = getattr(args, "strategy_runs", None)
    return REAL_RUNS if runs is None else runs


def build(args: argparse.Namespace) -> str | Strategy:
    """``args.strategy`` configured by its flags: the name itself when no
    flag was given (the strategy's defaults), else an instance.  A flag the
    strategy does not take is a ``UsageError``."""
    given: dict[str, Any] = {
        name: getattr(args, f"strategy_{name}") for name in _options()
        if getattr(args, f"strategy_{name}", None) is not None
    }
    if args.strategy == AUTO or args.strategy not in STRATEGIES:
        takes: set[str] = set()
    else:
        takes = {o.name for o in STRATEGIES[args.strategy].options}
    wrong = [name for name in given if name not in takes and not (name == "runs" and args.real_threads)]
    if wrong:
        option, users = _options()[wrong[0]]
        raise UsageError(f"{option.flag} is a setting of --strategy {' or '.join(users)}, not of {args.strategy}",
                         hint=f"add --strategy {users[0]}, or drop {option.flag}")
    settings = {k: v for k, v in given.items() if k in takes}
    if not settings:
        return args.strategy
    try:
        return STRATEGIES[args.strategy](**settings)
    except ValueError as exc:
        raise UsageError(f"--strategy {args.strategy}: {exc}") from None
