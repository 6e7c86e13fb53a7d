"""Linearizability cases drawn by hypothesis (``samples=``,
checker.program.linearizability_sample).  The pinned draws are those of
the hypothesis version the project tests with; a new hypothesis may draw
other values."""

from __future__ import annotations

import importlib
import textwrap

import pytest

from checker import ModelError, check, load_model
from checker.check.linearizability_shrink import shrink
from checker.program.linearizability_sample import parse_case, sample_cases

lin = importlib.import_module("checker.program.linearizability")  # the package attribute is the decorator

SATURATING = """
    from hypothesis import strategies as st
    from checker import Shared, linearizability, operation

    class Spec:
        def __init__(self): self.n = 0
        def add(self, k): self.n += k
        def get(self): return self.n

    class Impl:
        def __init__(self): self.s = Shared(n=0)
        @operation(k=st.integers(min_value=0))
        def add(self, k):
            v = self.s.n
            yield
            self.s.n = min(v + k, 1000)     # saturates: wrong past 1000
        @operation
        def get(self):
            yield
            return self.s.n

    @linearizability(spec=Spec, threads=1, operations=2)
    class Enumerated(Impl):
        pass

    @linearizability(spec=Spec, threads=1, operations=2, samples=50, seed=1, expect="violation")
    class Sampled(Impl):
        pass
    """


@pytest.fixture(scope="module")
def saturating(tmp_path_factory):
    path = tmp_path_factory.mktemp("sample") / "saturating.py"
    path.write_text(textwrap.dedent(SATURATING))
    return load_model(path)


def drawn(model, seed=1, samples=50, threads=1, operations=2):
    impl = model.scenario("Sampled").extra["linearizability"]
    return sample_cases(lin._given(impl), threads, operations, 0, 0, samples, seed)


def test_enumeration_sees_only_the_simplest_values_and_misses_the_bug(saturating):
    r = check(saturating.scenario("Enumerated"))
    assert (r.verdict, r.classes) == ("safe", 12)  # add(0), add(1), get(): 12 cases of one thread


def test_drawn_cases_reach_values_enumeration_never_tries(saturating):
    r = check(saturating.scenario("Sampled"), minimize=False)  # as drawn: neither shrunk nor minimized
    assert r.verdict == "violation"
    choice = r.counterexample.trace.events[1]
    assert (choice.operation, choice.result) == ("choose(one of 49 options)", "<t1: add(7189); get()>")
    assert "after t1.add(7189): t1.get() would return 7189, but returned 1000" in r.failure.message


def test_the_drawn_failing_case_is_shrunk_to_the_smallest_argument_past_the_cap(saturating):
    sc = saturating.scenario("Sampled")
    found = check(sc, minimize=False)
    r = shrink(sc, found)
    assert (r.verdict, r.params["case"]) == ("violation", "<t1: add(1001); get()>")
    assert r.counterexample.trace.events[1].result == "<t1: add(1001); get()>"
    assert r.failure.message.endswith(
        "after t1.add(1001): t1.get() would return 1001, but returned 1000\n"
        "  (case shrunk from <t1: add(7189); get()>, the smallest failing case of the draw: "
        "48 smaller cases checked)")
    assert r.counterexample.failure == r.failure
    assert shrink(sc, found).failure == r.failure  # deterministic for the seed
    assert check(sc).failure == r.failure  # check() shrinks by itself
    again = check(sc, params={"case": r.params["case"]}, replay=r.counterexample.code)  # replays from its params
    assert again.verdict == "violation" and "add(1001)" in again.failure.message


def test_shrinking_is_budgeted_and_only_for_drawn_failures(saturating):
    sc = saturating.scenario("Sampled")
    found = check(sc, minimize=False)
    cut = shrink(sc, found, candidates=20)
    assert cut.params["case"] == "<t1: add(1327); get()>"
    assert cut.failure.message.endswith("(case shrunk from <t1: add(7189); get()>, the smallest failing case of "
                                        "the draw: 20 smaller cases checked, the budget of 20 spent)")
    none = shrink(sc, found, candidates=5)
    assert (none.params, none.counterexample.schedule) == (found.params, found.counterexample.schedule)
    assert none.failure.message == found.failure.message + (
        "\n  (the smallest failing case of the draw; no smaller one fails: 5 checked, the budget of 5 spent)")
    enumerated = saturating.scenario("Enumerated")
    assert "case" not in enumerated.params and shrink(enumerated, check(enumerated)).verdict == "safe"


def test_a_case_parameter_pins_one_case(saturating):
    text = "<init: add(1) | t1: add(-2); get() | t2: f('a | b; c', (1, [2])) | post: get()>"
    assert repr(lin.Case(parse_case(text))) == text
    r = check(saturating.scenario("Sampled"), params={"case": "<t1: add(5); get()>"})
    assert (r.verdict, r.executions) == ("safe", 1)
    with pytest.raises(ModelError, match="case='<t1: add' is not a case"):
        check(saturating.scenario("Sampled"), params={"case": "<t1: add"})
    with pytest.raises(ModelError, match="'x' is not init, post or a thread"):
        check(saturating.scenario("Sampled"), params={"case": "<x: get()>"})


def test_the_draw_is_reproducible_canonical_and_smallest_first(saturating):
    cases = drawn(saturating)
    assert len(cases) == 49 and cases == drawn(saturating)
    assert cases != drawn(saturating, seed=2)
    assert [repr(lin.Case(c)) for c in cases[:4]] == ["<t1: get()>", "<t1: add(0)>", "<t1: add(1)>",
                                                      "<t1: add(3393)>"]
    sizes = [sum(map(len, c[1])) for c in cases]
    assert sizes == sorted(sizes) and set(sizes) == {1, 2}
    wide = drawn(saturating, threads=3, operations=2, samples=40)
    assert all(c[1] == tuple(sorted(c[1], key=repr)) and all(c[1]) for c in wide)
    assert max(len(c[1]) for c in wide) == 3


def test_samples_must_be_a_whole_number(tmp_path):
    path = tmp_path / "bad.py"
    path.write_text("from checker import linearizability, operation\n"
                    "class Spec:\n    def inc(self): pass\n"
                    "@linearizability(spec=Spec, samples=0)\nclass C:\n"
                    "    @operation\n    def inc(self):\n        yield\n")
    with pytest.raises(ModelError, match="samples= must be a whole number, got 0"):
        load_model(path)
