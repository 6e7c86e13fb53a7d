"""Failure memory: failing schedules remembered across runs.

When a scenario fails unexpectedly (a violation where it expects to be
safe, or another kind of failure than it expects), its counterexample
schedule is saved under a folder
(``.checker/`` in the working directory by default).  The next check of the
same scenario, parameters and timing replays the remembered schedules first,
so re-running after a failure reproduces it in milliseconds.  A remembered
schedule that no longer fits the model, or no longer fails, is forgotten.

The folder holds only this cache (with a ``.gitignore`` of ``*``) and is
safe to delete at any time.  Files are written atomically (temporary file,
then rename).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any
from collections.abc import Mapping

from ..atomic import write_atomic
from ..errors import ModelError, UsageError
from ..explore import Replay
from ..runtime.schedule import decode
from ..program.scenario import Scenario
from .result import VIOLATION, Result

DEFAULT_FOLDER = Path(".checker")
_VERSION = 1


def _semantics(sc: Scenario) -> list[str]:
    """Part of a schedule's key: the memory model, when it is not the GIL's
    (schedules differ between the two; GIL keys stay as they were)."""
    return [sc.front.semantics] if sc.front is not None and sc.front.semantics != "gil" else []


class FailureMemory:
    def __init__(self, folder: str | Path = DEFAULT_FOLDER):
        self.folder = Path(folder)

    def _path(self, sc: Scenario, params: Mapping[str, Any], timing: str) -> Path:
        ident = json.dumps([str(Path(sc.file).resolve()), sc.name, sorted((k, repr(v)) for k, v in params.items()), timing]
                           + _semantics(sc))
        return self.folder / "failures" / (hashlib.sha1(ident.encode()).hexdigest()[:16] + ".json")

    def recall(self, sc: Scenario, params: Mapping[str, Any], timing: str) -> list[str]:
        """The remembered failing schedules (text form), newest first."""
        path = self._path(sc, params, timing)
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            return []
        if not isinstance(data, dict) or data.get("version") != _VERSION:
            return []
        return [s for s in data.get("schedules", []) if isinstance(s, str)]

    def remember(self, sc: Scenario, params: Mapping[str, Any], timing: str, schedule: str) -> None:
        kept = [s for s in self.recall(sc, params, timing) if s != schedule]
        self._write(sc, params, timing, [schedule] + kept[:4])

    def forget(self, sc: Scenario, params: Mapping[str, Any], timing: str, schedule: str) -> None:
        kept = [s for s in self.recall(sc, params, timing) if s != schedule]
        path = self._path(sc, params, timing)
        if kept:
            self._write(sc, params, timing, kept)
        elif path.exists():
            path.unlink()

    def _write(self, sc: Scenario, params: Mapping[str, Any], timing: str, schedules: list[str]) -> None:
        path = self._path(sc, params, timing)
        path.parent.mkdir(parents=True, exist_ok=True)
        ignore = self.folder / ".gitignore"
        if not ignore.exists():
            write_atomic(ignore, "# written by checker: failure memory, safe to delete\n*\n")
        record = {
            "version": _VERSION,
            "model": sc.file,
            "scenario": sc.name,
            "params": {k: repr(v) for k, v in params.items()},
            "timing": timing,
            "semantics": (_semantics(sc) or [None])[0],
            "schedules": schedules,
        }
        write_atomic(path, json.dumps(record, indent=2) + "\n")


def open_memory(memory: bool | str | Path | None) -> FailureMemory | None:
    """``check(memory=...)``: False/None, True (the default folder) or a folder."""
    if memory is False or memory is None:
        return None
    if memory is True:
        return FailureMemory()
    if isinstance(memory, (str, Path)):
        return FailureMemory(memory)
    raise UsageError(f"memory must be True, False or a folder path, got {memory!r}")


def recall(store: FailureMemory, run: Any) -> Result | None:
    """Replay remembered failing schedules; the first that still fails wins.
    Schedules that no longer fit or no longer fail are forgotten.  ``run``
    is ``check``'s ``_Run``: called with a strategy, it returns a Result."""
    scenario, params, timing = run.scenario, run.params, run.timing
    for code in store.recall(scenario, params, timing):
        try:
            result = run(Replay(decode(code)), all_outcomes=False)
        except ModelError:
            result = None
        if result is not None and result.verdict == VIOLATION:
            result.from_memory = str(store.folder)
            return result
        store.forget(scenario, params, timing, code)
    return None
