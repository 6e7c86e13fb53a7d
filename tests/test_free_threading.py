"""The free-threading memory model (checker/program/unmodified/free_threading.py).

Each scenario runs one operation that CPython's free-threaded build
performs element by element (or, for the copies, under the list's lock)
while another thread changes what it reads.  Under each memory model,
DPOR must reach exactly what brute force reaches, and the printed outcomes
are pinned: worked out by hand from the GIL's atomic builtins and from
the per-element reads of the free-threaded build.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import warnings
from dataclasses import replace
from pathlib import Path

import pytest

from checker import check, load_model
from checker.errors import ModelError, UsageError

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

OPS = """import threading
from collections import deque
from checker import scenario

def run2(f, g):
    a = threading.Thread(target=f); b = threading.Thread(target=g)
    a.start(); b.start(); a.join(); b.join()

@scenario
def contains():
    items = [1, 2, 3]; out = []
    run2(lambda: out.append(3 in items), lambda: items.pop(0))
    print(out)

@scenario
def values_contain():
    d = {"a": 1, "b": 2, "c": 3}; out = []
    run2(lambda: out.append(3 in d.values()), lambda: d.pop("a"))
    print(out)

@scenario
def deque_contains():
    dq = deque([1, 2]); out = []
    run2(lambda: out.append(2 in dq), lambda: dq.appendleft(0))
    print(out)

@scenario
def index_from():
    items = [1, 2, 3]; out = []
    def look():
        try:
            out.append(items.index(3, 1))
        except ValueError:
            out.append("missing")
    run2(look, lambda: items.pop(0))
    print(out)

@scenario
def count_during_insert():
    items = [3, 1, 3]; out = []
    run2(lambda: out.append(items.count(3)), lambda: items.insert(0, 3))
    print(out)

@scenario
def sum_during_replace():
    b = [50, 50]; out = []
    run2(lambda: out.append(sum(b)), lambda: b.__setitem__(slice(None), [40, 60]))
    print(out)

@scenario
def max_during_replace():
    b = [1, 5]; out = []
    def replace():
        b[:] = [6, 0]
    run2(lambda: out.append(max(b)), replace)
    print(out)

@scenario
def set_of_list():
    b = [1, 2]; out = []
    def replace():
        b[:] = [3, 4]
    run2(lambda: out.append(sorted(set(b))), replace)
    print(out)

@scenario
def list_copy():
    b = [1, 2]; out = []
    def replace():
        b[:] = [3, 4]
    run2(lambda: out.append(list(b)), replace)
    print(out)

@scenario
def tuple_of_iterator():
    b = [1, 2]; out = []
    def replace():
        b[:] = [3, 4]
    run2(lambda: out.append(tuple(iter(b))), replace)
    print(out)

@scenario
def join_words():
    w = ["a", "b"]; out = []
    def replace():
        w[:] = ["c", "d"]
    run2(lambda: out.append(",".join(w)), replace)
    print(out)

@scenario
def extend_from_deque():
    dq = deque([1, 2]); out = []
    run2(lambda: out.extend(dq), lambda: dq.append(3))
    print(out)

@scenario
def unpack_pair():
    pair = [1, 2]; out = []
    def take():
        x, y = pair
        out.append((x, y))
    def replace():
        pair[:] = [3, 4]
    run2(take, replace)
    print(out)

@scenario
def star_call_deque():
    dq = deque([1, 2]); out = []
    def take():
        out.append(max(*dq))
    def replace():
        dq.appendleft(3)
        dq.pop()
    run2(take, replace)
    print(out)

@scenario
def dict_from_pairs():
    pairs = [("a", 1), ("b", 2)]; out = []
    def replace():
        pairs[:] = [("c", 3), ("d", 4)]
    run2(lambda: out.append(sorted(dict(pairs))), replace)
    print(out)

@scenario
def update_from_pairs():
    pairs = [("a", 1), ("b", 2)]; d = {}
    def replace():
        pairs[:] = [("c", 3), ("d", 4)]
    run2(lambda: d.update(pairs), replace)
    print(sorted(d))

@scenario
def fromkeys_of_list():
    keys = ["a", "b"]; out = []
    def replace():
        keys[:] = ["c", "d"]
    run2(lambda: out.append(sorted(dict.fromkeys(keys))), replace)
    print(out)

@scenario
def slice_assign_from_iterator():
    src = [1, 2]; dst = [0]; it = iter(src)
    def replace():
        src[:] = [3, 4]
    def fill():
        dst[:] = it
    run2(fill, replace)
    print(dst)

@scenario
def inplace_add_from_iterator():
    src = [1, 2]; dst = []
    def replace():
        src[:] = [3, 4]
    def fill():
        global_dst = dst
        global_dst += map(int, src)
    run2(fill, replace)
    print(dst)
"""

GIL, FREE = "gil", "free-threading"
RT = "!uncaught RuntimeError in thread {}: deque mutated during iteration"
# scenario -> (outcomes under the GIL, outcomes under free-threading): what is printed, "!failure" if it fails
EXPECTED = {
    "contains": ({"[True]"}, {"[True]", "[False]"}),
    "index_from": ({"[1]", "[2]"}, {"[1]", "[2]", "['missing']"}),
    "values_contain": ({"[True]"}, {"[True]", RT.replace("deque mutated", "dictionary changed size").format(
        "Thread-1 (<lambda>)")}),
    "deque_contains": ({"[True]"}, {"[True]", RT.format("Thread-1 (<lambda>)")}),
    "count_during_insert": ({"[2]", "[3]"}, {"[2]", "[3]"}),
    "sum_during_replace": ({"[100]"}, {"[100]", "[110]"}),
    "max_during_replace": ({"[5]", "[6]"}, {"[1]", "[5]", "[6]"}),
    "set_of_list": ({"[[1, 2]]", "[[3, 4]]"}, {"[[1, 2]]", "[[1, 4]]", "[[3, 4]]"}),
    "list_copy": ({"[[1, 2]]", "[[3, 4]]"}, {"[[1, 2]]", "[[3, 4]]"}),
    "tuple_of_iterator": ({"[(1, 2)]", "[(3, 4)]"}, {"[(1, 2)]", "[(1, 4)]", "[(3, 4)]"}),
    "join_words": ({"['a,b']", "['c,d']"}, {"['a,b']", "['c,d']"}),
    "extend_from_deque": ({"[1, 2]", "[1, 2, 3]"},
                          {"[1, 2]", "[1, 2, 3]", RT.format("Thread-1 (<lambda>)")}),
    "unpack_pair": ({"[(1, 2)]", "[(3, 4)]"}, {"[(1, 2)]", "[(1, 4)]", "[(3, 4)]"}),
    "star_call_deque": ({"[2]", "[3]"}, {"[2]", "[3]", RT.format("Thread-1 (take)")}),
    "dict_from_pairs": ({"[['a', 'b']]", "[['c', 'd']]"}, {"[['a', 'b']]", "[['a', 'd']]", "[['c', 'd']]"}),
    "update_from_pairs": ({"['a', 'b']", "['c', 'd']"}, {"['a', 'b']", "['a', 'd']", "['c', 'd']"}),
    "fromkeys_of_list": ({"[['a', 'b']]", "[['c', 'd']]"}, {"[['a', 'b']]", "[['a', 'd']]", "[['c', 'd']]"}),
    "slice_assign_from_iterator": ({"[1, 2]", "[3, 4]"}, {"[1, 2]", "[1, 4]", "[3, 4]"}),
    "inplace_add_from_iterator": ({"[1, 2]", "[3, 4]"}, {"[1, 2]", "[1, 4]", "[3, 4]"}),
}


def shown(result) -> set[str]:
    return {o.outcome.output.strip() + (f"!{o.outcome.failure}" if o.outcome.failure else "") for o in result.outcomes}


@pytest.fixture(scope="module")
def ops(tmp_path_factory):
    path = tmp_path_factory.mktemp("ft") / "ops.py"
    path.write_text(OPS)
    return load_model(path)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_model_reaches_what_brute_force_reaches_and_what_cpython_can_do(ops, name):
    sc = ops.scenario(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for semantics, expected in zip((GIL, FREE), EXPECTED[name]):
            dpor = check(sc, strategy="dpor", all_outcomes=True, semantics=semantics)
            dfs = check(sc, strategy="dfs", all_outcomes=True, semantics=semantics, max_executions=5000)
            assert dfs.complete and dpor.complete
            assert dpor.semantics == semantics
            assert shown(dpor) == shown(dfs) == expected, (semantics, shown(dpor), shown(dfs))


def test_the_model_file_is_safe_only_under_the_gil():
    m = load_model(ROOT / "models" / "free_threading.py")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = {name: check(m.scenario(name), all_outcomes=True) for name in ("membership", "audit", "audit_copy")}
    for name, (gil_classes, free_classes, gil_only) in {"membership": (2, 4, True), "audit": (2, 4, True),
                                                         "audit_copy": (2, 2, False)}.items():
        r = found[name]
        assert (r.semantics, r.under_gil.semantics) == (FREE, GIL)  # declared semantics="both"
        assert (r.under_gil.classes, r.classes, r.gil_only) == (gil_classes, free_classes, gil_only), name
        assert r.meets_expectation and r.under_gil.verdict == "safe"
    assert shown(found["audit"]) == {"!assertion failed in thread MainThread: the auditor saw a total of 110",
                                     ""}
    assert shown(found["membership"]) == {"!assertion failed in thread MainThread: 3 in items was False", ""}


def cli(*args: str) -> tuple[int, str, str]:
    proc = subprocess.run([sys.executable, "-m", "checker", *args, "--no-memory", "--graph", "none"],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    return proc.returncode, proc.stdout, proc.stderr


def test_the_cli_says_safe_only_under_the_gil_and_its_replay_line_reproduces_the_failure():
    code, out, err = cli("models/free_threading.py::audit")
    assert code == 0, err
    assert "audit() under free-threading: VIOLATION: assertion failed in thread MainThread: the auditor saw a " \
           "total of 110  [expected violation]" in out
    assert "under the GIL: SAFE over all 2 classes of interleavings  [expected safe]" in out
    assert "safe only under the GIL" in out
    replay = next(line.split("replay: ", 1)[1] for line in out.splitlines() if "replay: " in line)
    assert "--semantics free-threading" in replay
    code, out, err = cli(*replay.split()[3:])
    assert code == 0, err
    assert "the auditor saw a total of 110" in out and "REPLAYED" not in out


def test_json_carries_the_semantics_and_the_gil_result(tmp_path):
    import jsonschema

    code, out, err = cli("models/free_threading.py::membership", "--json", str(tmp_path / "r.json"))
    assert code == 0, err
    doc = json.loads((tmp_path / "r.json").read_text())
    schema = json.loads((ROOT / "checker" / "present" / "result_schema.json").read_text())
    jsonschema.validate(doc, schema)
    (item,) = doc["scenarios"]
    assert (item["semantics"], item["verdict"], item["gil_only"]) == (FREE, "violation", True)
    assert (item["under_gil"]["semantics"], item["under_gil"]["verdict"]) == (GIL, "safe")
    code, out, err = cli("models/counter.py::locked", "--json", str(tmp_path / "s.json"), "--semantics", "both")
    (item,) = json.loads((tmp_path / "s.json").read_text())["scenarios"]
    assert (item["semantics"], item["under_gil"], item["gil_only"]) == (None, None, False)  # a step program


def test_a_gil_run_of_the_model_and_a_step_program_under_free_threading(ops):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gil = check(load_model(ROOT / "models" / "free_threading.py").scenario("audit"), semantics=GIL)
        steps = check(load_model(ROOT / "models" / "counter.py").scenario("locked"), semantics=FREE)
    assert (gil.verdict, gil.semantics, gil.under_gil, gil.meets_expectation) == ("safe", GIL, None, True)
    assert (steps.verdict, steps.semantics, steps.classes) == ("safe", None, 6)  # its steps are its own


def test_bad_semantics_are_refused_clearly(tmp_path, ops):
    with pytest.raises(UsageError, match="unknown semantics 'nogil'"):
        check(ops.scenario("contains"), semantics="nogil")
    with pytest.raises(UsageError, match="a replay runs one schedule under one"):
        check(ops.scenario("contains"), semantics="both", replay="v1:0")
    bad = tmp_path / "bad.py"
    bad.write_text(textwrap.dedent("""
        import threading
        from checker import scenario

        @scenario(semantics="nogil")
        def s():
            pass
    """))
    with pytest.raises(ModelError, match="unknown semantics 'nogil'"):
        load_model(bad)
    code, out, err = cli("models/free_threading.py", "--semantics", "nogil")
    assert code == 2 and "invalid choice: 'nogil'" in err


def test_failures_are_remembered_per_memory_model(tmp_path):
    audit = load_model(ROOT / "models" / "free_threading.py").scenario("audit")
    declared_safe = replace(audit, expect={"*": "safe"}, semantics=GIL)  # a failure is unexpected: remembered
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        first = check(declared_safe, semantics=FREE, memory=tmp_path)
        again = check(declared_safe, semantics=FREE, memory=tmp_path)
        gil = check(declared_safe, semantics=GIL, memory=tmp_path)
    assert first.verdict == "violation" and again.from_memory == str(tmp_path)
    assert gil.verdict == "safe" and gil.from_memory is None  # the free-threading schedule is not replayed here


def test_outcomes_of_unmodified_code_say_what_they_are():
    code, out, err = cli("models/counter_threads.py::unlocked", "--all-outcomes", "-q")
    assert code == 0, err
    assert "outcomes (3) (unmodified code: what was printed and how the execution ended):" in out
    assert "      6 x  no failure" in out and "(no shared objects)" not in out


@pytest.mark.parametrize("strategy", ["dpor", "random"])
def test_parallel_workers_explore_under_the_same_memory_model(strategy):
    audit = load_model(ROOT / "models" / "free_threading.py").scenario("audit")
    settings = dict(strategy=strategy, all_outcomes=True, jobs=2, semantics=FREE)
    if strategy == "random":
        settings["max_executions"] = 60
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parallel = check(audit, **settings)
        one = check(audit, **{**settings, "jobs": 1})
    assert parallel.workers == 2 and parallel.semantics == FREE
    assert shown(parallel) == shown(one) == {"", "!assertion failed in thread MainThread: the auditor saw a total of 110"}
    if strategy == "dpor":
        assert parallel.executions == one.executions == 4


def test_a_notebook_shows_both_verdicts():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        page = check(load_model(ROOT / "models" / "free_threading.py").scenario("membership"))._repr_html_()
    assert "membership() under free-threading: VIOLATION" in page
    assert "under the GIL: SAFE over all 2 classes of interleavings" in page and "safe only under the GIL" in page


def test_the_html_report_shows_both_verdicts(tmp_path):
    code, out, err = cli("models/free_threading.py::audit", "--html", str(tmp_path / "r.html"))
    assert code == 0, err
    page = (tmp_path / "r.html").read_text()
    assert "under the GIL: SAFE over all 2 classes of interleavings" in page and "safe only under the GIL" in page
