"""No colour or progress animation unless on an interactive terminal."""

import io

import pytest

from checker.present.terminal import Progress, colourize, interactive


class FakeTTY(io.StringIO):
    def isatty(self):
        return True


LINE = "        ok  unlocked(times=1): VIOLATION: lost  [expected violation]"


@pytest.fixture
def clean_env(monkeypatch):
    for name in ("CI", "NO_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_plain_when_not_a_terminal(clean_env):
    assert not interactive(io.StringIO())
    assert colourize(LINE, io.StringIO()) == LINE


@pytest.mark.parametrize("name,value", [("CI", "true"), ("CI", ""), ("NO_COLOR", "1"), ("TERM", "dumb")])
def test_plain_when_ci_or_no_color(clean_env, name, value):
    clean_env.setenv(name, value)
    assert colourize(LINE, FakeTTY()) == LINE
    stream = FakeTTY()
    progress = Progress("x", stream)
    progress(10, 100)
    progress.close()
    assert stream.getvalue() == ""


def test_colour_and_progress_on_a_terminal(clean_env):
    coloured = colourize(LINE, FakeTTY())
    assert "\033[32mok\033[0m" in coloured and "\033[33mVIOLATION\033[0m" in coloured
    stream = FakeTTY()
    progress = Progress("x", stream)
    progress(10, 100)
    progress.close()
    assert "10 executions, 100 transitions" in stream.getvalue()
