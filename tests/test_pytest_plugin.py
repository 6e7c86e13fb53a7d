"""The pytest plugin, driven through pytester."""

import textwrap

import pytest

pytest_plugins = ["pytester"]

MODEL = textwrap.dedent('''
    from checker import Lock, Shared, Thread, scenario

    def add(c):
        v = c.value
        yield
        c.value = v + 1

    @scenario(expect="safe")
    def racy():
        c = Shared(value=0)
        t = Thread(target=add, args=(c,), name="t"); s = Thread(target=add, args=(c,), name="s")
        t.start(); s.start()
        yield t.join(); yield s.join()
        assert c.value == 2, f"final value {c.value}, expected 2"

    @scenario(expect="violation")
    def racy_expected():
        yield from racy.func()

    @scenario
    def quiet():
        Shared(value=0)
''')


@pytest.fixture
def model(pytester):
    pytester.makepyfile(bank=MODEL)
    return pytester


def test_scenarios_become_items_honouring_expectations(model):
    result = model.runpytest("-v", "-p", "no:cacheprovider", "--checker-no-memory")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*bank.py::racy FAILED*", "*bank.py::racy_expected PASSED*", "*bank.py::quiet PASSED*"])


def test_failure_report_shows_table_and_replay_command(model):
    result = model.runpytest("--checker-no-memory", "-p", "no:cacheprovider")
    out = result.stdout.str()
    assert "racy(): VIOLATION: assertion failed in thread MainThread: final value 1, expected 2" in out
    assert "step  MainThread" in out and " t " in out
    assert "replay: python -m checker bank.py::racy --replay v1:" in out  # -k racy would select racy_expected too
    assert "Traceback" not in out


def test_k_and_x_select_and_stop(model):
    result = model.runpytest("-k", "quiet", "--checker-no-memory", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, deselected=2)
    result = model.runpytest("-x", "--checker-no-memory", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)


def test_last_failed_reruns_only_the_failing_scenario(model):
    model.runpytest("--checker-no-memory")
    result = model.runpytest("--lf", "--checker-no-memory", "-v")
    result.assert_outcomes(failed=1, passed=0)  # only the failing item runs
    result.stdout.fnmatch_lines(["*run-last-failure*"])


def test_failure_memory_replays_the_failure_first(model):
    model.runpytest("-p", "no:cacheprovider")
    remembered = list((model.path / ".checker" / "failures").glob("*.json"))
    assert len(remembered) == 1  # only racy failed unexpectedly; racy_expected passed
    result = model.runpytest("-p", "no:cacheprovider", "-k", "racy and not expected")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*1 execution,*strategy replay*", "*reproduced by a failing schedule remembered*"])


def test_options_reach_the_checker(pytester):
    pytester.makepyfile(timing=textwrap.dedent('''
        from checker import Event, Thread, scenario, sleep

        def setter(e):
            yield sleep(1)
            e.set()

        @scenario
        def in_time():
            e = Event()
            Thread(target=setter, args=(e,)).start()
            ok = yield e.wait(2)
            assert ok, "timed out"
    '''))
    pytester.runpytest("-p", "no:cacheprovider", "--checker-no-memory").assert_outcomes(passed=1)
    result = pytester.runpytest("-p", "no:cacheprovider", "--checker-no-memory", "--checker-timing", "any-delay")
    result.assert_outcomes(failed=1)
    result = pytester.runpytest("-p", "no:cacheprovider", "--checker-no-memory", "--checker-max-executions", "1",
                                "--checker-timing", "any-delay")
    result.assert_outcomes(failed=1)


def test_broken_model_is_a_collection_error_with_the_message(pytester):
    pytester.makepyfile(broken=textwrap.dedent('''
        from checker import Thread, scenario

        def work():
            return 1

        @scenario(expect="nonsense")
        def s():
            Thread(target=work).start()
    '''))
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*unknown expectation 'nonsense'*"])


def test_test_modules_are_not_collected_twice(pytester):
    pytester.makepyfile(test_uses_checker=textwrap.dedent('''
        from checker import scenario, Shared, assert_safe

        @scenario
        def fine():
            Shared(value=1)

        def test_fine():
            assert_safe(fine)
    '''))
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_works_with_xdist(model):
    pytest.importorskip("xdist")
    result = model.runpytest("-n", "2", "--checker-no-memory", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, failed=1)


def test_failure_message_says_what_failed_first(model):
    out = model.runpytest("--checker-no-memory", "-p", "no:cacheprovider").stdout.str().splitlines()
    header = next(i for i, line in enumerate(out) if line.strip("_ ") == "scenario racy")
    assert out[header + 1] == "scenario racy expected safe, got violation"
    assert out[header + 2].startswith("racy(): VIOLATION: assertion failed in thread MainThread: final value 1")
    assert not any(line.lstrip().startswith(("ok ", "UNEXPECTED ")) for line in out)  # no CLI mark
