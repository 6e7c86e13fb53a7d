"""``python -m checker``: run the scenarios of model files and report.

Exit codes (README.md and docs/ci.md have the table): 0 every scenario met
its expectation; 1 at least one did not, or real threads produced an
unpredicted outcome; 2 a usage or model error (bad option or output path,
missing file, broken model or scenario -- the other scenarios still run);
3 an internal error of the checker; 130 interrupted by Ctrl-C (the partial
result, JSON and graphs of what finished are still written).
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import traceback
from collections.abc import Sequence

from typing import Any, TextIO

from ..check.checking import ESTIMATE_SECONDS, Interrupted, check, estimate
from ..check.result import Result
from ..errors import ModelError, UsageError
from ..explore import DEFAULT_MAX_STEPS
from ..program.scenario import BOTH, SEMANTICS, TIMINGS, Scenario
from . import json_report, strategy_options
from .params import parse_assignments, typed
from .report import count, estimate_text, format_replay, format_result, summary_words
from .select import Broken, Selected, check_writable, select
from .terminal import Progress, colourize

EXIT_OK, EXIT_UNEXPECTED, EXIT_ERROR, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m checker",
        description="Explore every interleaving of the scenarios in model files and check them.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="model file (.py), folder of model files, or node id FILE.py::SCENARIO "
                   "(exactly that scenario; FILE.py::SCENARIO[NAME=VALUE,...] with parameters)")
    p.add_argument("-k", dest="select", action="append", default=[], metavar="NAME",
                   help="run only scenarios whose name contains NAME (repeatable; a substring, like pytest)")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="override a scenario parameter, e.g. --param times=3 (repeatable)")
    p.add_argument("--timing", choices=TIMINGS, default=None,
                   help="ideal: threads run before time advances (default); any-delay: timeouts may fire any time")
    p.add_argument("--semantics", choices=SEMANTICS + (BOTH,), default=None,
                   help="memory model of unmodified threading code: gil (each bytecode and builtin call atomic), "
                   "free-threading (3.13t: list scans and iteration element by element), or both (reports code "
                   "safe only under the GIL); default: each scenario's own, else gil")
    strategy_options.add_arguments(p)
    p.add_argument("--all-outcomes", action="store_true",
                   help="explore everything, even after a violation, and list every distinct outcome")
    p.add_argument("--replay", metavar="SCHEDULE", help="run one schedule (as printed with a counterexample)")
    p.add_argument("--max-executions", type=int, default=None, metavar="N",
                   help="stop each scenario after N executions (then: incomplete, not proven safe); under auto, "
                   "DPOR gets half unless its estimate says it finishes, bounded search the rest")
    p.add_argument("--max-time", type=float, default=None, metavar="SECONDS",
                   help="stop each scenario's search after SECONDS (then: incomplete, not proven safe); under "
                   "auto, DPOR gets half unless its estimate says it finishes, bounded search the rest")
    p.add_argument("--jobs", type=int, default=1, metavar="N",
                   help="run the search on N processes (default 1: this process): DPOR (auto without a budget), "
                   "or the runs of random, pct or pos split into ranges; the same verdict, counts, outcomes and "
                   "counterexample as one process")
    p.add_argument("--dask", metavar="ADDRESS",
                   help="run the search (as --jobs) on the Dask cluster whose scheduler is at ADDRESS "
                   "(tcp://host:8786; needs pip install '.[dask]'); --jobs N then keeps N units in flight "
                   "(default: its threads)")
    p.add_argument("--estimate", action="store_true",
                   help="do not check: size each scenario's exhaustive DPOR search by estimate (explores for "
                   f"--max-time seconds, default {ESTIMATE_SECONDS:g}, or --max-executions) and print "
                   "'≈ N executions, ≈ T s'")
    p.add_argument("--max-steps", type=int, default=DEFAULT_MAX_STEPS, metavar="N",
                   help=f"cut executions longer than N steps, a safety net: an execution that comes back to a "
                   f"state it was in is cut there as a loop (default {DEFAULT_MAX_STEPS})")
    p.add_argument("--step-timeout", type=float, default=None, metavar="SECONDS",
                   help="stop with an error when one step runs longer (default: the scenario's step_timeout, "
                   "else 5; 0 turns it off)")
    p.add_argument("--out", default="checker-out", metavar="DIR",
                   help="folder for graphs: DIR/<model path>/<scenario>.svg (default checker-out)")
    p.add_argument("--format", dest="formats", action="append", choices=("svg", "png", "dot"), default=None,
                   help="graph format (repeatable; default svg)")
    p.add_argument("--graph", choices=("trace", "states", "none"), default="trace",
                   help="trace: draw each counterexample (default); states: also the state-space graph; "
                   "none: draw nothing")
    p.add_argument("--real-threads", action="store_true",
                   help="also run each scenario on real CPython threads and compare the outcomes with the "
                   "checker's (timing any-delay unless --timing is given)")
    p.add_argument("--json", metavar="PATH",
                   help="also write the results as JSON (schema: docs/json.md); '-' writes them to stdout "
                   "and the text report to stderr")
    p.add_argument("--html", metavar="PATH",
                   help="also write one self-contained HTML report of the run: every scenario, trace tables, "
                   "graphs, replay commands, a step-through view of each counterexample")
    p.add_argument("--no-memory", action="store_true",
                   help="do not replay or remember failing schedules in .checker/")
    p.add_argument("-q", "--quiet", action="store_true", help="verdict lines only, no traces or replay listing")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    args.command = " ".join(["python", "-m", "checker", *map(shlex.quote, sys.argv[1:] if argv is None else argv)])
    try:
        return run(args)
    except ModelError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # output piped into e.g. `head`: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR
    except KeyboardInterrupt:  # before any scenario ran (while loading models)
        print("checker: interrupted (Ctrl-C) before any scenario was checked", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception:
        print("internal error in checker (this is a bug in the checker, not in your model):", file=sys.stderr)
        traceback.print_exc()
        return EXIT_INTERNAL


def validate(args: argparse.Namespace) -> None:
    """Every setting that can be wrong, before anything is explored."""
    for name in ("max_executions", "max_steps", "strategy_runs", "jobs"):
        value = getattr(args, name)
        if value is not None and value < 1:
            raise UsageError(f"--{name.replace('strategy_', '').replace('_', '-')} must be at least 1")
    if args.step_timeout is not None and args.step_timeout < 0:
        raise UsageError("--step-timeout must be a number of seconds >= 0")
    if args.max_time is not None and not args.max_time > 0:
        raise UsageError("--max-time must be a number of seconds > 0")
    args.configured = strategy_options.build(args)
    parallel = f"--jobs {args.jobs}" if args.jobs > 1 else "--dask" if args.dask else None
    if parallel and args.strategy not in ("auto", "dpor", "random", "pct", "pos"):
        raise UsageError(f"{parallel} runs DPOR or a sampling strategy in parallel; --strategy {args.strategy} "
                         "runs in one process",
                         hint=f"drop {parallel.split()[0]}, or use --strategy dpor, or random, pct or pos")
    if args.estimate:
        if args.strategy not in ("auto", "dpor"):
            raise UsageError(f"--estimate sizes the exhaustive DPOR search; --strategy {args.strategy} is not it",
                             hint="drop --strategy, or use --strategy dpor")
        for flag, given in (("--replay", args.replay is not None), ("--real-threads", args.real_threads),
                            ("--jobs", args.jobs > 1), ("--dask", args.dask is not None),
                            ("--json", args.json is not None), ("--html", args.html is not None)):
            if given:
                raise UsageError(f"{flag} cannot be used with --estimate (an estimate checks nothing)",
                                 hint=f"drop {flag}, or drop --estimate to check")
    if args.replay is not None:
        for flag, given in (("--strategy", args.strategy != "auto"), ("--all-outcomes", args.all_outcomes),
                            ("--real-threads", args.real_threads)):
            if given:
                raise UsageError(f"{flag} cannot be used with --replay (a replay runs exactly one schedule)",
                                 hint=f"drop {flag}, or drop --replay to explore")
        from ..runtime.schedule import decode

        decode(args.replay)  # a schedule that cannot be read is a usage error, before anything runs
    if args.json is not None and args.json != "-":
        check_writable(args.json, "--json", folder=False)
    if args.html is not None:
        if args.html == "-":
            raise UsageError("--html needs a file path", hint="e.g. --html report.html")
        check_writable(args.html, "--html", folder=False)
        if args.json is not None and os.path.abspath(args.json) == os.path.abspath(args.html):
            raise UsageError(f"--html and --json both name {args.html}", hint="give them different paths")
    if args.graph != "none":
        check_writable(args.out, "--out", folder=True)
    args.executor, args.threads = None, 1
    if args.dask is not None:
        from ..check.jobs import dask_executor

        args.executor, args.threads = dask_executor(args.dask)


def run(args: argparse.Namespace) -> int:
    validate(args)
    report: TextIO = sys.stderr if args.json == "-" else sys.stdout
    params = parse_assignments(args.param)
    chosen, broken = select(args.paths, args.select)
    if not chosen and not broken:
        raise UsageError(f"no scenario matches -k {' '.join(args.select)}",
                         hint="-k NAME selects scenarios whose name contains NAME")
    unused = set(params) - {k for s in chosen for k in s.scenario.params}
    if chosen and unused:
        raise UsageError(f"no selected scenario has parameter(s) {', '.join(sorted(unused))}")
    if args.replay is not None and len(chosen) != 1:
        raise UsageError(f"--replay needs exactly one scenario, {len(chosen)} are selected",
                         hint="name it with a node id, e.g. models/counter.py::locked")
    plan = [(s, typed(s.scenario, {**{k: v for k, v in params.items() if k in s.scenario.params},
                                   **s.node_params})) for s in chosen]  # bad values fail here, before exploring
    for b in broken:
        print(f"{b.model}\n     ERROR  could not load this model file: {b.message}", file=report)
    if args.estimate:
        return estimate_all(plan, broken, args, report)
    results: list[tuple[str, Result]] = []
    html = None
    if args.html is not None:
        from .html_report import HtmlReport

        html = HtmlReport(draw=args.graph != "none", command=getattr(args, "command", None))
    unfaithful: list[str] = []
    interrupted, partial = False, False  # partial: the last result is the interrupted scenario's
    current = None
    for sel, mine in plan:
        try:
            if sel.model is not current:
                print(str(sel.model.path), file=report, flush=True)
                current = sel.model
            try:
                result = run_scenario(sel.scenario, mine, args, report)
            except Interrupted as stop:
                result, interrupted, partial = stop.result, True, True
            except ModelError as exc:
                broken.append(Broken(str(sel.model.path), sel.scenario.name, str(exc)))
                print(f"     ERROR  {sel.scenario.name}: {exc}".replace("\n", "\n            "), file=report)
                continue
            results.append((str(sel.model.path), result))
            text = format_result(result, str(sel.model.path), show_trace=not args.quiet and args.replay is None)
            print(colourize(text, report), file=report)
            for line in draw(result, sel, mine, args):
                print(f"            {line}", file=report)
            if html is not None:
                html.add(str(sel.model.path), result)
            if interrupted:
                break
            if args.real_threads and not compare_real(sel.scenario, mine, args, report):
                unfaithful.append(sel.scenario.name)
        except KeyboardInterrupt:  # while reporting, drawing or comparing: keep what is done
            interrupted = True
            break
    if args.json:
        written = json_report.write(args.json, results, errors=broken, interrupted=interrupted)
        if written is not None:
            print(f"results written to {written}", file=report)
    html_failed = False
    if html is not None:
        try:
            print(f"HTML report written to {html.write(args.html, broken, interrupted, len(plan))}", file=report)
        except OSError as exc:
            print(f"error: the HTML report could not be written: {exc}", file=sys.stderr)
            html_failed = True
    code = summarize(results, broken, len(results) - partial if interrupted else None, len(plan), report)
    if html_failed:
        code = EXIT_ERROR
    if unfaithful:
        print(f"checker: real threads produced outcomes the checker did not predict in: {', '.join(unfaithful)}",
              file=report)
        code = max(code, EXIT_UNEXPECTED)
    return EXIT_INTERRUPTED if interrupted else code


def estimate_all(plan: list[tuple[Selected, dict[str, Any]]], broken: list[Broken], args: argparse.Namespace,
                 report: TextIO) -> int:
    """``--estimate``: one line per scenario, ``name(params): ≈ N
    executions, ≈ T s (...)``; exit 0, or 2 when something could not be
    estimated (a broken model), or 130 on Ctrl-C."""
    current = None
    for sel, mine in plan:
        if sel.model is not current:
            print(str(sel.model.path), file=report, flush=True)
            current = sel.model
        progress = Progress(sel.scenario.name)
        try:
            sized = estimate(sel.scenario, params=mine, timing=args.timing, semantics=args.semantics,
                             max_steps=args.max_steps,
                             step_timeout=args.step_timeout, max_time=args.max_time,
                             max_executions=args.max_executions, on_estimate=progress.estimated)
        except Interrupted:
            print(f"            {sel.scenario.name}: interrupted (Ctrl-C)", file=report)
            return EXIT_INTERRUPTED
        except ModelError as exc:
            broken.append(Broken(str(sel.model.path), sel.scenario.name, str(exc)))
            print(f"     ERROR  {sel.scenario.name}: {exc}".replace("\n", "\n            "), file=report)
            continue
        finally:
            progress.close()
        title = f"{sized.scenario}({', '.join(f'{k}={v!r}' for k, v in sized.params.items())})"
        loops = " (the model loops: auto would use state caching, not DPOR)" if sized.loops else ""
        print(f"            {title}: {estimate_text(sized)}{loops}", file=report)
    print(file=report)
    print(f"checker: {count(len(plan), 'scenario')} sized by estimate, nothing checked", file=report)
    return EXIT_ERROR if broken else EXIT_OK


def run_scenario(sc: Scenario, params: dict[str, Any], args: argparse.Namespace, report: TextIO) -> Result:
    progress = Progress(sc.name)
    try:
        result = check(
            sc, params=params, timing=args.timing, strategy=args.configured, all_outcomes=args.all_outcomes,
            max_executions=args.max_executions, max_steps=args.max_steps, replay=args.replay,
            memory=not args.no_memory, progress=progress, step_timeout=args.step_timeout, max_time=args.max_time,
            on_estimate=progress.estimated, jobs=args.jobs if args.executor is None or args.jobs > 1 else args.threads,
            executor=args.executor, semantics=args.semantics,
        )
    finally:
        progress.close()
    if args.replay is not None and not args.quiet:
        from ..check.checking import ScenarioSpace
        from ..explore.replay import run_schedule
        from ..runtime.schedule import decode

        under = sc.under(result.semantics or "gil")
        ex = run_schedule(ScenarioSpace(under, sc.bind(params), args.timing or sc.timing), decode(args.replay))
        print(format_replay(ex.trace), file=report)
    return result


def compare_real(sc: Scenario, params: dict[str, Any], args: argparse.Namespace, report: TextIO) -> bool:
    """Run ``sc`` on real threads and print the comparison; True when every
    real outcome is among the checker's."""
    from ..check.fidelity import compare
    from .fidelity_report import format_fidelity

    fidelity = compare(
        sc, sc.bind(params), runs=strategy_options.real_runs(args), timing=args.timing or "any-delay",
        strategy=args.configured, max_executions=args.max_executions, max_steps=args.max_steps,
        semantics=args.semantics,
    )
    print(format_fidelity(fidelity), file=report)
    return fidelity.ok


def draw(result: Result, sel: Selected, params: dict[str, Any], args: argparse.Namespace) -> list[str]:
    """Write the graphs asked for; return one line per file (or fallback)."""
    wanted_states = args.graph == "states"
    if args.graph == "none" or (result.counterexample is None and not wanted_states):
        return []
    from .graphs import write_result_graphs

    return write_result_graphs(
        result, str(sel.model.path), out_dir=args.out, formats=tuple(args.formats or ("svg",)),
        state_graph=wanted_states, scenario_params=(sel.scenario.under(result.semantics or "gil"),
                                                    sel.scenario.bind(params)),
    )


def summarize(results: list[tuple[str, Result]], broken: list[Broken], finished: int | None, planned: int,
              report: TextIO) -> int:
    """The one summary line; returns the exit code (without interruption).
    ``finished``: None, or (interrupted) how many scenarios had finished."""
    unexpected = [r for _, r in results if not r.meets_expectation]
    failed = sum(1 for b in broken if b.scenario is not None)
    line = "checker: " + summary_words([r for _, r in results], failed, len(broken) - failed, finished, planned,
                                       where_errors=" (errors above)")
    print(file=report)
    print(line, file=report)
    if broken:
        return EXIT_ERROR
    return EXIT_UNEXPECTED if unexpected else EXIT_OK
