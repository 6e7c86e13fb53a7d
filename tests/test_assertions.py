"""assert_safe / assert_fails / assert_expected: messages a CI log can show."""

import pytest

from checker import ModelError, assert_expected, assert_fails, assert_safe, load_model

COUNTER = load_model("models/counter.py")


def test_assert_safe_passes_and_returns_the_result():
    r = assert_safe(COUNTER.scenario("locked"), params={"times": 1})
    assert (r.strategy, r.classes) == ("dpor", 2)  # the two orders of the critical sections


def test_assert_safe_failure_message_has_table_and_replay():
    with pytest.raises(AssertionError) as info:
        assert_safe(COUNTER.scenario("unlocked"), params={"times": 1})
    text = str(info.value)
    assert text.startswith("scenario unlocked is not safe (violation)")
    assert "final value 1, expected 2" in text
    assert "step  MainThread" in text
    assert "--replay v1:" in text


def test_assert_fails_checks_the_kind():
    assert_fails(COUNTER.scenario("unlocked"), "assertion", params={"times": 1})
    with pytest.raises(AssertionError, match="expected to fail \\(deadlock\\), found assertion"):
        assert_fails(COUNTER.scenario("unlocked"), "deadlock", params={"times": 1})
    with pytest.raises(AssertionError, match="expected to fail \\(violation\\), verdict safe"):
        assert_fails(COUNTER.scenario("locked"), params={"times": 1})
    with pytest.raises(ModelError):
        assert_fails(COUNTER.scenario("locked"), "safe")


def test_assert_expected_uses_the_declared_expectation():
    assert_expected(COUNTER.scenario("unlocked"), params={"times": 1})
    with pytest.raises(AssertionError, match="expected violation, got incomplete"):
        assert_expected(COUNTER.scenario("unlocked"), params={"times": 2}, max_executions=1)


def test_settings_are_validated():
    with pytest.raises(TypeError):
        assert_safe(COUNTER.scenario("locked"), bogus=1)
