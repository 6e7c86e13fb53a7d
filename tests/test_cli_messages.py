"""Assertion messages (issue 11, point 8) say what failed first and never
carry the CLI's "ok"/"UNEXPECTED" mark, which judges the scenario's declared
expectation, not what the assertion asserts."""

import pytest

from checker import assert_expected, assert_safe, load_model

COUNTER = load_model("models/counter.py")


def test_assert_safe_on_a_scenario_expected_to_fail_starts_with_the_failure():
    with pytest.raises(AssertionError) as info:
        assert_safe(COUNTER.scenario("unlocked"), params={"times": 1})
    lines = str(info.value).splitlines()
    assert lines[0] == "scenario unlocked is not safe (violation)"
    assert lines[1] == ("unlocked(times=1): VIOLATION: assertion failed in thread MainThread: "
                        "final value 1, expected 2")
    assert not any(line.lstrip().startswith(("ok ", "UNEXPECTED ")) for line in lines)
    assert "[expected violation]" not in str(info.value)


def test_assert_expected_incomplete_says_so_plainly():
    with pytest.raises(AssertionError) as info:
        assert_expected(COUNTER.scenario("unlocked"), params={"times": 2}, max_executions=1)
    lines = str(info.value).splitlines()
    assert lines[0] == "scenario unlocked expected violation, got incomplete"
    assert lines[1] == ("unlocked(times=2): INCOMPLETE: stopped by the budget max_executions=1 after 1 execution "
                        "(1 class of interleavings), no violation so far (not proven safe)")
