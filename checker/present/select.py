"""What a command line selects: model files, folders and pytest-style node
ids, and the output paths it will write.

* ``models/counter.py`` -- every scenario of the file (``-k`` filters by
  substring, like pytest);
* ``models/`` -- every model file in the folder; a file that fails to load
  is reported and counted, the others still run;
* ``models/counter.py::locked`` -- exactly that scenario, and
  ``models/counter.py::locked[times=3]`` with parameters (comma-separated
  ``NAME=VALUE``, applied on top of ``--param``).  Replay commands are
  printed in this form.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ModelError, UsageError
from ..program.model_file import ModelFile, load_model
from ..program.scenario import Scenario
from .params import parse_assignments


@dataclass
class Selected:
    model: ModelFile
    scenario: Scenario
    node_params: dict[str, str] = field(default_factory=dict)  # from ``path::name[...]``


@dataclass
class Broken:
    """A model file (in a folder) or scenario that could not be checked."""

    model: str
    scenario: str | None
    message: str


def split_node_id(raw: str) -> tuple[str, str | None, dict[str, str]]:
    """``"m.py::s[a=1,b=2]"`` -> ``("m.py", "s", {"a": "1", "b": "2"})``."""
    path, sep, rest = raw.partition("::")
    if not sep:
        return raw, None, {}
    name, bracket, params = rest.partition("[")
    if not name or (bracket and not params.endswith("]")):
        raise UsageError(f"{raw!r} is not a node id", hint="write PATH::SCENARIO or PATH::SCENARIO[NAME=VALUE,...]")
    items = [p for p in _split_top_level(params[:-1])] if bracket else []
    return path, name, parse_assignments(items, option=f"{raw}:")


def _split_top_level(text: str) -> list[str]:
    """Split on commas outside brackets: ``a=(1, 2),b=3`` -> two items."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += ch in "([{"
        depth -= ch in ")]}"
        if ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p for p in parts if p.strip()]


def select(paths: list[str], patterns: list[str]) -> tuple[list[Selected], list[Broken]]:
    """The scenarios named by ``paths`` and ``-k`` ``patterns``, in order,
    and the model files of folders that could not be loaded."""
    chosen: list[Selected] = []
    broken: list[Broken] = []
    loaded: dict[Path, ModelFile] = {}

    def load(path: Path) -> ModelFile:
        key = path.resolve()
        if key not in loaded:
            loaded[key] = load_model(path)
        return loaded[key]

    for raw in paths:
        path_text, name, node_params = split_node_id(raw)
        path = Path(path_text)
        if name is not None:
            if path.is_dir():
                raise UsageError(f"{raw}: a node id names a model file, not a folder")
            model = load(path)
            known = [sc.name for sc in model.scenarios]
            if name not in known:
                raise UsageError(f"{path} has no scenario {name!r}", hint=f"its scenarios: {', '.join(known)}")
            chosen.append(Selected(model, model.scenario(name), node_params))
        elif path.is_dir():
            models = []
            for file in sorted(path.glob("*.py")):
                try:
                    model = load_model(file, require_scenarios=False)
                except ModelError as exc:
                    broken.append(Broken(str(file), None, str(exc)))
                    continue
                if model.scenarios:
                    models.append(model)
            if not models and not broken:
                raise ModelError(f"folder {path} has no model files with scenarios")
            chosen += [Selected(m, sc) for m in models for sc in m.scenarios]
        else:
            model = load(path)
            chosen += [Selected(model, sc) for sc in model.scenarios]
    chosen = [s for s in chosen if not patterns or any(p in s.scenario.name for p in patterns)]
    return chosen, broken


def check_writable(raw: str, option: str, *, folder: bool) -> None:
    """Fail early (``UsageError``) when ``raw`` cannot be written: a folder
    where a file is wanted or the reverse, a parent that is a file, or no
    permission.  Nothing is created."""
    path = Path(raw)
    if folder and path.exists() and not path.is_dir():
        raise UsageError(f"{option} {raw} is a file, not a folder", hint=f"give a folder path for {option}")
    if not folder and path.is_dir():
        raise UsageError(f"{option} {raw} is a folder", hint=f"give a file path, e.g. {option} {path / 'results.json'}")
    probe = path if folder else path.parent
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir():
        raise UsageError(f"{option} {raw} cannot be written: {probe} is a file, not a folder",
                         hint=f"choose another path for {option}")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise UsageError(f"{option} {raw} cannot be written: no permission to write in {probe}",
                         hint=f"choose a writable path for {option}")
