"""``python -m checker``: run the scenarios of model files and report.

Exit codes: 0 when every scenario meets its expectation, 1 when one does not,
2 for usage or model errors (bad option, missing file, broken model,
nondeterminism), 3 for an internal error of the checker itself.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path
from collections.abc import Sequence

from ..check.checking import check
from ..check.result import Result
from ..errors import ModelError, UsageError
from ..explore import STRATEGIES
from ..program.model_file import ModelFile, load_model
from ..program.scenario import TIMINGS, Scenario
from . import json_report
from .report import format_replay, format_result
from .terminal import Progress, colourize

EXIT_OK, EXIT_UNEXPECTED, EXIT_ERROR, EXIT_INTERNAL = 0, 1, 2, 3


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m checker",
        description="Explore every interleaving of the scenarios in model files and check them.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="model file (.py) or folder of model files")
    p.add_argument("-k", dest="select", action="append", default=[], metavar="NAME",
                   help="run only scenarios whose name contains NAME (repeatable)")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="override a scenario parameter, e.g. --param times=3 (repeatable)")
    p.add_argument("--timing", choices=TIMINGS, default=None,
                   help="ideal: threads run before time advances (default); any-delay: timeouts may fire any time")
    p.add_argument("--strategy", choices=["auto", *sorted(STRATEGIES)], default="auto",
                   help="auto (default): DPOR, or state caching for models that loop; dpor; cached; "
                   "dfs (brute force, every interleaving)")
    p.add_argument("--all-outcomes", action="store_true",
                   help="explore everything, even after a violation, and list every distinct outcome")
    p.add_argument("--replay", metavar="SCHEDULE", help="run one schedule (as printed with a counterexample)")
    p.add_argument("--max-executions", type=int, default=None, metavar="N", help="stop after N executions")
    p.add_argument("--max-steps", type=int, default=10_000, metavar="N",
                   help="cut executions longer than N steps (default 10000)")
    p.add_argument("--step-timeout", type=float, default=None, metavar="SECONDS",
                   help="stop with an error when one step runs longer (default: the scenario's step_timeout, "
                   "else 5; 0 turns it off)")
    p.add_argument("--out", default="checker-out", metavar="DIR",
                   help="folder for graphs: DIR/<model>/<scenario>.svg (default checker-out)")
    p.add_argument("--format", dest="formats", action="append", choices=("svg", "png", "dot"), default=None,
                   help="graph format (repeatable; default svg)")
    p.add_argument("--graph", choices=("trace", "states", "none"), default="trace",
                   help="trace: draw each counterexample (default); states: also the state-space graph; "
                   "none: draw nothing")
    p.add_argument("--real-threads", action="store_true",
                   help="also run each scenario on real CPython threads and compare the outcomes with the "
                   "checker's (timing any-delay unless --timing is given)")
    p.add_argument("--runs", type=int, default=100, metavar="N", help="real-thread runs per scenario (default 100)")
    p.add_argument("--json", metavar="PATH", help="also write the results as JSON (schema: docs/json.md)")
    p.add_argument("--no-memory", action="store_true",
                   help="do not replay or remember failing schedules in .checker/")
    p.add_argument("-q", "--quiet", action="store_true", help="verdict lines only, no traces")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return run(args)
    except ModelError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # output piped into e.g. `head`: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_ERROR
    except Exception:
        print("internal error in checker (this is a bug in the checker, not in your model):", file=sys.stderr)
        traceback.print_exc()
        return EXIT_INTERNAL


def run(args: argparse.Namespace) -> int:
    params = parse_params(args.param)
    for name in ("max_executions", "max_steps", "runs"):
        value = getattr(args, name)
        if value is not None and value < 1:
            raise UsageError(f"--{name.replace('_', '-')} must be at least 1")
    if args.step_timeout is not None and args.step_timeout < 0:
        raise UsageError("--step-timeout must be a number of seconds >= 0")
    models = load_models(args.paths)
    selected = [(m, sc) for m in models for sc in m.scenarios if selected_by(sc, args.select)]
    if not selected:
        names = ", ".join(sc.name for m in models for sc in m.scenarios)
        raise UsageError(f"no scenario matches -k {' '.join(args.select)} (scenarios: {names})")
    unused = set(params) - {k for _, sc in selected for k in sc.params}
    if unused:
        raise UsageError(f"no selected scenario has parameter(s) {', '.join(sorted(unused))}")
    if args.replay is not None and len(selected) != 1:
        raise UsageError("--replay needs exactly one scenario: select it with -k NAME")
    results: list[tuple[ModelFile, Result]] = []
    unfaithful: list[str] = []
    current = None
    for model, sc in selected:
        if model is not current:
            print(str(model.path))
            current = model
        mine = {k: v for k, v in params.items() if k in sc.params}
        result = run_scenario(sc, mine, args)
        text = format_result(result, str(model.path), show_trace=not args.quiet and args.replay is None)
        print(colourize(text, sys.stdout))
        for line in draw(result, model, sc, mine, args):
            print(f"            {line}")
        results.append((model, result))
        if args.real_threads and not compare_real(sc, mine, args):
            unfaithful.append(sc.name)
    if args.json:
        written = json_report.write(args.json, [(str(m.path), r) for m, r in results])
        print(f"results written to {written}")
    code = summarize(results)
    if unfaithful:
        print(f"checker: real threads produced outcomes the checker did not predict in: {', '.join(unfaithful)}")
        code = max(code, EXIT_UNEXPECTED)
    return code


def run_scenario(sc: Scenario, params: dict[str, str], args: argparse.Namespace) -> Result:
    progress = Progress(sc.name)
    try:
        result = _check(sc, params, args, progress)
    finally:
        progress.close()
    if args.replay is not None:
        from ..check.checking import ScenarioSpace
        from ..explore.replay import run_schedule
        from ..runtime.schedule import decode

        ex = run_schedule(ScenarioSpace(sc, sc.bind(params), args.timing or sc.timing), decode(args.replay))
        print(format_replay(ex.trace))
    return result


def _check(sc: Scenario, params: dict[str, str], args: argparse.Namespace, progress: Progress) -> Result:
    return check(
        sc,
        params=params,
        timing=args.timing,
        strategy=args.strategy,
        all_outcomes=args.all_outcomes,
        max_executions=args.max_executions,
        max_steps=args.max_steps,
        replay=args.replay,
        memory=not args.no_memory,
        progress=progress,
        step_timeout=args.step_timeout,
    )


def compare_real(sc: Scenario, params: dict[str, str], args: argparse.Namespace) -> bool:
    """Run ``sc`` on real threads and print the comparison; True when every
    real outcome is among the checker's."""
    from ..check.fidelity import compare
    from .fidelity_report import format_fidelity

    fidelity = compare(
        sc, sc.bind(params), runs=args.runs, timing=args.timing or "any-delay",
        strategy=args.strategy, max_executions=args.max_executions, max_steps=args.max_steps,
    )
    print(format_fidelity(fidelity))
    return fidelity.ok


def draw(result: Result, model: ModelFile, sc: Scenario, params: dict[str, str], args: argparse.Namespace) -> list[str]:
    """Write the graphs asked for; return one line per file (or fallback)."""
    wanted_states = args.graph == "states"
    if args.graph == "none" or (result.counterexample is None and not wanted_states):
        return []
    from .graphs import write_result_graphs

    return write_result_graphs(
        result, str(model.path), out_dir=args.out, formats=tuple(args.formats or ("svg",)),
        state_graph=wanted_states, scenario_params=(sc, sc.bind(params)),
    )


def summarize(results: list[tuple[ModelFile, Result]]) -> int:
    unexpected = [r for _, r in results if not r.meets_expectation]
    print()
    print(
        f"checker: {len(results)} scenarios, {len(results) - len(unexpected)} as expected, "
        f"{len(unexpected)} not as expected"
    )
    return EXIT_UNEXPECTED if unexpected else EXIT_OK


def parse_params(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--param {item!r} is not NAME=VALUE", hint="e.g. --param times=3")
        out[key.strip()] = value.strip()
    return out


def selected_by(sc: Scenario, patterns: list[str]) -> bool:
    return not patterns or any(p in sc.name for p in patterns)


def load_models(paths: list[str]) -> list[ModelFile]:
    models = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = [load_model(f, require_scenarios=False) for f in sorted(path.glob("*.py"))]
            found = [m for m in found if m.scenarios]
            if not found:
                raise ModelError(f"folder {path} has no model files with scenarios")
            models.extend(found)
        else:
            models.append(load_model(path))
    return models
