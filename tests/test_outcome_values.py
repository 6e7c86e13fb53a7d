"""``Outcome.values``: each location's final Python value, by the name
traces print (``counter.value``), copied when the execution ends; equality
and hashing of outcomes stay on their reprs."""

from __future__ import annotations

from checker import Lock, Shared, SharedDict, Thread, check, load_model
from checker.program.shared import data_items
from checker.runtime.execution import Execution
from checker.runtime.trace import Outcome

from conftest import as_scenario, explore


def run_first(fn):
    ex = Execution(as_scenario(fn), {}, "ideal")
    while not ex.done:
        ex.step(ex.available()[0])
    return ex


def test_the_counters_final_values_are_ints():
    r = check(load_model("models/counter.py").scenario("unlocked"), params={"times": 2}, all_outcomes=True)
    finals = sorted(stat.outcome.values["counter.value"] for stat in r.outcomes)
    assert finals == [2, 3, 4] and all(type(v) is int for v in finals)
    four = next(stat.outcome for stat in r.outcomes if stat.outcome.failure is None)
    assert four.values == {"counter.value": 4}


def test_values_are_named_as_traces_name_locations_in_creation_order():
    def worker(box, cache):
        box.flag = True
        cache["k"] = (1, "a")
        yield

    def body():
        box = Shared(n=2.5, flag=False)
        cache = SharedDict(k=None)
        other = Shared("named", v="text")
        Thread(target=worker, args=(box, cache)).start()
        other.v = other.v + "!"

    [stat] = explore(body).outcomes
    assert list(stat.outcome.values.items()) == [
        ("box.flag", True), ("box.n", 2.5), ("cache.['k']", (1, "a")), ("named.v", "text!"),
    ]
    assert stat.outcome.describe_state() == "box(flag=True, n=2.5); cache(['k']=(1, 'a')); named(v='text!')"


def test_values_are_copies_taken_when_the_execution_ended():
    def body():
        lock = Lock()
        box = Shared(items=[1, 2], lock=lock)
        box.pair = ([3], lock)

    ex = run_first(body)
    outcome = ex.outcome()
    [box] = [o for o in ex._objects if isinstance(o, Shared)]
    live = dict(data_items(box))
    live["items"].append(99)  # a change after the end (a finally run by the garbage collector, say)
    live["pair"][0].append(99)
    assert outcome.values["box.items"] == [1, 2] and outcome.values["box.items"] is not live["items"]
    assert outcome.values["box.pair"][0] == [3]
    assert outcome.values["box.lock"] is live["lock"]  # checker objects stay themselves
    assert outcome.values["box.pair"][1] is live["lock"]


def test_values_take_no_part_in_equality_or_hashing():
    state = (("box", (("items", "[1]"),)),)
    a = Outcome(state, "out", None, {"box.items": [1]})
    b = Outcome(state, "out", None, {"box.items": [1], "extra": {}})
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert Outcome(state, "out") == a and Outcome(state, "out").values == {}
    assert "values" not in repr(a)
    assert a != Outcome(state, "other", None, {"box.items": [1]})
