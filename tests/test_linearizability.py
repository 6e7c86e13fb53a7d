"""Linearizability scenarios (checker.program.linearizability) and the
history checker behind them (checker.program.linearize)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import strategies as st

from checker import ModelError, check, load_model
from checker.program.linearizability import cases
from checker.program.linearize import Op, SpecError, linearize

ROOT = Path(__file__).resolve().parent.parent


class CounterSpec:
    def __init__(self):
        self.n = 0

    def inc(self):
        self.n += 1

    def get(self):
        return self.n


def op(thread, name, result, invoked, responded, *args):
    return Op(thread, name, args, result, invoked, responded)


# -- the history checker ---------------------------------------------------------------------
def test_overlapping_operations_may_take_effect_in_either_order():
    h = [op("t1", "inc", None, 1, 4), op("t2", "get", 0, 2, 3)]
    v = linearize(h, CounterSpec)
    assert v.linearizable and [o.name for o in v.order] == ["get", "inc"]


def test_real_time_order_is_respected():
    """get starts after inc returned, so it must see 1."""
    h = [op("t1", "inc", None, 1, 2), op("t2", "get", 0, 3, 4)]
    v = linearize(h, CounterSpec)
    assert not v.linearizable
    (closest,) = v.closest
    assert ([o.name for o in closest.order], closest.failed.name, closest.expected) == (["inc"], "get", 1)


def test_lost_update_history_and_its_closest_orders():
    h = [op("t1", "inc", None, 1, 3), op("t2", "inc", None, 2, 4), op("t2", "get", 1, 5, 6)]
    v = linearize(h, CounterSpec)
    assert not v.linearizable
    # t2 then t1 reaches the same state as t1 then t2: the memo does not search it again
    assert [(tuple(o.thread for o in a.order), a.expected) for a in v.closest] == [(("t1", "t2"), 2)]


def test_the_closest_orders_are_the_furthest_distinct_ones_first_found_first():
    """Two increments overlap a get that saw 2 and a later get that saw 1.
    Placing both incs and get -> 2 gets furthest (then get -> 1 is wrong);
    t2.inc(), t1.inc(), get -> 2 placed the same calls and broke on the
    same call: not listed again.  Orders broken by get -> 2 after one inc
    follow, one per inc."""
    h = [op("t1", "inc", None, 1, 6), op("t2", "inc", None, 2, 7), op("t3", "get", 2, 3, 4),
         op("t3", "get", 1, 5, 8)]
    v = linearize(h, CounterSpec)
    assert [([f"{o.thread}.{o.name}" for o in a.order], a.failed.result, a.expected) for a in v.closest] == [
        (["t1.inc", "t2.inc", "t3.get"], 1, 2), (["t1.inc"], 2, 1), (["t2.inc"], 2, 1)]
    assert len(linearize(h, CounterSpec, keep=1).closest) == 1


def test_the_racy_counters_explanation():
    r = check(scenario_of("linearizable_counter", "RacyCounter"))
    assert r.failure.message == "\n".join([
        "not linearizable: no sequential order of these calls on CounterSpec gives these results",
        "  t1: inc() -> None [1-3]",
        "  t2: inc() -> None [2-4] ; get() -> 1 [5-6]",
        "  ([a-b]: invoked at event a, returned at event b, in an order of events consistent with the execution)",
        "  closest sequential orders (furthest first), each up to the first call it gets wrong:",
        "    after t1.inc(), t2.inc(): t2.get() would return 2, but returned 1"])
    wide = check(scenario_of("linearizable_counter", "RacyCounter"), params={"threads": 3, "operations": 1},
                 strategy="dpor")
    assert wide.failure.message.split("\n")[1:] == [
        "  t1: inc() -> None [1-3]",
        "  t2: inc() -> None [2-4]",
        "  t3: get() -> 1 [5-6]",
        "  ([a-b]: invoked at event a, returned at event b, in an order of events consistent with the execution)",
        "  closest sequential orders (furthest first), each up to the first call it gets wrong:",
        "    after t1.inc(), t2.inc(): t3.get() would return 2, but returned 1"]


def test_memoisation_keeps_a_wide_history_fast():
    """12 concurrent increments and a get that saw all of them: without
    the (linearized set, state) memo this is 12! orders."""
    h = [op(f"t{i}", "inc", None, i, 100 + i) for i in range(12)] + [op("t99", "get", 12, 200, 201)]
    assert linearize(h, CounterSpec).linearizable
    bad = h[:-1] + [op("t99", "get", 13, 200, 201)]
    assert not linearize(bad, CounterSpec).linearizable


def test_a_specification_that_raises_is_reported():
    class Broken(CounterSpec):
        def get(self):
            raise KeyError("oops")

    with pytest.raises(SpecError, match=r"the specification raised KeyError: 'oops' on get\(\)"):
        linearize([op("t1", "get", 0, 1, 2)], Broken)


# -- scenarios -------------------------------------------------------------------------------
def scenario_of(model: str, name: str):
    return load_model(ROOT / "models" / f"{model}.py").scenario(name)


@pytest.mark.parametrize("model, name, case, executions", [
    ("linearizable_counter", "RacyCounter", "<t1: inc() | t2: inc(); get()>", 26),
    ("linearizable_set", "CheckThenAct", "<t1: add_if_absent(1) | t2: add_if_absent(1)>", 6),
    ("linearizable_queue", "PeekThenRemove", "<init: put(1) | t1: get() | t2: get()>", 24),
    ("linearizable_bank", "Unlocked", "<t1: transfer(10) | t2: transfer(10)>", 6),
])
def test_the_reported_case_is_a_smallest_failing_one(model, name, case, executions):
    r = check(scenario_of(model, name))
    assert r.verdict == "violation" and r.failure.kind == "assertion"
    assert r.failure.message.startswith("not linearizable: no sequential order of these calls")
    chosen = r.counterexample.trace.events[1].result
    assert (chosen, r.executions) == (case, executions)


@pytest.mark.parametrize("model, name, classes", [
    ("linearizable_counter", "LockedCounter", 197),
    ("linearizable_set", "Locked", 39),
    ("linearizable_queue", "UnderOneLock", 103),
    ("linearizable_bank", "Locked", 27),
])
def test_the_fixed_objects_are_linearizable_in_every_case(model, name, classes):
    r = check(scenario_of(model, name), strategy="dpor")
    assert (r.verdict, r.complete, r.classes) == ("safe", True, classes)


@pytest.mark.parametrize("model, name", [("linearizable_set", "CheckThenAct"), ("linearizable_set", "Locked"),
                                         ("linearizable_bank", "Unlocked"), ("linearizable_counter", "RacyCounter")])
@pytest.mark.parametrize("timing", ["ideal", "any-delay"])
def test_dpor_reaches_every_outcome_of_brute_force(model, name, timing):
    sc = scenario_of(model, name)
    params = {"threads": 2, "operations": 1}
    brute = check(sc, params=params, strategy="dfs", all_outcomes=True, timing=timing)
    reduced = check(sc, params=params, strategy="dpor", all_outcomes=True, timing=timing)
    assert brute.complete and reduced.complete
    assert reduced.outcome_set() == brute.outcome_set()
    assert reduced.executions < brute.executions


def model(tmp_path, text):
    path = tmp_path / "m.py"
    path.write_text(textwrap.dedent(text))
    return load_model(path), path


def test_an_operation_that_touches_nothing_is_still_ordered_in_real_time(tmp_path):
    """get never reads the counter, so no data access orders it after inc:
    only the history's own accesses make DPOR try 'inc returned, then get
    was invoked' -- the order in which get's 0 is wrong."""
    m, _ = model(tmp_path, """
        from checker import Shared, linearizability, operation

        class Spec:
            def __init__(self): self.n = 0
            def inc(self): self.n += 1
            def get(self): return self.n

        @linearizability(spec=Spec, threads=2, operations=1, expect="violation")
        class ConstantGet:
            def __init__(self):
                self.s = Shared(n=0)
            @operation
            def inc(self):
                self.s.n += 1
                yield
            @operation
            def get(self):
                yield
                return 0
        """)
    r = check(m.scenarios[0], strategy="dpor")
    assert r.verdict == "violation"
    assert "after t1.inc(): t2.get() would return 1, but returned 0" in r.failure.message


def test_cases_are_listed_smallest_first_with_interchangeable_threads():
    calls = [("inc", ()), ("get", ())]
    found = cases(calls, threads=2, operations=1, init=0, post=0)
    assert [repr(c) for c in found] == ["<t1: inc()>", "<t1: get()>", "<t1: inc() | t2: inc()>",
                                        "<t1: inc() | t2: get()>", "<t1: get() | t2: get()>"]
    assert len(cases(calls, threads=2, operations=2, init=0, post=0)) == 27
    assert len(cases(calls, threads=2, operations=1, init=1, post=1)) == 20


def test_hypothesis_strategies_give_the_simplest_values(tmp_path):
    m, _ = model(tmp_path, """
        from hypothesis import strategies as st
        from checker import SharedDict, linearizability, operation

        class Spec:
            def __init__(self): self.d = {}
            def put(self, k): self.d[k] = True
            def has(self, k): return k in self.d

        @linearizability(spec=Spec, threads=1, operations=1)
        class Map:
            def __init__(self): self.d = SharedDict()
            @operation(k=st.integers())
            def put(self, k):
                self.d[k] = True
                yield
            @operation(k=st.text())
            def has(self, k):
                yield
                return k in self.d
        """)
    r = check(m.scenarios[0], all_outcomes=True)
    assert (r.verdict, r.executions) == ("safe", 4)  # one case each: put(0), put(1), has(''), has('0')
    assert len(r.outcome_set()) == 3  # the two has() cases end in the same state


@pytest.mark.parametrize("source, message", [
    ("@operation\n    def inc(self, by):\n        yield", "@operation inc: no values for argument by"),
    ("@operation(by=[1])\n    def inc(self):\n        yield", "@operation inc: values for by, which is not an argument"),
    ("@operation\n    def dec(self):\n        yield", "operation dec has no method of that name in the specification"),
    ("def inc(self):\n        yield", "has no @operation method"),
])
def test_definition_mistakes_are_reported_at_load_time(tmp_path, source, message):
    path = tmp_path / "bad.py"
    path.write_text("from checker import linearizability, operation\n"
                    "class Spec:\n    def inc(self): pass\n"
                    "@linearizability(spec=Spec)\nclass C:\n    " + source + "\n")
    with pytest.raises(ModelError, match=message):
        load_model(path)


def test_a_raising_specification_is_a_model_error_naming_it(tmp_path):
    m, path = model(tmp_path, """
        from checker import linearizability, operation

        class Spec:
            def get(self):
                return self.missing

        @linearizability(spec=Spec, threads=1, operations=1)
        class C:
            @operation
            def get(self):
                yield
                return 1
        """)
    with pytest.raises(ModelError) as info:
        check(m.scenarios[0])
    text = str(info.value)
    assert text.startswith(f"{path}:5: the specification raised AttributeError")
    assert "must not raise" in text


def test_cli_selects_by_class_name_and_the_printed_replay_reproduces():
    out = subprocess.run([sys.executable, "-m", "checker", "models/linearizable_counter.py::RacyCounter",
                          "--no-memory", "--graph", "none"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    replay = next(line.split("replay: ", 1)[1] for line in out.stdout.splitlines() if "replay: " in line)
    assert replay.startswith("python -m checker models/linearizable_counter.py::RacyCounter ")
    again = subprocess.run([sys.executable, *replay.split()[1:], "--no-memory", "--graph", "none"],
                           capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert "not linearizable" in again.stdout and "t2: inc() -> None [2-4] ; get() -> 1 [5-6]" in again.stdout


def test_strategy_values_are_deterministic():
    from checker.program.linearizability import _argument_values

    assert _argument_values(st.integers(), "f", "x", "here") == (0, 1)
    assert _argument_values(st.text(), "f", "x", "here") == ("", "0")


@pytest.mark.parametrize("body, kind, message", [
    ("raise ValueError('bad input')\n                yield", "exception", "uncaught ValueError in thread t1: bad input"),
    ("yield self.lock.acquire()\n                yield self.lock.acquire()", "deadlock", "no thread can run"),
])
def test_exceptions_and_deadlocks_inside_operations_are_reported_as_such(tmp_path, body, kind, message):
    m, _ = model(tmp_path, f"""
        from checker import Lock, linearizability, operation

        class Spec:
            def op(self): return None

        @linearizability(spec=Spec, threads=1, operations=1, expect="violation")
        class C:
            def __init__(self):
                self.lock = Lock()
            @operation
            def op(self):
                {body}
        """)
    r = check(m.scenarios[0])
    assert r.verdict == "violation" and r.failure.kind == kind
    assert message in r.failure.summary()
