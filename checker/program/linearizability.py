"""Linearizability scenarios: is a concurrent class really thread-safe?

    class CounterSpec:                          # sequential specification: plain Python
        def __init__(self): self.n = 0
        def inc(self): self.n += 1
        def get(self): return self.n

    @linearizability(spec=CounterSpec, threads=2, operations=2)
    class RacyCounter:                          # implementation: step methods
        def __init__(self): self.s = Shared(n=0)
        @operation
        def inc(self):
            v = self.s.n
            yield
            self.s.n = v + 1
        @operation
        def get(self):
            yield
            return self.s.n

``@linearizability`` turns the class into a ``Scenario`` named after it, so
it is checked, selected (``file.py::RacyCounter``), replayed, drawn and
reported like any scenario.  Its parameters are ``threads`` and
``operations`` (per thread), with the decorator's values as defaults.

**What one scenario explores.**  The scenario's first step *chooses* a test
case -- which operations, with which arguments, on which thread, plus the
optional ``init``/``post`` operations the main thread runs before and after
the parallel part (as in Lincheck) -- and the checker explores every case
and every interleaving of it.  Cases are listed smallest first (fewest
operations, then fewest threads, then the first argument values), and the
checker explores the options of a choice in order, so the first failure it
reports is a minimal failing case.  Threads are interchangeable: each
multiset of per-thread sequences is one case.

**The history.**  Each operation's invocation reads, and its response
writes, a field of the ``history`` object per thread (``history.t1 :=
inc() -> None`` in traces).  A response and a later invocation on another
thread are therefore dependent, so DPOR explores every real-time order of
operations that matters -- and no more: two executions that it treats as
equivalent have the same real-time order and the same results, hence the
same verdict.  When every thread has finished and the ``post`` part has
run, the history is decided by ``linearize.linearize``; a history no
sequential order explains fails the execution with an ``AssertionError``
whose message shows the history per thread and the closest orders tried.
Deadlocks and exceptions inside operations are reported as such.

``@operation`` marks a method (a generator: each ``yield`` ends a step; a
plain method runs as one step).  ``@operation(x=[1, 2])`` gives an
argument its values; a hypothesis strategy gives the two simplest distinct
values it can draw.
"""

from __future__ import annotations

import inspect
import itertools
import sys
import tokenize
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ..errors import ModelError
from . import context
from .choice import choose
from .footprint import READ, WRITE
from .linearize import Op, SpecError, Verdict, canonical, linearize
from .linearize_keyed import linearize_keyed
from .linearizability_sample import parse_case, sample_cases, shrink_case
from .scenario import EXPECTATIONS, Scenario
from .thread import Thread

_MARK = "_checker_operation"
_GIVEN = "_checker_operation_given"  # the values as given (lists or strategies), for samples=
_STRATEGY_VALUES = 2


def operation(method: Callable[..., Any] | None = None, **values: Any) -> Any:
    """Mark a method of a ``@linearizability`` class as an operation; see
    the module docstring.  ``values``: per argument, a list of values or a
    hypothesis strategy."""

    def mark(fn: Callable[..., Any]) -> Callable[..., Any]:
        params = [p for p in inspect.signature(fn).parameters if p != "self"]
        missing = [p for p in params if p not in values]
        extra = [v for v in values if v not in params]
        where = f"{fn.__code__.co_filename}:{fn.__code__.co_firstlineno}"
        if missing or extra:
            raise ModelError(
                f"@operation {fn.__name__}: " + (f"no values for argument {missing[0]}" if missing
                                                 else f"values for {extra[0]}, which is not an argument"),
                where=where,
                hint=f"give every argument its values: @operation({', '.join(f'{p}=[...]' for p in params)})",
            )
        setattr(fn, _MARK, {p: _argument_values(values[p], fn.__name__, p, where) for p in params})
        setattr(fn, _GIVEN, {p: values[p] for p in params})
        return fn

    return mark(method) if method is not None else mark


def _argument_values(given: Any, name: str, arg: str, where: str) -> tuple[Any, ...]:
    if hasattr(given, "example") and hasattr(given, "map"):  # a hypothesis strategy
        from hypothesis import HealthCheck, find, settings
        from hypothesis import strategies as st

        quiet = settings(database=None, derandomize=True, suppress_health_check=list(HealthCheck))
        return tuple(find(st.lists(given, min_size=_STRATEGY_VALUES, max_size=_STRATEGY_VALUES, unique_by=repr),
                          lambda _: True, settings=quiet))
    if isinstance(given, (str, bytes)) or not isinstance(given, Iterable):
        raise ModelError(f"@operation {name}: the values of {arg} must be a list (or a hypothesis strategy), "
                         f"got {given!r}", where=where, hint=f"write {arg}=[{given!r}]")
    out = tuple(given)
    if not out:
        raise ModelError(f"@operation {name}: {arg} has no values", where=where)
    return out


def linearizability(
    spec: type, *, threads: int = 2, operations: int = 2, init: int = 0, post: int = 0,
    key: str | None = None, samples: int | None = None, seed: int = 0, expect: str = "safe",
    name: str | None = None,
) -> Callable[[type], Scenario]:
    """Declare a linearizability scenario; see the module docstring.
    ``init``/``post``: how many operations the main thread runs before and
    after the parallel part.  ``key``: the argument, common to every
    operation, that names the independent part of the specification a call
    touches (a set's element, a map's key); histories are then decided key
    by key (``linearize_keyed``).  ``samples``: draw that many cases with
    hypothesis (``seed``) instead of enumerating them all
    (``linearizability_sample``).  ``expect``: as for ``@scenario``."""

    def wrap(impl: type) -> Scenario:
        where = f"{sys.modules[impl.__module__].__file__}:{inspect.getsourcelines(impl)[1]}"
        calls = _calls(impl, spec, where)
        key_of = _key_of(impl, key, where) if key is not None else None
        for label, value in (("threads", threads), ("operations", operations), ("init", init), ("post", post)):
            if not isinstance(value, int) or value < (1 if label in ("threads", "operations") else 0):
                raise ModelError(f"@linearizability {label}= must be a whole number, got {value!r}", where=where)
        if expect not in EXPECTATIONS:
            raise ModelError(f"unknown expectation {expect!r}", where=where, hint=f"one of {', '.join(EXPECTATIONS)}")

        if samples is not None and (not isinstance(samples, int) or samples < 1):
            raise ModelError(f"@linearizability samples= must be a whole number, got {samples!r}", where=where)
        listed: dict[tuple[int, int], list[Case]] = {}  # drawing takes a while: once per parameters

        def case_list(threads: int, operations: int) -> list[Case]:
            if (threads, operations) not in listed:
                listed[(threads, operations)] = (
                    cases(calls, threads, operations, init, post) if samples is None else
                    [Case(c) for c in sample_cases(_given(impl), threads, operations, init, post, samples, seed)])
            return listed[(threads, operations)]

        def body(threads: int = threads, operations: int = operations, case: str = ""):
            chosen = yield choose([_parse(case, where)] if case else case_list(threads, operations))
            yield from _run_case(impl, spec, chosen, key_of)

        def shrink(params: dict[str, Any], target: tuple, fails: Callable[[tuple], bool | None]) -> Case:
            """``target`` shrunk (``linearizability_sample.shrink_case``)."""
            return Case(shrink_case(_given(impl), params["threads"], params["operations"], init, post, samples,
                                    seed, target, fails))

        params: dict[str, Any] = {"threads": threads, "operations": operations}
        extra = {"linearizability": impl, "spec": spec, "key": key_of}
        if samples is not None:  # a drawn failing case is shrunk; case= checks one case (the shrunk one)
            params["case"] = ""
            extra.update(cases=lambda p: case_list(p["threads"], p["operations"]), shrink=shrink)
        return Scenario(
            func=body, name=name or impl.__name__, expect={"*": expect},
            params=params, doc=inspect.getdoc(impl) or "",
            file=where.rsplit(":", 1)[0], line=int(where.rsplit(":", 1)[1]), extra=extra,
        )

    return wrap


Call = tuple[str, tuple[Any, ...]]  # (method name, arguments)


class Case(tuple):
    """One test case ``(init calls, per-thread call sequences, post
    calls)``; its repr is how traces show the choice."""

    def __repr__(self) -> str:
        before, parallel, after = self
        parts = [f"t{i + 1}: {_calls_text(s)}" for i, s in enumerate(parallel)]
        if before:
            parts.insert(0, f"init: {_calls_text(before)}")
        if after:
            parts.append(f"post: {_calls_text(after)}")
        return "<" + " | ".join(parts) + ">"


def _parse(text: str, where: str) -> Case:
    try:
        return Case(parse_case(text))
    except (ValueError, SyntaxError, tokenize.TokenError) as exc:
        raise ModelError(f"case={text!r} is not a case: {exc}", where=where,
                         hint="write it as traces show it: case='<t1: add(1); get() | t2: get()>'") from None


def _calls_text(calls: Sequence[Call]) -> str:
    return "; ".join(f"{name}({', '.join(map(repr, args))})" for name, args in calls)


def _calls(impl: type, spec: type, where: str) -> list[Call]:
    """Every call a case can make, in definition order, first values first."""
    calls: list[Call] = []
    names = dict.fromkeys(n for klass in reversed(impl.__mro__) for n in vars(klass))  # base classes' first
    for attr in names:
        values = getattr(getattr(impl, attr), _MARK, None)
        if values is None:
            continue
        if not callable(getattr(spec, attr, None)):
            raise ModelError(f"operation {attr} has no method of that name in the specification {spec.__name__}",
                             where=where, hint=f"add def {attr}(self, ...) to {spec.__name__}")
        for args in itertools.product(*values.values()):
            calls.append((attr, tuple(args)))
    if not calls:
        raise ModelError(f"@linearizability class {impl.__name__} has no @operation method", where=where,
                         hint="mark the methods threads call with @operation")
    return calls


def _given(impl: type) -> dict[str, dict[str, Any]]:
    """Per operation, its arguments' values as given to ``@operation``."""
    names = dict.fromkeys(n for klass in reversed(impl.__mro__) for n in vars(klass))
    return {a: getattr(getattr(impl, a), _GIVEN) for a in names if hasattr(getattr(impl, a), _GIVEN)}


def _key_of(impl: type, key: str, where: str) -> Callable[[Op], Any]:
    """``op -> the value of its argument named key``; every operation must
    have that argument (a call without a key touches every part, and the
    history could not be split)."""
    position = {}
    for attr in dict.fromkeys(n for klass in reversed(impl.__mro__) for n in vars(klass)):
        values = getattr(getattr(impl, attr), _MARK, None)
        if values is None:
            continue
        if key not in values:
            raise ModelError(f"@linearizability key={key!r}: operation {attr} has no argument {key}",
                             where=where, hint="every operation of a keyed specification names its key; "
                             "drop key= if some operation (a size(), a clear()) touches every key")
        position[attr] = list(values).index(key)
    return lambda op: op.args[position[op.name]]


def cases(calls: Sequence[Call], threads: int, operations: int, init: int, post: int) -> list[Case]:
    """Every test case ``(init calls, per-thread call sequences, post
    calls)``, smallest first; see the module docstring."""
    index = {c: i for i, c in enumerate(calls)}
    sequences = [s for k in range(operations + 1) for s in itertools.product(calls, repeat=k)]
    found = []
    for parallel in itertools.combinations_with_replacement(sequences, threads):
        parallel = tuple(sorted((s for s in parallel if s), key=lambda s: [index[c] for c in s]))
        if not parallel:
            continue
        for before in itertools.product(calls, repeat=init):
            for after in itertools.product(calls, repeat=post):
                found.append(Case((before, parallel, after)))
    rank = _arg_rank(calls)

    def size(case: tuple) -> tuple:
        before, parallel, after = case
        every = [*before, *(c for s in parallel for c in s), *after]
        return (len(every), len(parallel), sum(rank(c) for c in every), [index[c] for c in every])

    return sorted(dict.fromkeys(found), key=size)


def _arg_rank(calls: Sequence[Call]) -> Callable[[Call], int]:
    """How far into its argument values a call is (0: the first values)."""
    by_name: dict[str, list[tuple]] = {}
    for name, args in calls:
        by_name.setdefault(name, []).append(args)
    return lambda c: by_name[c[0]].index(c[1])


class History:
    """The operations of one execution, with the accesses that order them
    (see the module docstring)."""

    _checker_object = True

    def __init__(self, threads: list[str]):
        h = context.hooks("history")
        self._id, self._label = h.register(self, "history")
        self._threads = threads
        self._events = 0
        self.ops: list[Op] = []

    def invoke(self, thread: str) -> int:
        h = context.hooks("history")
        for other in self._threads:
            if other != thread:
                h.record(self._id, self._label, other, READ, "", None)
        self._events += 1
        return self._events

    def respond(self, thread: str, name: str, args: tuple, result: Any, invoked: int) -> None:
        self._events += 1
        op = Op(thread, name, args, result, invoked, self._events)
        self.ops.append(op)
        context.hooks("history").record(self._id, self._label, thread, WRITE, f"{op.call()} -> {result!r}", None)


def _perform(obj: Any, history: History, thread: str, call: Call):
    name, args = call
    invoked = history.invoke(thread)
    step = getattr(obj, name)(*args)
    result = (yield from step) if inspect.isgenerator(step) else step
    history.respond(thread, name, args, result, invoked)


def _worker(obj: Any, history: History, me: str, calls: Sequence[Call]):
    for call in calls:
        yield from _perform(obj, history, me, call)


def _run_case(impl: type, spec: type, case: tuple, key_of: Callable[[Op], Any] | None = None):
    before, parallel, after = case
    names = ["MainThread"] + [f"t{i + 1}" for i in range(len(parallel))]
    history = History(names)
    obj = impl()
    for call in before:
        yield from _perform(obj, history, "MainThread", call)
    workers = [Thread(target=_worker, args=(obj, history, names[i + 1], calls), name=names[i + 1])
               for i, calls in enumerate(parallel)]
    for w in workers:
        w.start()
    for w in workers:
        yield w.join()
    for call in after:
        yield from _perform(obj, history, "MainThread", call)
    ops = canonical(history.ops, names)
    try:
        verdict = _decide(ops, spec, key_of)
    except SpecError as exc:
        raise ModelError(f"{exc} (specification {spec.__name__})", where=_spec_where(spec, exc.call),
                         hint="the specification is plain sequential Python and must not raise: "
                         "return a value that says what happened instead") from None
    if not verdict.linearizable:
        raise AssertionError(explain(ops, verdict, spec))


_VERDICTS: dict[Any, Verdict] = {}  # (spec, history) -> verdict: executions often repeat a history
_MAX_CACHED = 100_000


def _decide(ops: Sequence[Op], spec: type, key_of: Callable[[Op], Any] | None = None) -> Verdict:
    """``linearize`` (key by key when ``key_of`` is given), each (sub-)history's
    verdict cached per specification."""
    if key_of is None:
        return _cached(ops, spec)
    return linearize_keyed(ops, spec, key_of, decide=_cached)


def _cached(ops: Sequence[Op], spec: Callable[[], Any]) -> Verdict:
    """``linearize``, cached per specification and history (histories with
    unhashable results are decided every time)."""
    try:
        key = (spec, tuple(sorted(ops, key=lambda o: o.invoked)))
        hash(key)
    except TypeError:
        return linearize(ops, spec)
    verdict = _VERDICTS.get(key)
    if verdict is None:
        if len(_VERDICTS) >= _MAX_CACHED:
            _VERDICTS.clear()
        verdict = _VERDICTS[key] = linearize(ops, spec)
    return verdict


def _spec_where(spec: type, call: str) -> str | None:
    fn = getattr(spec, call.split("(", 1)[0], None)
    code = getattr(fn, "__code__", None)
    return f"{code.co_filename}:{code.co_firstlineno}" if code is not None else None


def explain(ops: Sequence[Op], verdict: Verdict, spec: type) -> str:
    """The failure message: the history per thread, then the closest
    sequential orders and why each fails."""
    threads = list(dict.fromkeys(o.thread for o in sorted(ops, key=lambda o: o.invoked)))
    lines = [f"not linearizable: no sequential order of these calls on {spec.__name__} gives these results"]
    for t in threads:
        mine = " ; ".join(f"{o.call()} -> {o.result!r} [{o.invoked}-{o.responded}]"
                          for o in sorted(ops, key=lambda o: o.invoked) if o.thread == t)
        lines.append(f"  {t}: {mine}")
    lines.append("  ([a-b]: invoked at event a, returned at event b, in an order of events consistent with the "
                 "execution)")
    if verdict.key:
        lines.append(f"  decided key by key: the calls on key {verdict.key[0]!r} alone have no such order")
    if verdict.closest:
        lines.append("  closest sequential orders (furthest first), each up to the first call it gets wrong:")
        for attempt in verdict.closest:
            prefix = ", ".join(f"{o.thread}.{o.call()}" for o in attempt.order) or "nothing"
            lines.append(f"    after {prefix}: {attempt.failed.thread}.{attempt.failed.call()} would return "
                         f"{attempt.expected!r}, but returned {attempt.failed.result!r}")
    return "\n".join(lines)
