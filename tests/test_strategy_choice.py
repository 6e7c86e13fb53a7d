"""The default strategy: DPOR, and state caching for models that loop."""

from checker import Shared, Thread, check

from conftest import as_scenario


def spin(flag):
    while not flag.value:
        yield


def setter(flag):
    flag.value = True
    yield


def busy_wait():
    flag = Shared(value=False)
    Thread(target=spin, args=(flag,)).start()
    Thread(target=setter, args=(flag,)).start()


def test_loop_free_models_use_dpor():
    def two_writers():
        x = Shared(a=0)
        Thread(target=setter, args=(x,)).start()

    r = check(as_scenario(two_writers))
    assert r.strategy == "dpor" and r.strategy_note is None and r.complete


def test_a_looping_model_falls_back_to_state_caching_and_says_so():
    r = check(as_scenario(busy_wait), max_steps=200)
    assert r.strategy == "cached"
    assert r.verdict == "safe" and r.complete
    assert r.states_visited == 8
    assert "ran past max_steps=200 under dpor (the model loops)" in r.strategy_note


def test_the_loop_makes_stateless_strategies_incomplete():
    for strategy in ("dpor", "dfs"):
        r = check(as_scenario(busy_wait), strategy=strategy, max_steps=200)
        assert r.verdict == "incomplete" and r.limit_hit == "max_steps=200", strategy


def test_state_caching_still_finds_violations_in_loops():
    def lost_flag():
        flag = Shared(value=False, seen=0)

        def spin_and_count():
            while not flag.value:
                yield
            flag.seen = flag.seen + 1

        Thread(target=spin_and_count).start()
        Thread(target=spin_and_count).start()
        Thread(target=setter, args=(flag,)).start()
        yield
        assert flag.seen <= 1, f"both spinners passed: seen={flag.seen}"

    r = check(as_scenario(lost_flag), max_steps=300)
    assert r.strategy == "cached" and r.verdict == "violation"
    assert r.failure.message.startswith("both spinners passed: seen=2")  # pytest rewrites asserts in test files
