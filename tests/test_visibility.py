"""What the checker sees: every way a step can observe or change state that
another thread can reach is recorded (so DPOR reaches brute force's
outcomes) or refused with a clear error.  Each test is a hole that once
let DPOR print SAFE where brute force found the bug."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from checker import ModelError, check, load_model

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")


def model(tmp_path, text, name="model.py"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return load_model(path), path


def both(sc, **settings):
    """DPOR and brute force, every outcome."""
    dpor = check(sc, strategy="dpor", all_outcomes=True, **settings)
    dfs = check(sc, strategy="dfs", all_outcomes=True, **settings)
    return dpor, dfs


def failures(result):
    return sorted({o.outcome.failure for o in result.outcomes if o.outcome.failure})


PUBLISH = """
    from checker import Shared, Thread, scenario

    class Flag(Shared):
        ready = False

    def publisher(flag, data):
        flag.ready = True          # published before the data: the bug
        yield
        data.value = 42

    def consumer_{name}(flag, data):
        {check}
        yield

    @scenario(expect="violation")
    def publish():
        flag = {flag}; data = Shared()
        b = Thread(target=consumer_{name}, args=(flag, data), name="b")
        a = Thread(target=publisher, args=(flag, data), name="a")
        b.start(); a.start()      # the consumer runs first in the first execution
        yield a.join(); yield b.join()
"""

CONSUMERS = {
    "hasattr": ("Shared()", 'if hasattr(flag, "ready"):\n            assert hasattr(data, "value"), "data missing"'),
    "getattr": ("Shared()", 'if getattr(flag, "ready", False):\n            assert getattr(data, "value", 0) == 42, "data missing"'),
    "caught": ("Shared()", "try:\n            flag.ready\n        except AttributeError:\n            pass\n"
               "        else:\n            assert hasattr(data, 'value'), 'data missing'"),
    "class_default": ("Flag()", 'if flag.ready:\n            assert hasattr(data, "value"), "data missing"'),
}


@pytest.mark.parametrize("name", sorted(CONSUMERS))
def test_reads_of_absent_and_class_level_attributes_are_recorded(tmp_path, name):
    flag, check_code = CONSUMERS[name]
    m, _ = model(tmp_path, PUBLISH.format(name=name, flag=flag, check=check_code))
    dpor, dfs = both(m.scenarios[0])
    assert dpor.verdict == dfs.verdict == "violation"
    assert dpor.outcome_set() == dfs.outcome_set()
    assert failures(dpor) == ["assertion failed in thread b: data missing"]


def test_property_reading_a_class_default_is_recorded(tmp_path):
    m, _ = model(tmp_path, """
        from checker import Shared, Thread, scenario

        class Box(Shared):
            items = ()
            @property
            def size(self):
                return len(self.items)

        def add(box):
            box.items = box.items + (1,)
            yield

        def look(box):
            print(box.size)
            yield

        @scenario
        def sizes():
            box = Box()
            a = Thread(target=look, args=(box,)); b = Thread(target=add, args=(box,))
            a.start(); b.start()
            yield a.join(); yield b.join()
        """)
    dpor, dfs = both(m.scenarios[0])
    assert {o.output for o in dpor.outcome_set()} == {"0\n", "1\n"}
    assert dpor.outcome_set() == dfs.outcome_set()


BYPASSES = {
    "vars": ("vars(c)", "vars() / __dict__ of the Shared object c is not available"),
    "dict_item": ("c.__dict__['value'] = 5", "vars() / __dict__ of the Shared object c is not available"),
    "object_setattr": ("object.__setattr__(c, 'value', 5); c.value", "c.value was set behind the checker's back"),
    "internal": ("c._checker_id = 3", "checker-internal attributes of a Shared object cannot be assigned"),
    "copy": ("import copy; copy.copy(c)", "c cannot be copied or pickled"),
    "class_attribute": ("Counter.limit = 3", "assigning the class attribute Counter.limit"),
    "method_shadow": ("c.bump = 1", "would hide the method Counter.bump"),
}


@pytest.mark.parametrize("name", sorted(BYPASSES))
def test_bypasses_are_refused_with_the_line(tmp_path, name):
    code, message = BYPASSES[name]
    _, path = model(tmp_path, f"""
        from checker import Shared, Thread, scenario

        class Counter(Shared):
            limit = 2
            def bump(self):
                self.value += 1

        def w(c):
            {code}
            yield

        @scenario
        def s():
            c = Counter(value=0)
            t = Thread(target=w, args=(c,)); t.start()
            yield t.join()
        """)
    m = load_model(path)
    with pytest.raises(ModelError) as info:
        check(m.scenarios[0])
    assert message in str(info.value)
    assert f"{path}:10" in str(info.value)


def test_object_getattribute_finds_no_data():
    """The data is not in the instance __dict__: the low-level read fails
    loudly instead of reading unrecorded."""
    from checker.program.shared import Shared

    class Holder(Shared):
        pass

    from conftest import as_scenario

    seen = []

    def body():
        h = Holder(value=1)
        try:
            object.__getattribute__(h, "value")
        except AttributeError as e:
            seen.append(str(e))

    check(as_scenario(body))
    assert seen == ["'Holder' object has no attribute 'value'"]


def test_slots_in_a_shared_subclass_are_refused(tmp_path):
    with pytest.raises(ModelError, match="declares __slots__"):
        model(tmp_path, """
            from checker import Shared
            class P(Shared):
                __slots__ = ("x",)
            """)


RUNTIME_STATE = """
    from checker import Shared, Thread, current_thread, scenario

    def child():
        me = current_thread()
        print(me.name, me.ident)
        yield

    def spawner(made):
        box = Shared(by=current_thread().name)
        t = Thread(target=child)   # Thread-N: in creation order
        yield
        t.start()                  # ident: in start order
        yield t.join()

    @scenario
    def spawn():
        a = Thread(target=spawner, name="a", args=(None,)); b = Thread(target=spawner, name="b", args=(None,))
        a.start(); b.start()
        yield a.join(); yield b.join()
"""


@pytest.mark.parametrize("timing", ["ideal", "any-delay"])
def test_thread_names_idents_and_creation_order_are_recorded(tmp_path, timing):
    """Default names (Thread-N), idents (start order) and labels (box,
    box#2) depend on which thread got there first, as in CPython."""
    m, _ = model(tmp_path, RUNTIME_STATE)
    dpor, dfs = both(m.scenarios[0], timing=timing)
    cached = check(m.scenarios[0], strategy="cached", all_outcomes=True, timing=timing)
    assert dpor.outcome_set() == dfs.outcome_set() == cached.outcome_set()
    outputs = {o.output for o in dfs.outcome_set()}
    assert outputs == {
        "Thread-1 (child) 4\nThread-2 (child) 5\n", "Thread-2 (child) 4\nThread-1 (child) 5\n",
        "Thread-1 (child) 5\nThread-2 (child) 4\n", "Thread-2 (child) 5\nThread-1 (child) 4\n",
    }
    assert {tuple(label for label, _ in o.state) for o in dfs.outcome_set()} == {("box", "box#2")}
    assert len(dfs.outcome_set()) == 8  # which spawner made `box` is part of each outcome
    assert dpor.executions == 8


PLAIN = {
    "list_arg": ("""
        def w(items):
            n = len(items)
            yield
            items.append(n)
        @scenario
        def s():
            items = []
            a = Thread(target=w, args=(items,)); b = Thread(target=w, args=(items,))
            a.start(); b.start()
            yield a.join(); yield b.join()
        """, "changed a plain list in place (args[0] of thread Thread-1 (w))", 6),
    "plain_instance": ("""
        class Counter:                  # the tutorial's class, without Shared
            def __init__(self):
                self.value = 0
        def w(counter):
            v = counter.value
            yield
            counter.value = v + 1
        @scenario
        def s():
            c = Counter()
            a = Thread(target=w, args=(c,)); b = Thread(target=w, args=(c,))
            a.start(); b.start()
            yield a.join(); yield b.join()
        """, "changed a plain Counter in place (args[0] of thread Thread-1 (w))", 9),
    "bound_method": ("""
        class Counter:
            def __init__(self):
                self.value = 0
            def run(self):
                self.value += 1
                yield
        @scenario
        def s():
            c = Counter()
            a = Thread(target=c.run); a.start()
            yield a.join()
        """, "the object whose method is the target of thread Thread-1 (run)", 7),
    "value_in_shared": ("""
        def w(box):
            box.items.append(1)
            yield
        @scenario
        def s():
            box = Shared(items=[])
            a = Thread(target=w, args=(box,)); a.start()
            yield a.join()
        """, "changed a plain list in place (box.items)", 4),
    "closure": ("""
        @scenario
        def s():
            total = 0
            def w():
                nonlocal total
                total += 1
                yield
            a = Thread(target=w); a.start()
            yield a.join()
        """, "assigned the variable 'total' the target of thread Thread-1 (w) closes over", 8),
    "queue_item": ("""
        from checker import Queue
        def w(q):
            item = yield q.get()
            item.append(2)
        @scenario
        def s():
            q = Queue()
            a = Thread(target=w, args=(q,)); a.start()
            yield q.put([1])
            yield a.join()
        """, "changed a plain list in place (an item put into q)", 6),
    "shared_dict_value": ("""
        from checker import SharedDict
        def w(d):
            d["k"].add(1)
            yield
        @scenario
        def s():
            d = SharedDict(k=set())
            a = Thread(target=w, args=(d,)); a.start()
            yield a.join()
        """, "changed a plain set in place (d['k'])", 5),
}


@pytest.mark.parametrize("name", sorted(PLAIN))
def test_plain_objects_two_threads_reach_are_refused(tmp_path, name):
    body, message, line = PLAIN[name]
    m, path = model(tmp_path, "from checker import Shared, Thread, scenario\n" + textwrap.dedent(body))
    with pytest.raises(ModelError) as info:
        check(m.scenarios[0])
    text = str(info.value)
    assert message in text, text
    assert f"{path}:{line}:" in text
    assert "can reach it too" in text or "other threads can reach it" in text
    assert "Shared" in text  # the fix


def test_module_level_variable_changed_by_threads_is_refused(tmp_path):
    m, path = model(tmp_path, """
        from checker import Thread, scenario
        total = 0
        def add():
            global total
            total += 1
            yield
        @scenario
        def s():
            a = Thread(target=add); b = Thread(target=add)
            a.start(); b.start()
            yield a.join(); yield b.join()
        """)
    with pytest.raises(ModelError) as info:
        check(m.scenarios[0])
    text = str(info.value)
    assert text.startswith(f"{path}:6: module-level variable total changed while the threads of scenario s ran")
    assert "code reachable from add" in text


@pytest.mark.parametrize("change", ["work.runs = getattr(work, 'runs', 0) + 1", "Tally.count += 1"])
def test_function_and_class_attributes_changed_by_threads_are_refused(tmp_path, change):
    m, path = model(tmp_path, f"""
        from checker import Thread, scenario
        class Tally:
            count = 0
        def work():
            {change}
            yield
        @scenario
        def s():
            a = Thread(target=work); a.start()
            yield a.join()
        """)
    with pytest.raises(ModelError, match="module-level variable (work|Tally) changed") as info:
        check(m.scenarios[0])
    assert str(info.value).startswith(f"{path}:6:")


def test_helper_module_variables_and_mutable_defaults_are_refused(tmp_path):
    """A variable of the user's own helper module (helpers.STATE) and the
    mutable default argument of a function the threads call: both once
    gave SAFE under DPOR while brute force found the missed update."""
    (tmp_path / "helpers_of_model.py").write_text("STATE = []\n")
    m, path = model(tmp_path, """
        import sys
        sys.path.insert(0, __file__.rsplit("/", 1)[0])
        import helpers_of_model
        from checker import Thread, scenario

        def note(acc=[]):
            acc.append(1)
            return len(acc)

        def first():
            helpers_of_model.STATE.append(1)
            note()
            yield

        def second():
            yield
            assert len(helpers_of_model.STATE) == 1 and note() == 2, "missed"

        @scenario
        def s():
            a = Thread(target=first); b = Thread(target=second)
            a.start(); b.start()
            yield a.join(); yield b.join()
        """)
    with pytest.raises(ModelError, match="module-level variable (STATE|note) changed") as info:
        check(m.scenarios[0], strategy="dpor")
    assert str(info.value).startswith(f"{path}:12:")


def test_attributes_added_to_a_primitive_are_refused(tmp_path):
    m, path = model(tmp_path, """
        from checker import Lock, Thread, scenario

        def a(lock):
            lock.note = 1
            yield

        def b(lock):
            yield
            assert getattr(lock, "note", 0) == 1, "missed the note"

        @scenario
        def s():
            lock = Lock()
            t = Thread(target=a, args=(lock,)); u = Thread(target=b, args=(lock,))
            t.start(); u.start()
            yield t.join(); yield u.join()
        """)
    with pytest.raises(ModelError) as info:
        check(m.scenarios[0], strategy="dpor")
    assert str(info.value).startswith(f"{path}:5: assigning lock.note: attributes added to a Lock are not recorded")


def test_setup_may_change_module_variables_and_read_only_plain_data_is_fine(tmp_path):
    """The tutorial's `global counter` set up before the threads start, a list
    of locks handed to threads, and a thread's own scratch list are fine."""
    m, _ = model(tmp_path, """
        from checker import Lock, Shared, Thread, scenario
        counter = None
        def w(locks, i):
            mine = []
            yield locks[i].acquire()
            mine.append(counter.value)
            counter.value = mine[0] + 1
            locks[i].release()
        @scenario
        def s():
            global counter
            counter = Shared(value=0)
            locks = [Lock(), Lock()]
            a = Thread(target=w, args=(locks, 0)); b = Thread(target=w, args=(locks, 0))
            a.start(); b.start()
            yield a.join(); yield b.join()
            assert counter.value == 2
        """)
    dpor, dfs = both(m.scenarios[0])
    assert dpor.verdict == dfs.verdict == "safe"
    assert dpor.executions == 2 and dfs.executions == 10


def test_thread_attribute_assigned_after_start_is_refused(tmp_path):
    m, path = model(tmp_path, """
        from checker import Thread, scenario
        def w():
            yield
        @scenario
        def s():
            t = Thread(target=w); t.start()
            t.result = 3
            yield t.join()
        """)
    with pytest.raises(ModelError, match="assigning Thread-1 \\(w\\).result after the thread started"):
        check(m.scenarios[0])


REAL = {
    "lock_arg": ("""
        def w(lock):
            lock.acquire()
            yield
            lock.release()
        @scenario
        def s():
            lock = threading.Lock()
            a = Thread(target=w, args=(lock,)); b = Thread(target=w, args=(lock,))
            a.start(); b.start()
            yield a.join(); yield b.join()
        """, "args[0] of thread Thread-1 (w) is a real threading.Lock", "checker.Lock", 12),
    "module_queue": ("""
        import queue
        jobs = queue.Queue()
        def w():
            jobs.get()
            yield
        @scenario
        def s():
            a = Thread(target=w); a.start()
            yield a.join()
        """, "module-level variable jobs of", "checker.Queue", 11),
    "lock_in_one_step": ("""
        def w():
            lock = threading.Lock()
            lock.acquire()
            lock.acquire()
            yield
        @scenario
        def s():
            a = Thread(target=w); a.start()
            yield a.join()
        """, "waits in a real threading.Lock", "checker.Lock", 7),
    "event_wait": ("""
        def w():
            threading.Event().wait()
            yield
        @scenario
        def s():
            a = Thread(target=w); a.start()
            yield a.join()
        """, "waits in a real threading.Event", "checker.Event", 5),
}


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_threading_primitives_are_refused_not_hung(tmp_path, name):
    body, message, counterpart, line = REAL[name]
    m, path = model(tmp_path, "import threading\nfrom checker import Thread, scenario\n" + textwrap.dedent(body))
    started = time.monotonic()
    with pytest.raises(ModelError) as info:
        check(m.scenarios[0], step_timeout=0.5)
    text = str(info.value)
    assert message in text, text
    assert f"use {counterpart}" in text and f"{path}:{line}" in text
    assert time.monotonic() - started < 10


STUCK = """
    from checker import Shared, Thread, scenario

    def spin(flag):
        while not flag.ready:
            pass
        yield

    @scenario(step_timeout=0.5)
    def busy():
        flag = Shared(ready=False)
        a = Thread(target=spin, args=(flag,), name="spinner"); a.start()
        yield a.join()
"""


def test_a_step_that_never_yields_is_stopped_with_where_it_is_stuck(tmp_path):
    m, path = model(tmp_path, STUCK)
    with pytest.raises(ModelError) as info:
        check(m.scenarios[0])
    text = str(info.value)
    assert f"thread spinner of scenario busy at {path}:5: while not flag.ready:" in text
    assert "ran one step for more than 0.5 s without reaching a `yield`" in text
    assert not [t for t in threading.enumerate() if t.name == "checker-step-watchdog"]


def test_a_library_frame_on_top_of_the_step_does_not_hide_the_model_line():
    # a garbage-collector callback an installed library registered (a test framework's timing hook)
    # may be what runs when the stuck step is sampled: the model's own line is still the one named
    import sysconfig
    from checker.runtime.watchdog import _model_frame

    source = "import sys\ndef hook(probe):\n    return probe()\ndef here(out):\n    out.append(sys._getframe())\n"
    library = compile(source, sysconfig.get_paths()["purelib"] + "/timing_hook.py", "exec")
    space: dict = {}
    exec(library, space)

    def model_line():
        return space["hook"](lambda: _model_frame(sys._getframe(1)))

    found = model_line()
    assert found.f_code.co_name == "model_line" and found.f_code.co_filename == __file__
    # with no frame of the user's own files on the stack, the library frame is the best there is
    out: list = []
    t = threading.Thread(target=space["here"], args=(out,))
    t.start()
    t.join()
    assert _model_frame(out[0]).f_code.co_name == "here"


def test_step_budget_applies_in_a_non_main_thread(tmp_path):
    m, path = model(tmp_path, STUCK)
    caught = []

    def run():
        try:
            check(m.scenarios[0], step_timeout=0.5)
            caught.append("returned")
        except BaseException as e:
            caught.append(f"{type(e).__name__}: {e}")

    t = threading.Thread(target=run)
    t.start()
    t.join(20)
    assert not t.is_alive()
    assert len(caught) == 1 and caught[0].startswith(f"ModelError: {path}:5:"), caught


def test_step_timeout_option_overrides_and_zero_turns_it_off(tmp_path):
    m, _ = model(tmp_path, STUCK.replace("step_timeout=0.5", "step_timeout=1000"))
    with pytest.raises(ModelError, match="more than 0.3 s"):
        check(m.scenarios[0], step_timeout=0.3)
    with pytest.raises(ModelError, match="step_timeout must be a number"):
        check(m.scenarios[0], step_timeout=-1)


def test_ctrl_c_during_a_stuck_step_says_where(tmp_path):
    m, path = model(tmp_path, STUCK.replace("step_timeout=0.5", "step_timeout=1000"))
    main = threading.main_thread().ident
    stop = threading.Event()

    def press_ctrl_c():  # again until it lands: one that arrives inside a gc callback is swallowed by CPython
        if not stop.wait(2.0):
            while not stop.wait(0.5):
                signal.pthread_kill(main, signal.SIGINT)

    presser = threading.Thread(target=press_ctrl_c)
    presser.start()
    try:
        with pytest.raises(KeyboardInterrupt) as info:
            check(m.scenarios[0])
    finally:
        try:
            stop.set()
            presser.join()
            time.sleep(0.05)  # a last press sent before the stop is delivered here
        except KeyboardInterrupt:
            pass
    assert info.value.step == f"thread spinner of scenario busy at {path}:5: while not flag.ready:"


def test_cli_step_timeout_flag(tmp_path):
    _, path = model(tmp_path, STUCK.replace("step_timeout=0.5", "step_timeout=1000"))
    out = subprocess.run([sys.executable, "-m", "checker", str(path), "--step-timeout", "0.5", "--no-memory"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    text = out.stdout + out.stderr
    assert "ran one step for more than 0.5 s" in text and "Traceback" not in text


def test_model_that_starts_a_real_thread_at_import_does_not_hang(tmp_path):
    _, path = None, tmp_path / "starts.py"
    # a step-program file (it imports checker.Thread): threading is the real one
    path.write_text("import threading, time\nfrom checker import Thread, scenario\n"
                    "threading.Thread(target=time.sleep, args=(1000,)).start()\n"
                    "@scenario\ndef s():\n    pass\n")
    out = subprocess.run([sys.executable, "-m", "checker", str(path)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert "started real thread(s) Thread-1 (sleep)" in out.stderr
    # unmodified code (docs/unmodified.md): threading is the checker's, and a thread at module level is refused
    path.write_text("import threading, time\nfrom checker import scenario\n"
                    "threading.Thread(target=time.sleep, args=(1000,)).start()\n"
                    "@scenario\ndef s():\n    pass\n")
    out = subprocess.run([sys.executable, "-m", "checker", str(path)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert f"{path}:3: threads, blocking calls and clock reads at module level run outside every scenario" \
        in out.stderr, out.stderr


CHOICE = """
    from checker import Thread, choose, scenario
    def w():
        x = yield choose({"apple", "banana", "cherry", "damson", "elder"})
        assert x != "cherry", x
    @scenario
    def pick():
        a = Thread(target=w); a.start()
        yield a.join()
"""


def test_choose_over_a_set_is_the_same_under_every_hash_seed(tmp_path):
    _, path = model(tmp_path, CHOICE)
    codes = set()
    for seed in ("1", "2", "3", "4"):
        out = subprocess.run([sys.executable, "-m", "checker", str(path), "--no-memory", "--graph", "none"],
                             capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONHASHSEED": seed})
        codes.add(out.stdout.split("--replay ")[1].split()[0])
    assert codes == {"v1:0,1,1/2"}


def test_choose_over_an_unsortable_set_is_refused(tmp_path):
    m, _ = model(tmp_path, CHOICE.replace('{"apple", "banana", "cherry", "damson", "elder"}', "{1, 'a'}"))
    with pytest.raises(ModelError, match="choose\\(\\) over an unordered set whose items cannot be sorted"):
        check(m.scenarios[0])


def test_primitives_take_a_name_used_in_traces_and_cycles(tmp_path):
    m, _ = model(tmp_path, """
        from checker import Barrier, BoundedSemaphore, Condition, Event, LifoQueue, Lock, PriorityQueue, Queue
        from checker import RLock, Semaphore, Shared, SharedDict, Thread, scenario

        def take(first, second):
            yield first.acquire()
            yield
            yield second.acquire()

        @scenario(expect="deadlock")
        def named():
            made = (Lock(name="L"), RLock(name="R"), Condition(name="C"), Semaphore(2, name="S"),
                    BoundedSemaphore(name="B"), Event(name="E"), Barrier(2, name="W"), Queue(name="Q"),
                    LifoQueue(1, name="LQ"), PriorityQueue(name="PQ"))
            box, d = Shared("box", v=1), SharedDict("d", a=1)
            print(" ".join(x._label for x in made))
            forks = [Lock(name=f"fork{i}") for i in range(2)]
            a = Thread(target=take, args=(forks[0], forks[1]), name="a")
            b = Thread(target=take, args=(forks[1], forks[0]), name="b")
            a.start(); b.start()
            yield a.join(); yield b.join()
        """)
    r = check(m.scenarios[0])
    assert "b waits for fork1 held by a" in r.counterexample.failure.message
    outcome = r.counterexample.trace.events[0].output
    assert outcome == "L R C S B E W Q LQ PQ\n"
    labels = {a.label for ev in r.counterexample.trace.events for a in ev.accesses}
    assert {"box", "d", "fork0", "fork1"} <= labels


def test_a_name_must_be_a_non_empty_string(tmp_path):
    m, path = model(tmp_path, """
        from checker import Lock, scenario

        @scenario
        def bad():
            Lock(name=3)
        """)
    with pytest.raises(ModelError, match="name= of Lock\\(\\) must be a non-empty string, got 3") as info:
        check(m.scenarios[0])
    assert str(info.value).startswith(f"{path}:6:")
