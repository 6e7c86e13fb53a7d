"""The tutorial's Event runs (models/event_timeout.py) in both timing modes."""

from pathlib import Path

import pytest

from checker import check, load_model

MODEL = load_model(Path(__file__).resolve().parent.parent / "models" / "event_timeout.py")


def outputs(scenario, timing, strategy="dfs"):
    r = check(MODEL.scenario(scenario), timing=timing, all_outcomes=True, strategy=strategy)
    return r, {(o.outcome.output, o.outcome.failure is not None) for o in r.outcomes}


def test_wait_without_timeout_returns_when_set():
    r, got = outputs("wait_forever", "ideal")
    assert got == {("t is waiting for event.\ns sets the event.\nt finished waiting.\n", False)}
    assert r.executions == 2


def test_wait_times_out_against_sleep_3_in_ideal_timing():
    r, got = outputs("wait_times_out", "ideal")
    assert got == {("t is waiting for event.\ntimeout finished\nevent value is False\ns set the event.\n", False)}
    assert r.verdict == "safe" and r.meets_expectation


def test_clear_then_wait_sees_the_set_in_ideal_timing():
    r, got = outputs("clear_then_wait", "ideal")
    waiting, set_by_s, other = "t is waiting for event.\n", "s set the event.\n", "other thread set the event\n"
    value = "event value is True\n"
    assert got == {
        (waiting + other + value + set_by_s, False),
        (waiting + other + set_by_s + value, False),
        (waiting + set_by_s + other + value, False),
    }
    assert r.verdict == "safe"


def test_any_delay_shows_the_sleep_1_run_can_time_out():
    r, got = outputs("clear_then_wait", "any-delay")
    assert ("t is waiting for event.\ntimeout finished\nevent value is False\n", True) in got
    assert r.verdict == "violation" and r.failure.kind == "assertion"
    assert r.meets_expectation  # the scenario expects exactly this in any-delay timing
    # 8: a timeout fixes wait()'s False when it fires; s may print before t continues
    assert len(got) == 8
    assert r.executions == 74


def test_any_delay_wait_times_out_outcomes():
    r, got = outputs("wait_times_out", "any-delay")
    assert len(got) == 8 and r.executions == 88  # incl. s printing between t's timeout and its print
    # the ideal outcome is still among them
    assert ("t is waiting for event.\ntimeout finished\nevent value is False\ns set the event.\n", False) in got
    # a delayed t can even see the event set after its deadline passed
    assert ("t is waiting for event.\nother thread set the event\nevent value is True\n", True) in got


@pytest.mark.parametrize("timing", ["ideal", "any-delay"])
def test_every_scenario_meets_its_expectation(timing):
    for sc in MODEL.scenarios:
        assert check(sc, timing=timing).meets_expectation, sc.name
