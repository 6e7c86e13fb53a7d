"""pytest plugin (entry point ``pytest11``): scenarios of model files become
test items.

``pytest models/`` collects every ``.py`` file that declares scenarios (and is
not itself a test module or conftest) and makes one item per scenario,
named ``path::scenario``.  An item passes when the scenario meets its
declared expectation.  A failing item's report shows the verdict, the
interleaving table and the replay command; its graphs are written to
``--checker-out``.  Options: ``--checker-timing``, ``--checker-semantics``, ``--checker-strategy``,
``--checker-max-executions``, ``--checker-max-steps``, ``--checker-out``,
``--checker-no-memory``.  Works with ``-k``, ``-x``, ``--lf`` and
pytest-xdist (items are plain node ids; each worker collects on its own).
Disable with ``-p no:checker``.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path
from typing import Any

import pytest

from ..check.checking import check
from ..check.result import Result
from ..errors import ModelError
from ..explore import DEFAULT_MAX_STEPS, STRATEGIES
from ..program.model_file import load_model
from ..program.scenario import BOTH, SEMANTICS, TIMINGS, Scenario
from .report import format_result


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("checker", "checker: model files as tests")
    group.addoption("--checker-timing", choices=TIMINGS, default=None,
                    help="timing mode for every scenario (default: each scenario's own)")
    group.addoption("--checker-semantics", choices=[*SEMANTICS, BOTH], default=None,
                    help="memory model of unmodified threading code (default: each scenario's own)")
    group.addoption("--checker-strategy", choices=["auto", *sorted(STRATEGIES)], default=None,
                    help="exploration strategy (default: the checker's default)")
    group.addoption("--checker-max-executions", type=int, default=None, metavar="N",
                    help="stop each scenario after N executions")
    group.addoption("--checker-max-steps", type=int, default=DEFAULT_MAX_STEPS, metavar="N",
                    help="cut executions longer than N steps")
    group.addoption("--checker-out", default="checker-out", metavar="DIR",
                    help="folder for the graphs of failing scenarios (default checker-out)")
    group.addoption("--checker-no-memory", action="store_true",
                    help="do not replay or remember failing schedules in .checker/")


def is_model_file(path: Path, config: pytest.Config) -> bool:
    if path.suffix != ".py" or path.name == "conftest.py":
        return False
    patterns = config.getini("python_files") or ["test_*.py", "*_test.py"]
    if any(fnmatch.fnmatch(path.name, p) for p in patterns):
        return False  # pytest's own Python collector handles test modules
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return "@scenario" in text and "checker" in text


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if is_model_file(file_path, parent.config):
        return ModelFileCollector.from_parent(parent, path=file_path)
    return None


class ModelFileCollector(pytest.File):
    def collect(self):
        try:
            model = load_model(self.path)
        except ModelError as e:
            raise self.CollectError(f"checker could not load this model:\n{e}") from None
        for sc in model.scenarios:
            yield ScenarioItem.from_parent(self, name=sc.name, scenario=sc)


class ScenarioFailed(Exception):
    """A scenario did not meet its expectation; carries the report text."""

    def __init__(self, result: Result, text: str):
        super().__init__(text)
        self.result = result
        self.text = text


class ScenarioItem(pytest.Item):
    def __init__(self, *, scenario: Scenario, **kwargs: Any):
        super().__init__(**kwargs)
        self.scenario = scenario

    def _settings(self) -> dict[str, Any]:
        opt = self.config.getoption
        settings: dict[str, Any] = {
            "timing": opt("checker_timing"),
            "semantics": opt("checker_semantics"),
            "max_executions": opt("checker_max_executions"),
            "max_steps": opt("checker_max_steps"),
            "memory": not opt("checker_no_memory"),
        }
        if opt("checker_strategy"):
            settings["strategy"] = opt("checker_strategy")
        return settings

    def runtest(self) -> None:
        result = check(self.scenario, **self._settings())
        self.user_properties.append(("checker_verdict", result.verdict))
        self.user_properties.append(("checker_executions", result.executions))
        if not result.meets_expectation:
            text = (f"scenario {self.scenario.name} expected {result.expectation}, got {result.verdict}\n"
                    + format_result(result, self.scenario_path(), mark=False))
            text += "".join(f"\n            {line}" for line in write_graphs(result, self))
            self.add_report_section("call", "checker", text)
            raise ScenarioFailed(result, text)

    def scenario_path(self) -> str:
        try:
            return str(self.path.relative_to(self.config.rootpath))
        except ValueError:
            return str(self.path)

    def repr_failure(self, excinfo, style=None):  # type: ignore[override]
        if isinstance(excinfo.value, ScenarioFailed):
            return excinfo.value.text
        if isinstance(excinfo.value, ModelError):
            return f"checker: {excinfo.value}"
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, self.scenario.line - 1, f"scenario {self.scenario.name}"


def write_graphs(result: Result, item: ScenarioItem) -> list[str]:
    """Graph files for a failing scenario, as report lines."""
    if result.counterexample is None:
        return []
    try:
        from .graphs import write_result_graphs
    except ImportError:
        return []
    return write_result_graphs(result, item.scenario_path(), out_dir=item.config.getoption("checker_out"))
