"""Every run ends with an honest, usable result (issue 11): --json -,
output paths checked before exploring, Ctrl-C, exact selection by node id,
replay verdicts, typed parameters, unique graph folders, broken scenarios,
--max-time."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from checker import load_model

LONG_MODEL = textwrap.dedent('''
    from checker import Shared, Thread, scenario

    def bump(c, times):
        for _ in range(times):
            v = c.value
            yield
            c.value = v + 1
            yield

    @scenario(expect="violation")
    def quick():
        c = Shared(value=0)
        t = Thread(target=bump, args=(c, 1), name="t"); s = Thread(target=bump, args=(c, 1), name="s")
        t.start(); s.start()
        yield t.join(); yield s.join()
        assert c.value == 2, f"final value {c.value}"

    @scenario
    def long(times=8, items=(1, 2), tag=None):
        c = Shared(value=0)
        ts = [Thread(target=bump, args=(c, times)) for _ in range(3)]
        for t in ts:
            t.start()
        for t in ts:
            yield t.join()
        assert c.value >= 0
''')

QUICK_MODEL = LONG_MODEL.split("@scenario\ndef long")[0]


def cli(*args, cwd=None, out=None):
    cmd = [sys.executable, "-m", "checker", *args, "--no-memory"]
    if out is not None:
        cmd += ["--out", str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, timeout=300)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture
def long_model(tmp_path):
    (tmp_path / "long.py").write_text(LONG_MODEL)
    return tmp_path


# -- 1. --json - and bad output paths ------------------------------------
def test_json_dash_writes_json_to_stdout_and_the_report_to_stderr(tmp_path):
    code, out, err = cli("models/counter.py", "--json", "-", out=tmp_path)
    assert code == 0
    doc = json.loads(out)
    assert [(s["scenario"], s["verdict"]) for s in doc["scenarios"]] == [("unlocked", "violation"), ("locked", "safe")]
    assert doc["summary"] == {"scenarios": 2, "as_expected": 2, "unexpected": 0}
    assert "checker: 2 scenarios, 2 as expected, 0 not as expected" in err
    assert not (tmp_path.parent / "-").exists() and not os.path.exists("-")


@pytest.mark.parametrize("option,target,message", [
    ("--json", "{tmp}", "--json {tmp} is a folder"),
    ("--json", "{tmp}/file.txt/results.json", "{tmp}/file.txt is a file, not a folder"),
    ("--out", "{tmp}/file.txt", "--out {tmp}/file.txt is a file, not a folder"),
    ("--out", "{tmp}/file.txt/graphs", "{tmp}/file.txt is a file, not a folder"),
])
def test_unwritable_outputs_fail_before_exploring(tmp_path, option, target, message):
    (tmp_path / "file.txt").write_text("x")
    args = ["models/counter.py", option, target.format(tmp=tmp_path)]
    code, out, err = cli(*args) if option == "--out" else cli(*args, out=tmp_path / "graphs")
    assert code == 2
    assert message.format(tmp=tmp_path) in err and "Traceback" not in err
    assert out == ""  # nothing was explored
    assert sorted(os.listdir(tmp_path)) == ["file.txt"]  # and nothing written


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_out_without_permission_fails_before_exploring(tmp_path):
    locked = tmp_path / "ro"
    locked.mkdir(mode=0o500)
    code, out, err = cli("models/counter.py", "--out", str(locked / "graphs"))
    assert code == 2 and "no permission to write in" in err and out == ""


# -- 2. Ctrl-C -------------------------------------------------------------
def test_ctrl_c_keeps_the_partial_result_json_and_graphs_and_exits_130(long_model):
    proc = subprocess.Popen(
        [sys.executable, "-m", "checker", "long.py", "--no-memory", "--out", "graphs", "--json", "r.json"],
        cwd=long_model, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert proc.stdout.readline() == "long.py\n"  # printed (and flushed) before exploring
    deadline = time.monotonic() + 60
    while not (long_model / "graphs" / "long" / "quick.svg").exists() and time.monotonic() < deadline:
        time.sleep(0.05)  # the first scenario is done once its graph is written
    time.sleep(0.5)  # well inside the second one (which runs for hours)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in out + err
    assert "quick(): VIOLATION: assertion failed in thread MainThread: final value 1" in out
    assert "long(times=8, items=(1, 2), tag=None): INCOMPLETE: interrupted (Ctrl-C) after " in out
    assert "no violation so far (not proven safe)" in out
    assert out.rstrip().endswith("checker: 2 scenarios, 1 as expected, 1 not as expected; "
                                 "interrupted (Ctrl-C) when 1 of 2 selected scenarios had finished")
    doc = json.loads((long_model / "r.json").read_text())
    assert doc["interrupted"] is True
    quick, long = doc["scenarios"]
    assert (quick["verdict"], quick["executions"]) == ("violation", 2)
    assert (long["verdict"], long["complete"], long["limit"]) == ("incomplete", False, "interrupted (Ctrl-C)")
    assert long["executions"] > 0 and long["classes"] == long["executions"]
    assert sorted(os.listdir(long_model / "graphs" / "long")) == ["quick.svg"]


# -- 3. exact selection by node id, and every printed replay command -----
def test_node_id_selects_exactly_one_scenario(tmp_path):
    code, out, _ = cli("models/counter.py::locked", "--param", "times=1", "-q", out=tmp_path)
    assert code == 0
    assert "locked(times=1): SAFE over all 2 classes of interleavings" in out
    assert "unlocked" not in out and "checker: 1 scenario, 1 as expected" in out
    code, out, _ = cli("models/counter.py::locked[times=3]", "-q", out=tmp_path)
    assert code == 0 and "locked(times=3): SAFE over all 20 classes of interleavings" in out
    code, _, err = cli("models/counter.py::lockd", out=tmp_path)
    assert code == 2 and "models/counter.py has no scenario 'lockd'" in err and "unlocked, locked" in err


def test_every_replay_command_the_shipped_models_print_reproduces(tmp_path):
    code, out, _ = cli("models", out=tmp_path)
    assert code == 0
    replays = [line.split("replay: ", 1)[1] for line in out.splitlines() if line.strip().startswith("replay: ")]
    verdicts = [line.split(": ", 1)[1].split("  [")[0] for line in out.splitlines()
                if line.startswith("        ok  ") and ": VIOLATION: " in line]
    failing = [sc for path in sorted(Path("models").glob("*.py")) for sc in load_model(path).scenarios
               if sc.expectation(sc.timing, "free-threading" if sc.semantics == "both" else sc.semantics) != "safe"]
    assert len(replays) == len(verdicts) == len(failing) >= 10
    for command, verdict in zip(replays, verdicts):
        argv = command.split()
        assert argv[:3] == ["python", "-m", "checker"] and "::" in argv[3] and "-k" not in argv
        code, again, err = cli(*argv[3:], out=tmp_path)
        assert code == 0, (command, err, again[-3000:])
        assert f": {verdict}  [expected" in again, command
        assert "checker: 1 scenario, 1 as expected, 0 not as expected" in again


# -- 4. replay verdicts ------------------------------------------------------
def test_a_replay_that_does_not_fail_claims_nothing(tmp_path):
    code, out, _ = cli("models/counter.py::unlocked", "--param", "times=1", "--replay", "v1:0,1x2,0,2x2,0",
                       out=tmp_path)
    assert "unlocked(times=1): REPLAYED: the schedule ran to the end without a violation (one execution; " \
           "nothing is proven about other interleavings)  [expected violation]" in out
    assert "SAFE over all" not in out and "(strategy replay, one replayed schedule, timing ideal)" in out
    assert code == 1  # the scenario expects a violation this schedule does not show
    code, out, _ = cli("models/counter.py::unlocked", "--param", "times=1", "--replay", "v1:0,1", out=tmp_path)
    assert "REPLAYED: the schedule ended after 2 steps, before the execution did; no violation in those steps" in out
    assert "was reached" not in out


def test_replay_refuses_strategy_and_honours_quiet_and_shows_raises(tmp_path):
    code, _, err = cli("models/counter.py::unlocked", "--strategy", "dfs", "--replay", "v1:0", out=tmp_path)
    assert code == 2 and "--strategy cannot be used with --replay" in err
    code, out, _ = cli("models/lock_release.py", out=tmp_path)
    command = next(line.split("replay: ")[1] for line in out.splitlines() if "replay: " in line)
    replay = command.split()[3:]
    code, loud, _ = cli(*replay, out=tmp_path)
    assert code == 0 and "    raises RuntimeError: release unlocked lock" in loud
    code, quiet, _ = cli(*replay, "-q", out=tmp_path)
    assert code == 0 and "step 1:" in loud and "step 1:" not in quiet
    assert "ok  unlocked_release(): VIOLATION: uncaught RuntimeError in thread worker: release unlocked lock" in quiet


# -- 5. parameters -----------------------------------------------------------
@pytest.mark.parametrize("value,message", [
    ("items=5", "parameter items of scenario long expects a tuple like its default (1, 2), got int 5; "
                "a one-item tuple is written (5,)"),
    ("items=[1]", "expects a tuple like its default (1, 2), got list [1]"),
    ("items=1,(", "expects a Python literal (tuple like its default (1, 2)), got '1,('"),
    ("times=many", "parameter times of scenario long expects int, got 'many'"),
])
def test_bad_parameter_values_are_clear_errors(long_model, value, message):
    code, out, err = cli("long.py::long", "--param", value, cwd=long_model)
    assert code == 2 and message in err and "long.py:" in err and "Traceback" not in err and out == ""


def test_literal_parameters_are_parsed(long_model):
    code, out, _ = cli("long.py::long", "--param", "items=(3, 4)", "--param", "tag=['x']", "--param", "times=1",
                       "-q", cwd=long_model, out=long_model / "g")
    assert code == 0
    assert "long(times=1, items=(3, 4), tag=['x']): SAFE over all 36 classes of interleavings" in out


# -- 6. unique graph folders -------------------------------------------------
def test_models_with_the_same_name_in_two_folders_get_their_own_graphs(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "m.py").write_text(QUICK_MODEL)
    code, out, _ = cli("a/m.py", "b/m.py", cwd=tmp_path, out="graphs")
    assert code == 0
    assert "trace graph: graphs/a/m/quick.svg" in out and "trace graph: graphs/b/m/quick.svg" in out


# -- 7. one broken scenario does not hide the others -------------------------
def test_a_broken_scenario_is_reported_and_the_others_still_run(tmp_path):
    (tmp_path / "mixed.py").write_text(textwrap.dedent('''
        from checker import Shared, Thread, scenario

        def not_a_generator():
            return 1

        @scenario
        def broken():
            Thread(target=not_a_generator).start()

        @scenario
        def fine():
            Shared(value=0)
    '''))
    code, out, err = cli("mixed.py", "--json", "r.json", cwd=tmp_path, out="graphs")
    assert code == 2 and "Traceback" not in out + err
    assert "     ERROR  broken: mixed.py:9: thread target not_a_generator" in out
    assert "ok  fine(): SAFE" in out
    assert "checker: 2 scenarios, 1 as expected, 0 not as expected, 1 could not be checked (errors above)" in out
    doc = json.loads((tmp_path / "r.json").read_text())
    assert [s["scenario"] for s in doc["scenarios"]] == ["fine"]
    assert [(e["model"], e["scenario"]) for e in doc["errors"]] == [("mixed.py", "broken")]


def test_a_broken_file_in_a_folder_does_not_hide_the_others(tmp_path):
    (tmp_path / "good.py").write_text(QUICK_MODEL)
    (tmp_path / "bad.py").write_text("from checker import scenario\n@scenario\ndef s(:\n")
    code, out, _ = cli(".", "-q", cwd=tmp_path, out="graphs")
    assert code == 2
    assert "bad.py\n     ERROR  could not load this model file:" in out
    assert "ok  quick(): VIOLATION" in out
    assert "checker: 1 scenario, 1 as expected, 0 not as expected, 1 model file could not be loaded" in out


# -- 10. budgets ---------------------------------------------------------------
def test_max_time_stops_the_search_and_says_what_was_covered(long_model):
    code, out, _ = cli("long.py::long", "--max-time", "0.5", "-q", cwd=long_model, out=long_model / "g")
    assert code == 1
    line = next(line for line in out.splitlines() if "long(" in line)
    assert "INCOMPLETE: stopped by the budget max_time=0.5s after " in line
    assert "no violation so far (not proven safe)" in line
    code, _, err = cli("long.py", "--max-time", "0", cwd=long_model)
    assert code == 2 and "--max-time must be a number of seconds > 0" in err


def test_check_api_takes_a_validated_max_time(long_model):
    from checker import UsageError, check

    sc = load_model(long_model / "long.py").scenario("long")
    result = check(sc, max_time=0.3)
    assert (result.verdict, result.complete, result.limit_hit) == ("incomplete", False, "max_time=0.3s")
    assert result.executions > 0 and [p.strategy for p in result.parts] == ["dpor", "bounded"]  # auto's policy
    for bad in (0, -1, "1", True):
        with pytest.raises(UsageError, match="max_time must be a number of seconds > 0"):
            check(sc, max_time=bad)
    with pytest.raises(TypeError):
        check(sc, 0.3)  # keyword-only
