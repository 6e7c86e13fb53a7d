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
from ..program.scenario import Scenario

DEFAULT_FOLDER = Path(".checker")
_VERSION = 1


class FailureMemory:
    def __init__(self, folder: str | Path = DEFAULT_FOLDER):
        self.folder = Path(folder)

    def _path(self, sc: Scenario, params: Mapping[str, Any], timing: str) -> Path:
        ident = json.dumps([str(Path(sc.file).resolve()), sc.name, sorted((k, repr(v)) for k, v in params.items()), timing])
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
            "schedules": schedules,
        }
        write_atomic(path, json.dumps(record, indent=2) + "\n")
