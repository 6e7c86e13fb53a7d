"""Unmodified threading code (docs/unmodified.md): model files that use
``threading`` and ``time`` as written, checked by the same engine.

Each scenario here is compared with the step program that says the same
thing by hand (same verdicts, same classes, same printed outcomes), and
with brute force (every reduction must find every outcome brute force
finds)."""

from __future__ import annotations

import gc
import textwrap
from pathlib import Path

import pytest

from checker import ModelError, check, load_model
from checker.runtime import real_steps

MODELS = Path(__file__).resolve().parent.parent / "models"
# the tutorial calls currentThread(), getName() and isSet(), which warn as in CPython
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def model(tmp_path: Path, source: str, name: str = "m.py"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(source))
    return load_model(path), path


def outputs(result) -> set:
    """Outcomes as what was printed and how the execution ended."""
    return {(o.outcome.output, o.outcome.failure) for o in result.outcomes}


# -- the example and the tutorial's cells --------------------------------------
@pytest.mark.parametrize("n, classes", [(1, 2), (2, 6), (3, 20)])
def test_the_tutorial_counter_with_its_lock_is_safe_over_the_step_programs_classes(n, classes):
    unmodified = check(load_model(MODELS / "counter_threads.py").scenario("locked"), params={"n": n})
    steps = check(load_model(MODELS / "counter.py").scenario("locked"), params={"times": n})
    assert (unmodified.verdict, unmodified.complete, unmodified.classes) == ("safe", True, classes)
    assert steps.classes == classes


def test_without_the_lock_the_lost_update_is_found_with_the_users_lines():
    r = check(load_model(MODELS / "counter_threads.py").scenario("unlocked"), params={"n": 1})
    assert r.verdict == "violation" and r.failure.kind == "assertion"
    assert "final value 1, expected 2" in r.failure.message
    rows = [(e.thread_name, a.describe(), a.line) for e in r.counterexample.trace.events for a in e.accesses
            if a.field == "value" and e.thread_name != "MainThread"]
    # each thread reads 0 and writes 1: both read before either wrote (counter_threads.py:41 is the += line)
    assert sorted(rows) == [("Thread-1 (f)", "read unsafecounter.value = 0", 41),
                            ("Thread-1 (f)", "write unsafecounter.value = 1", 41),
                            ("Thread-2 (f)", "read unsafecounter.value = 0", 41),
                            ("Thread-2 (f)", "write unsafecounter.value = 1", 41)]


# models/event_threads.py as a step program with a `yield` wherever the real code can switch threads
# (before each print, each is_set, each set): models/event_timeout.py merges some of them into one step
EVENT_STEPS = """
    from checker import Event, Thread, current_thread, scenario, sleep

    def f2(e):
        yield
        print(f"{current_thread().name} is waiting for event.")
        value = yield e.wait(2)
        yield
        print("other thread set the event" if value else "timeout finished")

    def g2(e, t):
        yield sleep(t)
        yield
        e.set()
        yield
        print(f"{current_thread().name} set the event.")

    def run(e, delay, expect_set):
        t = Thread(name='t', target=f2, args=(e,))
        s = Thread(name='s', target=g2, args=(e, delay))
        yield
        t.start()
        yield
        s.start()
        yield t.join()
        yield
        value = e.is_set()
        yield
        print(f"event value is {value}")
        assert value == expect_set, "the event was set before the wait timed out" if value else \\
            "t's wait(2) timed out before s set the event"
        yield s.join()

    @scenario
    def wait_times_out(delay=3):
        e = Event()
        yield from run(e, delay, False)

    @scenario
    def clear_then_wait(delay=1):
        e = Event()
        e.set()
        e.clear()
        yield from run(e, delay, True)
"""


@pytest.mark.parametrize("timing", ["ideal", "any-delay"])
@pytest.mark.parametrize("name", ["wait_times_out", "clear_then_wait"])
def test_the_tutorial_event_cells_print_what_the_step_program_prints(tmp_path, name, timing):
    unmodified = check(load_model(MODELS / "event_threads.py").scenario(name), timing=timing, all_outcomes=True)
    steps = check(model(tmp_path, EVENT_STEPS)[0].scenario(name), timing=timing, all_outcomes=True)
    assert unmodified.verdict == steps.verdict
    assert outputs(unmodified) == outputs(steps)
    coarse = check(load_model(MODELS / "event_timeout.py").scenario(name), timing=timing, all_outcomes=True)
    assert outputs(coarse) <= outputs(unmodified) and coarse.verdict == unmodified.verdict
    if timing == "ideal":
        assert outputs(coarse) == outputs(unmodified)


def test_wait_forever_prints_the_notebooks_lines_and_with_any_delay_also_the_lucky_order():
    notebook = "t is waiting for event.\ns sets the event.\nt finished waiting.\n"
    delayed = "s sets the event.\nt is waiting for event.\nt finished waiting.\n"  # t starts after s's sleep(1)
    for timing, classes, printed in (("ideal", 1, {notebook}), ("any-delay", 5, {notebook, delayed})):
        r = check(load_model(MODELS / "event_threads.py").scenario("wait_forever"), timing=timing, all_outcomes=True)
        steps = check(load_model(MODELS / "event_timeout.py").scenario("wait_forever"), timing=timing,
                      all_outcomes=True)
        assert (r.verdict, r.classes) == ("safe", classes)
        assert {o.outcome.output for o in r.outcomes} == {o.outcome.output for o in steps.outcomes} == printed


def test_ideal_timing_gives_the_notebooks_output():
    r = check(load_model(MODELS / "event_threads.py").scenario("wait_times_out"), all_outcomes=True)
    assert [o.outcome.output for o in r.outcomes] == [
        "t is waiting for event.\ntimeout finished\nevent value is False\ns set the event.\n"]


# -- shared state the tracer must see ----------------------------------------------------
PATTERNS = """
    import threading
    from checker import scenario

    hits = 0

    def bump():
        global hits
        hits += 1

    @scenario(expect="assertion")
    def global_counter():
        global hits
        hits = 0
        ts = [threading.Thread(target=bump) for _ in range(2)]
        for t in ts: t.start()
        for t in ts: t.join()
        assert hits == 2, hits

    @scenario(expect="assertion")
    def closure_counter():
        total = 0
        def add():
            nonlocal total
            total += 1
        a = threading.Thread(target=add); b = threading.Thread(target=add)
        a.start(); b.start(); a.join(); b.join()
        assert total == 2, total

    @scenario
    def appends():
        items = []
        a = threading.Thread(target=items.append, args=(1,)); b = threading.Thread(target=items.append, args=(2,))
        a.start(); b.start(); a.join(); b.join()
        print(items)

    @scenario(expect="assertion")
    def check_then_act():
        cache, made = {}, []
        def get(k):
            if k not in cache:
                made.append(k)
                cache[k] = 1
        a = threading.Thread(target=get, args=("x",))
        a.start(); get("x"); a.join()
        assert len(made) == 1, made

    @scenario(expect="deadlock")
    def deadlock():
        a, b = threading.Lock(), threading.Lock()
        def one():
            with a:
                with b:
                    pass
        def two():
            with b:
                with a:
                    pass
        t = threading.Thread(target=one); s = threading.Thread(target=two)
        t.start(); s.start(); t.join(); s.join()

    @scenario
    def condition():
        cond = threading.Condition()
        box = []
        def consumer():
            with cond:
                cond.wait_for(lambda: box)
                print("got", box[0])
        def producer():
            with cond:
                box.append(42)
                cond.notify()
        t = threading.Thread(target=consumer); s = threading.Thread(target=producer)
        t.start(); s.start(); t.join(); s.join()

    class Worker(threading.Thread):
        def __init__(self, n):
            super().__init__()
            self.n = n
            self.result = None
        def run(self):
            self.result = self.n * 2

    @scenario
    def subclass():
        ws = [Worker(1), Worker(2)]
        for w in ws: w.start()
        for w in ws: w.join()
        print([w.result for w in ws])

    class Account:
        rate = 1
        def __init__(self):
            self.balance = 0

    def deposit(acc):
        acc.balance = acc.balance + Account.rate

    def change_rate():
        Account.rate = 2

    @scenario
    def class_attribute():
        Account.rate = 1
        acc = Account()
        a = threading.Thread(target=deposit, args=(acc,)); b = threading.Thread(target=change_rate)
        a.start(); b.start(); a.join(); b.join()
        print(acc.balance)
"""

# scenario -> (verdict with every outcome, executions, printed outcomes or None)
EXPECTED = {
    "global_counter": ("violation", 4, None),
    "closure_counter": ("violation", 4, None),
    "appends": ("safe", 2, {"[1, 2]\n", "[2, 1]\n"}),
    "check_then_act": ("violation", 6, None),
    "deadlock": ("violation", 3, None),
    "condition": ("safe", 2, {"got 42\n"}),
    "subclass": ("safe", 1, {"[2, 4]\n"}),
    "class_attribute": ("safe", 2, {"1\n", "2\n"}),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_patterns_against_brute_force(tmp_path, name):
    m, _ = model(tmp_path, PATTERNS)
    sc = m.scenario(name)
    verdict, executions, printed = EXPECTED[name]
    dpor = check(sc, strategy="dpor", all_outcomes=True)
    dfs = check(sc, strategy="dfs", all_outcomes=True, max_executions=5000)
    assert dfs.complete and dpor.complete
    assert outputs(dpor) == outputs(dfs)
    assert (dpor.verdict, dpor.executions) == (verdict, executions)
    if printed is not None:
        assert {o.outcome.output for o in dpor.outcomes} == printed


LOCAL_WORK = """
    import threading
    from checker import scenario

    class Point:
        def __init__(self):
            self.x = 0

    def work(out, k, use_object):
        total = 0
        for i in range(20):
            total += i * k                   # local variables: no step
        if use_object:
            p = Point()                      # an object of this thread's own: the tracer still sees it
            p.x = total
            total = p.x
        out.append(total)

    @scenario
    def local_work(use_object=False):
        out = []
        a = threading.Thread(target=work, args=(out, 1, use_object))
        b = threading.Thread(target=work, args=(out, 2, use_object))
        a.start(); b.start(); a.join(); b.join()
        print(sorted(out))
"""


def test_thread_local_variables_cost_no_steps(tmp_path):
    m, _ = model(tmp_path, LOCAL_WORK)
    r = check(m.scenario("local_work"), all_outcomes=True)
    assert (r.verdict, r.executions, {o.outcome.output for o in r.outcomes}) == ("safe", 2, {"[190, 380]\n"})
    assert r.transitions == 16, r.transitions  # 8 steps per execution: the loop of 20 runs inside one


def test_objects_of_one_thread_cost_nothing(tmp_path):
    # the Point each thread makes is never handed over (program/unmodified/sharing.py): touching it is
    # no scheduling point and no footprint, so the search is the one without it
    m, _ = model(tmp_path, LOCAL_WORK)
    r = check(m.scenario("local_work"), params={"use_object": True}, all_outcomes=True)
    dfs = check(m.scenario("local_work"), params={"use_object": True}, all_outcomes=True, strategy="dfs")
    assert (r.verdict, r.executions, {o.outcome.output for o in r.outcomes}) == ("safe", 2, {"[190, 380]\n"})
    assert r.transitions == 16 and outputs(dfs) == outputs(r)


SHARED_LATER = """
    import threading
    from checker import scenario

    class Box:
        def __init__(self):
            self.item = None

    class Item:
        def __init__(self):
            self.n = 0

    REGISTRY = []

    def producer(box):
        it = Item()          # its own object...
        it.n = 1
        box.item = it        # ...published here: from now on its accesses count
        it.n = 2

    def consumer(box):
        it = box.item
        if it is not None:
            print("saw", it.n)
        REGISTRY.append(1)   # a module variable: shared by being loaded

    @scenario
    def publish():
        box = Box()
        REGISTRY.clear()
        a = threading.Thread(target=producer, args=(box,)); b = threading.Thread(target=consumer, args=(box,))
        a.start(); b.start(); a.join(); b.join()
        print(len(REGISTRY))

    def fill(acc=[]):        # a mutable default argument is shared by every call
        acc.append(1)
        return len(acc)

    @scenario
    def default_argument():
        fill.__defaults__[0].clear()
        a = threading.Thread(target=fill); b = threading.Thread(target=fill)
        a.start(); b.start(); a.join(); b.join()
        print(fill.__defaults__[0])
"""


@pytest.mark.parametrize("name, printed", [
    ("publish", {"1\n", "saw 1\n1\n", "saw 2\n1\n"}),
    ("default_argument", {"[1, 1]\n"}),
])
def test_objects_shared_later_are_seen_from_then_on(tmp_path, name, printed):
    m, _ = model(tmp_path, SHARED_LATER)
    r = check(m.scenario(name), all_outcomes=True)
    dfs = check(m.scenario(name), all_outcomes=True, strategy="dfs")
    assert {o.outcome.output for o in r.outcomes} == printed
    assert outputs(r) == outputs(dfs)


# -- what is refused, by line --------------------------------------------------------------
@pytest.mark.parametrize("body, message, line", [
    ("import _thread\n", "_thread is not supported in unmodified models yet", 2),
    ("from concurrent.futures import ProcessPoolExecutor\n",
     "concurrent.futures.ProcessPoolExecutor is not supported", 2),
])
def test_unsupported_modules_are_refused_when_loading(tmp_path, body, message, line):
    path = tmp_path / "m.py"
    path.write_text("import threading\n" + body + "from checker import scenario\n@scenario\ndef s():\n    pass\n")
    with pytest.raises(ModelError) as info:
        load_model(path)
    assert message in str(info.value) and f"{path}:{line}" in str(info.value)


REFUSED = {
    "vars": ("class C: pass\n", "def w(c):\n    vars(c)['x'] = 1\n", "vars() gives access to attributes", 5),
    "dict": ("class C: pass\n", "def w(c):\n    c.__dict__['x'] = 1\n", "C.__dict__ of an object other threads can reach", 5),
    "method": ("class C:\n    def m(self): pass\n", "def w(c):\n    C.m = print\n", "assigning C.m", 6),
    "local": ("class C: pass\n", "def w(c):\n    threading.local()\n", "threading.local is not supported", 5),
    "sleep": ("import importlib\nclass C: pass\n", "def w(c):\n    importlib.import_module('time').sleep(0)\n",
              "the real time.sleep is not supported", 6),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_what_the_tracer_cannot_follow_is_refused_by_line(tmp_path, name):
    head, worker, message, line = REFUSED[name]
    source = ("import threading\nfrom checker import scenario\n" + head + worker +
              "@scenario\ndef s():\n    c = C()\n    t = threading.Thread(target=w, args=(c,))\n"
              "    t.start(); t.join()\n")
    path = tmp_path / "m.py"
    path.write_text(source)
    with pytest.raises(ModelError) as info:
        check(load_model(path).scenarios[0])
    assert message in str(info.value), str(info.value)
    assert f"{path}:{line}" in str(info.value), str(info.value)


def test_the_real_threading_module_reached_through_a_helper_is_refused(tmp_path):
    # a module elsewhere on sys.path is the real one (a helper next to the model file is a private copy)
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "helper_real.py").write_text("import threading\n\ndef make():\n    return threading.Event()\n"
                                                     "\ndef wait(e):\n    e.wait(0)\n")
    path = tmp_path / "m.py"
    path.write_text(f"import sys, threading\nsys.path.insert(0, {str(tmp_path / 'lib')!r})\nimport helper_real\n"
                    "from checker import scenario\n"
                    "@scenario\ndef s():\n    e = helper_real.make()\n"
                    "    t = threading.Thread(target=helper_real.wait, args=(e,))\n    t.start(); t.join()\n")
    with pytest.raises(ModelError) as info:
        check(load_model(path).scenarios[0])
    assert "the real threading module runs inside a scenario" in str(info.value)


def test_no_thread_is_left_behind(tmp_path):
    m, _ = model(tmp_path, PATTERNS)
    for name in ("deadlock", "check_then_act"):
        check(m.scenario(name), strategy="dfs", all_outcomes=True, max_executions=300)
    gc.collect()  # the last executions' parked bodies are closed when the next execution starts, or here
    real_steps.close_abandoned()
    assert real_steps.active_bodies() == 0


def test_the_real_modules_are_untouched(tmp_path):
    import threading
    import time

    m, _ = model(tmp_path, PATTERNS)
    check(m.scenario("condition"))
    assert threading.Lock is not None and threading.Lock().acquire(timeout=0)
    assert time.sleep.__module__ == "time" and "threading" in str(type(threading.Condition()))


def test_a_step_that_never_ends_is_stopped_with_the_line_and_the_thread_is_not_left_running(tmp_path):
    m, path = model(tmp_path, """
        import threading
        from checker import scenario

        def spin():
            n = 0
            while True:
                n += 1

        @scenario
        def stuck():
            t = threading.Thread(target=spin)
            t.start()
            t.join()
        """)
    with pytest.raises(ModelError) as info:
        check(m.scenario("stuck"), step_timeout=0.5)
    text = str(info.value)
    line = 7 if f"{path}:7:" in text else 8  # wherever the loop was when the budget ran out
    code = {7: "while True:", 8: "n += 1"}[line]
    assert f"{path}:{line}: thread Thread-1 (spin) of scenario stuck at {path}:{line}: {code} ran one step for " \
           "more than 0.5 s without touching anything another thread can see" in text, text
    del info  # its traceback holds the execution, whose main thread is parked in join()
    gc.collect()
    real_steps.close_abandoned()
    assert real_steps.active_bodies() == 0


def test_the_readme_example_is_proven_and_without_its_lock_fails(tmp_path):
    import re

    readme = (MODELS.parent / "README.md").read_text()
    source = re.findall(r"```python\n(.*?)```", readme.split("## Unmodified `threading` code", 1)[1], re.S)[0]
    m, _ = model(tmp_path, source, "readme_counter.py")
    r = check(m.scenario("locked"))
    assert (r.verdict, r.classes) == ("safe", 6)
    unlocked = source.replace("self.lock.acquire(); ", "").replace("; self.lock.release()", "")
    m, _ = model(tmp_path, unlocked, "readme_unlocked.py")
    r = check(m.scenario("locked"))
    assert r.verdict == "violation" and r.failure.kind == "assertion"


def test_traced_code_still_runs_after_a_step_budget_fired_in_another_thread(tmp_path):
    # the step budget interrupts a non-main thread with an asynchronous exception; taking back one not
    # delivered must not leave CPython's "async exception pending" signal set, under which traced code
    # (this front end's tracer) never gets past its next instruction
    import subprocess
    import sys

    from test_visibility import STUCK  # a step program whose step never ends (step_timeout=0.5)

    stuck = tmp_path / "stuck.py"
    stuck.write_text(textwrap.dedent(STUCK))
    script = textwrap.dedent(f"""
        import threading, warnings
        from checker import check, load_model
        warnings.simplefilter("ignore")
        def run():
            try:
                check(load_model({str(stuck)!r}).scenarios[0])
            except Exception as e:
                print("stopped:", type(e).__name__)
        t = threading.Thread(target=run); t.start(); t.join(30)
        r = check(load_model({str(MODELS / 'counter_threads.py')!r}).scenario("locked"))
        print(r.verdict, r.classes)
        """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["stopped:", "ModelError", "safe", "6"], out.stdout + out.stderr


def test_real_threads_only_print_what_the_checker_found(tmp_path):
    """The oracle: the same file run as an ordinary module, with the real
    threading, prints only outputs the checker's search reached."""
    import contextlib
    import importlib.util
    import io

    path = tmp_path / "oracle.py"
    path.write_text(textwrap.dedent(PATTERNS))
    checked = load_model(path)
    spec = importlib.util.spec_from_file_location("oracle_real", path)
    real = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(real)  # type: ignore[union-attr]
    for name in ("appends", "condition", "subclass", "class_attribute"):
        found = {o.outcome.output for o in check(checked.scenario(name), all_outcomes=True).outcomes}
        seen = set()
        for _ in range(30):
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                getattr(real, name).func()
            seen.add(out.getvalue())
        assert seen <= found, (name, seen - found)


QUEUES = """
import queue
import threading
from checker import scenario


def worker(q, results):
    while True:
        item = q.get()
        if item is None:
            q.task_done()
            break
        results.append(item * item)
        q.task_done()


@scenario
def pool(count=2):
    q = queue.Queue()
    results = []
    threads = [threading.Thread(target=worker, args=(q, results)) for _ in range(1)]
    for t in threads:
        t.start()
    for n in range(count):
        q.put(n)
    for _ in threads:
        q.put(None)
    q.join()
    assert sorted(results) == [n * n for n in range(count)], results
    for t in threads:
        t.join()


@scenario(expect="assertion")
def early_task_done():
    q = queue.Queue()
    results = []

    def eager(q, results):
        while True:
            item = q.get()
            q.task_done()           # too early: join() may return before the result is in
            if item is None:
                break
            results.append(item)

    t = threading.Thread(target=eager, args=(q, results)); t.start()
    q.put(0)
    q.join()
    assert results == [0], f"join() returned with results {results}"
    q.put(None)
    t.join()
"""


@pytest.mark.parametrize("name, verdict, executions", [("pool", "safe", 38), ("early_task_done", "violation", 10)])
def test_queue_counterparts_against_brute_force(tmp_path, name, verdict, executions):
    m, _ = model(tmp_path, QUEUES)
    dpor = check(m.scenario(name), all_outcomes=True)
    dfs = check(m.scenario(name), all_outcomes=True, strategy="dfs", max_executions=5000)
    assert dfs.complete and outputs(dpor) == outputs(dfs)
    assert (dpor.verdict, dpor.executions) == (verdict, executions)
