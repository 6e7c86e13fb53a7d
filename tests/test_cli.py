"""The command line: output, selection, parameters, replay and exit codes."""

import subprocess
import sys
import tempfile
import textwrap

import pytest


def cli(*args, cwd=None):
    """Run the CLI without failure memory (runs do not depend on each other)
    and with graphs in a temporary folder (the working tree stays clean)."""
    out = tempfile.mkdtemp(prefix="checker-out-")
    proc = subprocess.run(
        [sys.executable, "-m", "checker", *args, "--no-memory", "--out", out],
        capture_output=True, text=True, cwd=cwd, timeout=300,
    )
    return proc.returncode, proc.stdout, proc.stderr


def test_counter_model_reports_lost_update_and_proof():
    code, out, err = cli("models/counter.py")
    assert code == 0, err
    assert "unlocked(times=2): VIOLATION: assertion failed in thread MainThread: final value 2, expected 4" in out
    assert "counterexample: 9 steps, 1 preemption\n" in out
    assert "locked(times=2): SAFE over all" in out
    assert "checker: 2 scenarios, 2 as expected, 0 not as expected" in out
    # the counterexample table has one column per thread
    header = next(line for line in out.splitlines() if line.strip().startswith("step"))
    assert header.split() == ["step", "MainThread", "t", "s"]
    assert "replay: python -m checker models/counter.py::unlocked --param times=2 --replay v1:" in out


def test_unmet_expectation_exits_1():
    code, out, _ = cli("models/event_timeout.py", "-k", "wait_times_out", "--timing", "any-delay")
    assert code == 0  # the scenario declares what any-delay timing does
    code, out, _ = cli("models/counter.py", "-k", "unlocked", "--max-executions", "1")
    assert code == 1 and "INCOMPLETE" in out and "UNEXPECTED" in out


def test_selection_and_parameters():
    code, out, _ = cli("models/counter.py", "-k", "locked", "--param", "times=1", "-q")
    assert code == 0
    assert "locked(times=1): SAFE over all 2 classes of interleavings" in out
    assert "unlocked(times=1)" in out  # -k is a substring match, like pytest


def test_replay_prints_steps_and_reproduces_the_violation():
    code, out, _ = cli("models/counter.py::unlocked", "--param", "times=2", "--replay", "v1:0,1,1,2,1,0,2,2,0")
    assert code == 0
    assert "step 1: thread MainThread" in out and "step 9: thread MainThread" in out
    assert "read counter.value = 1" in out
    assert "final value 3, expected 4" in out


def test_all_outcomes_lists_each_distinct_outcome():
    code, out, _ = cli("models/counter.py", "-k", "unlocked", "--param", "times=1", "--all-outcomes",
                       "--strategy", "dfs")
    assert code == 0
    assert "10 executions" in out and "2 distinct outcomes" in out
    assert "counter(value=2)" in out and "counter(value=1)  -- assertion failed" in out


def test_folder_runs_every_model():
    code, out, _ = cli("models", "-q")
    assert code == 0
    assert "models/counter.py" in out and "models/event_timeout.py" in out and "models/lock_release.py" in out


@pytest.mark.parametrize(
    "args,message",
    [
        (["missing.py"], "does not exist"),
        (["models/counter.py", "-k", "nothing"], "no scenario matches -k nothing"),
        (["models/counter.py", "--param", "n=3"], "no selected scenario has parameter(s) n"),
        (["models/counter.py", "--param", "times"], "is not NAME=VALUE"),
        (["models/counter.py", "--param", "times=lots"], "expects int, got 'lots'"),
        (["models/counter.py", "--replay", "v1:0"], "--replay needs exactly one scenario"),
        (["models/counter.py", "-k", "locked", "--replay", "v1:0"], "2 are selected"),
        (["models/counter.py::unlocked", "--replay", "0,1"], "cannot read schedule"),
        (["models/counter.py::unlocked", "--replay", "v1:0,5"], "does not fit scenario unlocked"),
        (["models/counter.py", "--max-steps", "0"], "--max-steps must be at least 1"),
        (["models/counter.py", "--timing", "slow"], "invalid choice"),
    ],
)
def test_usage_and_model_errors_exit_2(args, message):
    code, out, err = cli(*args)
    assert code == 2
    assert message in err + out  # a scenario's own error is reported in place, among the results
    assert "Traceback" not in err + out


def test_broken_model_exits_2_without_traceback(tmp_path):
    path = tmp_path / "broken.py"
    path.write_text(textwrap.dedent("""
        from checker import scenario, Thread
        def work():
            return 1
        @scenario
        def s():
            Thread(target=work).start()
    """))
    code, out, err = cli(str(path))
    assert code == 2
    assert f"ERROR  s: {path}:7: thread target work" in out and "Traceback" not in out + err


def test_real_threads_comparison():
    code, out, err = cli("models/counter.py", "-k", "unlocked", "--param", "times=1", "--real-threads", "--runs", "20",
                         "-q", "--graph", "none")
    assert code == 0, err
    assert "real threads: 20 runs" in out and "all predicted by the checker" in out


def test_deadlock_report_shows_the_wait_for_cycle():
    code, out, _ = cli("models/dining_philosophers.py", "-k", "left_then_right", "-q", "--graph", "none")
    assert code == 0
    assert "wait-for cycle: p0 -> lock fork1 -> p1 -> lock fork2 -> p2 -> lock fork0 -> p0" in out
