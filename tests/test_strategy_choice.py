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
    r = check(as_scenario(busy_wait))
    assert r.strategy == "cached"
    assert r.verdict == "safe" and r.complete
    assert r.states_visited == 8
    assert "came back to a state it had been in (the model loops)" in r.strategy_note


def test_the_loop_makes_stateless_strategies_incomplete_and_is_told_from_a_long_execution():
    # the spinner is scheduled first and spins: its state recurs, so the execution is cut as a loop
    for strategy, executions in (("dpor", 1), ("dfs", 2255)):
        r = check(as_scenario(busy_wait), strategy=strategy)
        assert r.verdict == "incomplete" and r.executions == executions, strategy
        assert r.looped == 1 and r.limit_hit is None, strategy


def test_max_steps_is_a_safety_net_that_cuts_before_a_loop_is_recognised():
    # the revisit watch starts after runtime.revisit.START steps; a lower max_steps cuts first
    r = check(as_scenario(busy_wait), max_steps=200)
    assert r.strategy == "dpor" and r.strategy_note is None
    assert r.verdict == "incomplete" and r.limit_hit == "max_steps=200" and r.looped == 0


def test_a_long_bounded_loop_is_not_a_cycle():
    # 2 threads x 3,000 unlocked increments: 12,000-step executions, no state recurs;
    # auto stays with dpor and finds the lost update in 2 executions
    from pathlib import Path

    from checker.program.model_file import load_model

    unlocked = load_model(Path(__file__).parent.parent / "models" / "counter.py").scenario("unlocked")
    r = check(unlocked, params={"times": 3000})
    assert r.strategy == "dpor" and r.strategy_note is None
    assert r.verdict == "violation" and r.executions == 2 and r.looped == 0
    assert r.failure.message == "final value 5999, expected 6000"


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

    r = check(as_scenario(lost_flag))
    assert r.strategy == "cached" and r.verdict == "violation"
    assert r.failure.message.startswith("both spinners passed: seen=2")  # pytest rewrites asserts in test files
