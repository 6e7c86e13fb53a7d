"""Bad input: each mistake gets a clear ModelError naming file/line/scenario."""

import textwrap

import pytest

from checker import ModelError, NondeterminismError, check, load_model


def write(tmp_path, text, name="model.py"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def error_of(tmp_path, text, **settings):
    path = write(tmp_path, text)
    with pytest.raises(ModelError) as info:
        model = load_model(path)
        for sc in model.scenarios:
            check(sc, **settings)
    return str(info.value), path


def test_missing_file(tmp_path):
    with pytest.raises(ModelError, match="does not exist"):
        load_model(tmp_path / "nope.py")


def test_no_scenarios(tmp_path):
    msg, path = error_of(tmp_path, "x = 1\n")
    assert "declares no scenarios" in msg and "@scenario" in msg


def test_syntax_error_names_line(tmp_path):
    msg, path = error_of(tmp_path, "from checker import scenario\n@scenario\ndef s(:\n    pass\n")
    assert f"{path}:3: syntax error" in msg


def test_exception_at_import_names_line(tmp_path):
    msg, path = error_of(tmp_path, "from checker import scenario\n\nraise KeyError('oops')\n")
    assert f"{path}:3" in msg and "KeyError" in msg


def test_target_not_a_generator(tmp_path):
    msg, path = error_of(
        tmp_path,
        """
        from checker import scenario, Thread
        def work():
            pass
        @scenario
        def s():
            Thread(target=work).start()
        """,
    )
    assert "is not a generator function" in msg and f"{path}:7" in msg and "yield" in msg


def test_yielding_a_non_operation(tmp_path):
    msg, path = error_of(
        tmp_path,
        """
        from checker import scenario, Thread
        def work():
            yield 42
        @scenario
        def s():
            Thread(target=work, name="w").start()
        """,
    )
    assert "thread w yielded 42 (int), which is not an operation" in msg and f"{path}:4" in msg


def test_blocking_call_not_yielded(tmp_path):
    msg, path = error_of(
        tmp_path,
        """
        from checker import scenario, Thread, Lock
        def work(lock):
            lock.acquire()
            yield
        @scenario
        def s():
            lock = Lock()
            Thread(target=work, args=(lock,)).start()
        """,
    )
    assert "lock.acquire() was called but not yielded" in msg and f"{path}:4" in msg


def test_operation_used_as_a_value(tmp_path):
    msg, path = error_of(
        tmp_path,
        """
        from checker import scenario, Thread, Lock
        def work(lock):
            if lock.acquire(blocking=False):
                yield
        @scenario
        def s():
            lock = Lock()
            Thread(target=work, args=(lock,)).start()
        """,
    )
    assert "must be yielded" in msg and f"{path}:4" in msg


def test_exception_while_setting_up(tmp_path):
    msg, path = error_of(
        tmp_path,
        """
        from checker import scenario, Shared
        @scenario
        def s():
            x = Shared(value=0)
            x.value = 1 / 0
        """,
    )
    assert "raised ZeroDivisionError: division by zero while setting up" in msg and f"{path}:6" in msg


def test_primitive_at_module_level(tmp_path):
    msg, path = error_of(tmp_path, "from checker import scenario, Lock\nL = Lock()\n@scenario\ndef s():\n    pass\n")
    assert f"{path}:2" in msg and "inside the @scenario function" in msg


def test_parameter_without_default(tmp_path):
    msg, path = error_of(tmp_path, "from checker import scenario\n@scenario\ndef s(times):\n    pass\n")
    assert "parameter 'times' of scenario s needs a default value" in msg


def test_unknown_expectation(tmp_path):
    msg, path = error_of(tmp_path, "from checker import scenario\n@scenario(expect='fine')\ndef s():\n    pass\n")
    assert "unknown expectation 'fine'" in msg


@pytest.mark.parametrize(
    "source",
    [
        # data nondeterminism hidden in random
        """
        import random
        from checker import scenario, Thread, Shared
        def work(c):
            if random.random() < 0.5:
                yield
            c.value = 1
            yield
        @scenario
        def s():
            c = Shared(value=0)
            Thread(target=work, args=(c,)).start()
            Thread(target=work, args=(c,)).start()
        """,
        # nondeterminism from the operating system
        """
        import os
        from checker import scenario, Thread, Shared
        def work(c):
            if os.urandom(1)[0] % 2:
                yield
            c.value = 1
            yield
        @scenario
        def s():
            c = Shared(value=0)
            Thread(target=work, args=(c,)).start()
            Thread(target=work, args=(c,)).start()
        """,
    ],
)
def test_nondeterministic_model(tmp_path, source):
    import random

    random.seed(3)
    path = write(tmp_path, source)
    with pytest.raises(NondeterminismError, match="is not deterministic"):
        for _ in range(5):  # random may agree with itself for a while
            check(load_model(path).scenarios[0], strategy="dfs", all_outcomes=True)


def test_unknown_parameter_and_bad_value(tmp_path):
    path = write(tmp_path, "from checker import scenario\n@scenario\ndef s(times=2):\n    pass\n")
    sc = load_model(path).scenarios[0]
    with pytest.raises(ModelError, match="has no parameter 'n'"):
        check(sc, params={"n": 1})
    with pytest.raises(ModelError, match="expects int, got 'many'"):
        check(sc, params={"times": "many"})


def test_unknown_settings_are_rejected(tmp_path):
    path = write(tmp_path, "from checker import scenario\n@scenario\ndef s():\n    pass\n")
    sc = load_model(path).scenarios[0]
    with pytest.raises(ModelError, match="unknown timing mode"):
        check(sc, timing="fast")
    with pytest.raises(ModelError, match="unknown strategy"):
        check(sc, strategy="magic")
    with pytest.raises(ModelError, match="max_steps must be a positive integer"):
        check(sc, max_steps=0)
    with pytest.raises(TypeError):
        check(sc, 3)  # settings are keyword-only
