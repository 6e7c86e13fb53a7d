"""Failure memory (.checker/) and the JSON document with its schema."""

import json
import subprocess
import sys
from pathlib import Path

import jsonschema

from checker import check, load_model
from checker.check.memory import FailureMemory

SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "checker" / "present" / "result_schema.json").read_text())


def unexpectedly_failing():
    """The racy counter declared safe: a failure the memory keeps."""
    from checker.program.scenario import make_scenario

    racy = load_model("models/counter.py").scenario("unlocked")
    return make_scenario(racy.func, expect="safe", name="unlocked", timing="ideal")


def test_expected_failures_are_not_remembered(tmp_path):
    sc = load_model("models/counter.py").scenario("unlocked")
    check(sc, memory=tmp_path / "mem")
    assert check(sc, memory=tmp_path / "mem").executions == 2
    assert not (tmp_path / "mem").exists()


def test_memory_replays_the_remembered_failure_first(tmp_path):
    sc = unexpectedly_failing()
    first = check(sc, memory=tmp_path / "mem")
    assert first.executions == 2 and first.from_memory is None
    again = check(sc, memory=tmp_path / "mem")
    assert again.executions == 1 and again.from_memory == str(tmp_path / "mem")
    assert again.counterexample.code == first.counterexample.code
    assert (tmp_path / "mem" / ".gitignore").read_text().splitlines()[-1] == "*"


def test_memory_is_per_parameters_and_forgets_what_no_longer_fails(tmp_path):
    sc = unexpectedly_failing()
    store = FailureMemory(tmp_path)
    check(sc, params={"times": 1}, memory=tmp_path)
    assert store.recall(sc, sc.bind({"times": 1}), "ideal")
    assert not store.recall(sc, sc.bind({"times": 2}), "ideal")
    store.remember(sc, sc.bind({"times": 2}), "ideal", "v1:0,1,1,2,2,0,0")  # a passing schedule
    r = check(sc, params={"times": 2}, memory=tmp_path)
    assert r.from_memory is None and r.executions == 2
    assert store.recall(sc, sc.bind({"times": 2}), "ideal") == [r.counterexample.code]


def test_memory_folder_is_safe_to_delete(tmp_path):
    import shutil

    sc = unexpectedly_failing()
    check(sc, memory=tmp_path / "m")
    shutil.rmtree(tmp_path / "m")
    assert check(sc, memory=tmp_path / "m").executions == 2


def test_memory_off_by_default_in_the_api(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    check(load_model(Path(__file__).resolve().parent.parent / "models" / "counter.py").scenario("unlocked"))
    assert not (tmp_path / ".checker").exists()


def run_json(tmp_path, *args):
    out = tmp_path / "results.json"
    proc = subprocess.run(
        [sys.executable, "-m", "checker", *args, "--json", str(out), "--no-memory", "-q", "--graph", "none"],
        capture_output=True, text=True,
    )
    return proc.returncode, json.loads(out.read_text())


def test_json_document_validates_against_the_schema(tmp_path):
    code, doc = run_json(tmp_path, "models/counter.py", "models/lock_release.py", "--param", "times=1")
    assert code == 0
    jsonschema.validate(doc, SCHEMA)
    assert doc["summary"] == {"scenarios": 4, "as_expected": 4, "unexpected": 0}
    unlocked = doc["scenarios"][0]
    assert unlocked["verdict"] == "violation" and unlocked["executions"] == 2 and unlocked["strategy"] == "dpor"
    assert unlocked["counterexample"]["schedule"] == "v1:0,1,2x2,1,0x2"
    assert unlocked["counterexample"]["preemptions"] == 1
    assert (unlocked["stop"], unlocked["coverage"]["scope"], unlocked["coverage"]["unit"]) == ("violation", "all", "class")
    locked = doc["scenarios"][1]
    assert locked["stop"] == "finished" and locked["coverage"] == {
        "scope": "all", "unit": "class", "covered": 2, "finished": True, "bound": None, "method": None, "seed": None,
        "depth": None, "miss_probability": None, "estimated_fraction": None}
    assert unlocked["counterexample"]["threads"] == ["MainThread", "t", "s"]
    assert unlocked["failure"]["message"] == "final value 1, expected 2"


def test_json_with_all_outcomes_lists_outcomes(tmp_path):
    code, doc = run_json(tmp_path, "models/counter.py", "-k", "unlocked", "--param", "times=1", "--all-outcomes",
                         "--strategy", "dfs")
    jsonschema.validate(doc, SCHEMA)
    outcomes = doc["scenarios"][0]["outcomes"]
    # 6 of the 10 interleavings lose the update: only t-before-s (3 join placements) and s-before-t (1) do not
    assert sorted((o["state"]["counter"]["value"], o["count"]) for o in outcomes) == [("1", 6), ("2", 4)]


def test_schema_rejects_a_wrong_document():
    import pytest

    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"schema": "checker/results", "version": 2, "scenarios": []}, SCHEMA)


def test_json_carries_a_linearizability_counterexample_s_history(tmp_path):
    code, doc = run_json(tmp_path, "models/linearizable_counter.py")
    assert code == 0
    jsonschema.validate(doc, SCHEMA)
    racy, locked = doc["scenarios"]
    assert [(h["thread"], h["call"], h["result"], h["invoked_step"], h["returned_step"])
            for h in racy["counterexample"]["history"]] == [
        ("t2", "inc()", "None", 2, 6), ("t1", "inc()", "None", 3, 4), ("t2", "get()", "1", 6, 7)]
    assert locked["counterexample"] is None
    code, doc = run_json(tmp_path, "models/counter.py", "-k", "unlocked")
    assert doc["scenarios"][0]["counterexample"]["history"] == []  # not a linearizability scenario
