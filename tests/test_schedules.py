"""Schedules as strings: round trips, replay reproduces the trace exactly,
and a schedule that no longer fits is reported clearly."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker import ModelError, check, load_model
from checker.runtime.schedule import TICK, decode, encode

choices = st.one_of(st.just(TICK), st.tuples(st.integers(0, 12), st.integers(0, 4)))


@given(st.lists(choices, max_size=60))
def test_encode_decode_round_trip(schedule):
    text = encode(schedule)
    assert text.startswith("v1:") and " " not in text and "*" not in text
    assert decode(text) == tuple(schedule)


def test_repeats_are_compressed():
    assert encode([(0, 0), (1, 0), (1, 0), (1, 0), TICK, TICK, (2, 3)]) == "v1:0,1x3,Tx2,2/3"


@pytest.mark.parametrize("bad", ["0,1", "v2:0,1", "v1:0,a", "v1:1x0", "v1:-2", "v1:1/2/3"])
def test_bad_schedules_are_usage_errors(bad):
    with pytest.raises(ModelError):
        decode(bad)


@pytest.mark.parametrize(
    "model,scenario,timing",
    [
        ("models/counter.py", "unlocked", "ideal"),
        ("models/lock_release.py", "unlocked_release", "ideal"),
        ("models/event_timeout.py", "clear_then_wait", "any-delay"),
    ],
)
def test_fail_then_replay_gives_identical_trace(model, scenario, timing):
    sc = load_model(model).scenario(scenario)
    failing = check(sc, timing=timing)
    assert failing.verdict == "violation"
    replayed = check(sc, timing=timing, replay=failing.counterexample.code)
    assert replayed.verdict == "violation"
    assert replayed.counterexample.trace.events == failing.counterexample.trace.events
    assert replayed.failure == failing.failure
    assert replayed.executions == 1


def test_choose_values_are_part_of_the_schedule(tmp_path):
    path = tmp_path / "pick.py"
    path.write_text(
        "from checker import Shared, Thread, choose, scenario\n"
        "def pick(x):\n"
        "    x.v = yield choose(['a', 'b', 'c'])\n"
        "@scenario\n"
        "def s():\n"
        "    x = Shared(v=None)\n"
        "    Thread(target=pick, args=(x,)).start()\n"
        "    yield\n"
        "    assert x.v != 'c', f'picked {x.v}'\n"
    )
    sc = load_model(path).scenarios[0]
    r = check(sc)
    assert r.failure.message == "picked c"
    assert "1/2" in r.counterexample.code
    assert check(sc, replay=r.counterexample.code).failure.message == "picked c"


def test_schedule_that_no_longer_fits_says_so():
    sc = load_model("models/counter.py").scenario("unlocked")
    with pytest.raises(ModelError, match="does not fit scenario unlocked: step 2 chooses .* but enabled were"):
        check(sc, replay="v1:0,7")
