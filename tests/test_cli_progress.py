"""The live progress line (issue 11, point 10): rich draws it on a terminal
only, with executions, transitions, rate and elapsed time, and erases it."""

import io

from checker.present.terminal import Progress
import pytest
from test_terminal import FakeTTY, clean_env  # noqa: F401  (clean_env is a fixture)

pytestmark = pytest.mark.usefixtures("clean_env")


def test_progress_line_shows_rate_and_elapsed_and_is_erased():
    ticks = iter([0.0, 2.0, 2.1, 4.0])
    stream = FakeTTY()
    progress = Progress("locked", stream, clock=lambda: next(ticks))
    progress(100, 1000)  # t=2.0: drawn
    progress(150, 1500)  # t=2.1: too soon, not redrawn
    progress(400, 4000)  # t=4.0: drawn
    progress.close()
    out = stream.getvalue()
    assert "locked: 100 executions, 1,000 transitions, 50/s, 2.0s" in out
    assert "150 executions" not in out
    assert "locked: 400 executions, 4,000 transitions, 100/s, 4.0s" in out
    assert out.endswith("\x1b[2K") or "\x1b[2K" in out.rsplit("4.0s", 1)[1]  # erased when done


def test_no_progress_and_no_rich_when_not_a_terminal():
    stream = io.StringIO()
    progress = Progress("locked", stream)
    progress(100, 1000)
    progress.close()
    assert stream.getvalue() == "" and progress.live is None
