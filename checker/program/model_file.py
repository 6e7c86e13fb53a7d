"""Loading model files: a Python file that declares scenarios.

``load_model(path)`` imports the file under a private module name and
returns its scenarios in source order.  Every way this can go wrong (missing
file, syntax error, exception at import, no scenarios) becomes a
``ModelError`` naming the file and line.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import sys
import threading
import traceback
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType

from ..errors import ModelError
from . import unmodified
from .scenario import Scenario


@dataclass(frozen=True)
class ModelFile:
    path: Path
    module: ModuleType
    scenarios: tuple[Scenario, ...]

    @property
    def name(self) -> str:
        return self.path.stem

    def scenario(self, name: str) -> Scenario:
        for sc in self.scenarios:
            if sc.name == name:
                return sc
        known = ", ".join(s.name for s in self.scenarios)
        raise ModelError(f"no scenario named {name!r} in {self.path} (it has: {known})")


_PACKAGE_DIR = str(Path(__file__).resolve().parent.parent)


@functools.lru_cache(maxsize=4096)
def _is_checker_file(filename: str) -> bool:
    return str(Path(filename).resolve()).startswith(_PACKAGE_DIR)


def model_frames(tb: object, files: set[str] | None = None) -> list[traceback.FrameSummary]:
    """The frames of a traceback that belong to model code (not to checker).
    (Resolving paths is cached: a failing model fails in many executions.)"""
    frames = traceback.extract_tb(tb)  # type: ignore[arg-type]
    return [f for f in frames if not _is_checker_file(f.filename) and (files is None or f.filename in files)]


def load_model(path: str | Path, *, require_scenarios: bool = True) -> ModelFile:
    p = Path(path)
    if not p.exists():
        raise ModelError(f"model file {p} does not exist", hint="give the path of a .py file or a folder of them")
    if p.suffix != ".py":
        raise ModelError(f"{p} is not a Python file", hint="model files are .py files that declare @scenario functions")
    source = p.read_text(encoding="utf-8")
    try:
        code = compile(source, str(p), "exec")
    except SyntaxError as e:
        raise ModelError(f"syntax error: {e.msg}", where=f"{p}:{e.lineno}", hint=(e.text or "").strip() or None) from None
    digest = hashlib.sha1(str(p.resolve()).encode()).hexdigest()[:10]
    tree = ast.parse(source)
    front = None
    module = ModuleType(f"checker_model_{p.stem}_{digest}")
    module.__file__ = str(p)
    before = {t.ident for t in threading.enumerate()}
    try:
        if unmodified.is_unmodified(tree):
            front, module = unmodified.load(p, code, tree)
        else:
            sys.modules[module.__name__] = module
            exec(code, module.__dict__)
    except ModelError:
        raise
    except Exception as e:
        frames = model_frames(e.__traceback__, {str(p)})
        line = frames[-1].lineno if frames else "?"
        raise ModelError(
            f"loading the model raised {type(e).__name__}: {e}",
            where=f"{p}:{line}",
            hint="the model file runs when it is loaded; keep module level to definitions",
        ) from None
    sys.modules[module.__name__] = module
    _refuse_started_threads(p, before)
    found = [v for v in vars(module).values() if isinstance(v, Scenario)]
    found.sort(key=lambda s: s.line)
    if front is not None:  # the scenarios of unmodified code run through its front end
        found = [replace(s, front=front) for s in found]
    if require_scenarios and not found:
        raise ModelError(
            f"{p} declares no scenarios",
            hint="decorate the scenario body with @scenario (from checker import scenario)",
        )
    return ModelFile(p, module, tuple(found))


def _refuse_started_threads(path: Path, before: set[int | None]) -> None:
    """A model file that starts a real thread while it is loaded runs code
    outside every schedule, and a non-daemon one would keep the process
    from exiting.  Refuse it; let the process exit anyway (the thread is
    detached from interpreter shutdown where CPython allows it)."""
    started = [t for t in threading.enumerate() if t.ident not in before]
    if not started:
        return
    for t in started:
        _detach(t)
    names = ", ".join(t.name for t in started)
    raise ModelError(
        f"loading {path} started real thread(s) {names}, which run outside the checker's control",
        where=str(path),
        hint="keep module level to definitions: start model threads (checker.Thread) inside a @scenario",
    )


def _detach(thread: threading.Thread) -> None:
    """Best effort: stop interpreter shutdown from waiting for ``thread``
    (CPython 3.11/3.12 wait on ``threading._shutdown_locks``)."""
    locks = getattr(threading, "_shutdown_locks", None)
    lock = getattr(thread, "_tstate_lock", None)
    if locks is not None and lock is not None:
        locks.discard(lock)
    thread._daemonic = True  # type: ignore[attr-defined]
