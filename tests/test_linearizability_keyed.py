"""P-compositionality (checker.program.linearize_keyed) and the ``key=``
of ``@linearizability``."""

from __future__ import annotations

import importlib
import textwrap
from pathlib import Path

import pytest

from checker import ModelError, check, load_model
from checker.program.linearize import Op, linearize
from checker.program.linearize_keyed import linearize_keyed, merge, partition

ROOT = Path(__file__).resolve().parent.parent
lin = importlib.import_module("checker.program.linearizability")  # the package attribute is the decorator


class SetSpec:
    def __init__(self):
        self.items = set()

    def add(self, x):
        if x in self.items:
            return False
        self.items.add(x)
        return True

    def contains(self, x):
        return x in self.items


def by_arg(op):
    return op.args[0]


def replays(order, make_spec):
    """Whether ``order`` gives every call its result and respects real time."""
    spec = make_spec()
    if any(getattr(spec, o.name)(*o.args) != o.result for o in order):
        return False
    return all(not (b.responded < a.invoked) for i, a in enumerate(order) for b in order[i + 1:])


def wide(n, last):
    """n concurrent adds of 1..n, then contains(n) -> last after all of them."""
    return [Op(f"t{i}", "add", (i,), True, i, 100 + i) for i in range(1, n + 1)] + \
        [Op("u", "contains", (n,), last, 200, 201)]


def test_partition_keeps_keys_in_order_of_first_invocation():
    h = [Op("t1", "add", (2,), True, 1, 4), Op("t2", "add", (1,), True, 2, 3), Op("t1", "contains", (2,), True, 5, 6)]
    assert {k: [o.invoked for o in part] for k, part in partition(h, by_arg).items()} == {2: [1, 5], 1: [2]}
    assert list(partition(h, by_arg)) == [2, 1]


def test_keys_make_a_wide_failing_history_cheap():
    """Ten concurrent adds on ten keys: one search over every subset of
    them (1,024 sets, plus 115 equal sets whose pickle lists the elements in
    another order) against nine searches of one call and one of two."""
    bad = wide(10, False)
    whole, keyed = linearize(bad, SetSpec), linearize_keyed(bad, SetSpec, by_arg)
    assert (whole.linearizable, keyed.linearizable) == (False, False)
    assert (whole.searched, keyed.searched) == (1139, 11)
    assert keyed.key == (10,)
    (attempt,) = keyed.closest
    assert ([o.call() for o in attempt.order], attempt.failed.call(), attempt.expected) == (["add(10)"], "contains(10)",
                                                                                         True)


def test_a_keyed_witness_is_one_order_of_every_call_that_respects_real_time():
    good = wide(10, True)
    verdict = linearize_keyed(good, SetSpec, by_arg)
    assert verdict.linearizable and sorted(verdict.order, key=lambda o: o.invoked) == sorted(good,
                                                                                            key=lambda o: o.invoked)
    assert replays(verdict.order, SetSpec)
    assert verdict.searched == 11


def test_merge_follows_real_time_across_keys():
    """b's order puts its add first; a's contains started after b's add
    returned, and b's contains after a's add returned."""
    a_add, b_add = Op("t1", "add", ("a",), True, 1, 2), Op("t2", "add", ("b",), True, 3, 4)
    a_has, b_has = Op("t2", "contains", ("a",), True, 5, 6), Op("t1", "contains", ("b",), True, 7, 8)
    assert merge([(a_add, a_has), (b_add, b_has)]) == (a_add, b_add, a_has, b_has)
    assert merge([(b_add, b_has), (a_add, a_has)]) == (a_add, b_add, a_has, b_has)
    assert merge([(), (a_add,)]) == (a_add,)


def test_a_key_is_a_promise_the_specification_must_keep():
    """A set with room for one element is not keyed: add(2) fails because
    of key 1.  Decided key by key, add(2) alone 'should' succeed -- the
    reason the key is declared by the user, never guessed."""

    class OneSlot(SetSpec):
        def add(self, x):
            return False if self.items and x not in self.items else super().add(x)

    h = [Op("t1", "add", (1,), True, 1, 2), Op("t2", "add", (2,), False, 3, 4)]
    assert linearize(h, OneSlot).linearizable
    assert not linearize_keyed(h, OneSlot, by_arg).linearizable


@pytest.mark.parametrize("name, histories, failing", [("CheckThenAct", 537, 128), ("Locked", 569, 0)])
def test_keyed_and_whole_verdicts_agree_on_every_history_of_the_set_models(monkeypatch, name, histories, failing):
    """Every history the exploration decides (3 threads, one call each),
    decided whole and key by key: the same verdict, and every keyed
    witness replays on the specification."""
    sc = load_model(ROOT / "models" / "linearizable_set.py").scenario(name)
    seen = set()
    decide = lin._decide

    def record(ops, spec, key_of=None):
        assert key_of is not None  # the models declare key="x"
        seen.add((tuple(ops), spec, key_of))
        return decide(ops, spec, key_of)

    monkeypatch.setattr(lin, "_decide", record)
    check(sc, params={"threads": 3, "operations": 1}, all_outcomes=True)
    assert len(seen) == histories
    bad = 0
    for ops, spec, key_of in seen:
        whole, keyed = linearize(ops, spec), linearize_keyed(ops, spec, key_of)
        assert whole.linearizable == keyed.linearizable
        assert not keyed.linearizable or replays(keyed.order, spec)
        bad += not keyed.linearizable
    assert bad == failing


def test_the_report_says_which_key_failed():
    r = check(load_model(ROOT / "models" / "linearizable_set.py").scenario("CheckThenAct"))
    assert r.verdict == "violation"
    assert "decided key by key: the calls on key 1 alone have no such order" in r.failure.message
    assert "after t1.add_if_absent(1): t2.add_if_absent(1) would return False, but returned True" in r.failure.message


def test_every_operation_must_name_the_key(tmp_path):
    path = tmp_path / "m.py"
    path.write_text(textwrap.dedent("""
        from checker import linearizability, operation

        class Spec:
            def add(self, x): return True
            def size(self): return 0

        @linearizability(spec=Spec, key="x")
        class C:
            @operation(x=[1])
            def add(self, x):
                yield
                return True
            @operation
            def size(self):
                yield
                return 0
        """))
    with pytest.raises(ModelError, match="key='x': operation size has no argument x") as info:
        load_model(path)
    assert "drop key= if some operation" in str(info.value)
