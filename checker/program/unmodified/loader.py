"""Model files of unmodified code: recognising them and running them.

A model file is *unmodified code* when it imports ``threading`` or
``time`` (``import threading``, ``from threading import Lock``) and takes
nothing from ``checker`` but ``scenario``, ``invariant``, ``final`` and
``assume``.  (A file that also uses the step-program vocabulary --
``checker.Thread``, ``Shared``, ... -- stays a step-program file, whose
guard refuses real primitives.)

``Front`` is the front end of one such file, attached to each of its
scenarios as ``scenario.front``:

* the file runs in a private module whose ``__import__`` gives it the
  checker's ``threading`` and ``time`` (``threading_module``,
  ``time_module``), private copies of the helper modules next to it
  (``import helper`` for ``helper.py`` in the same folder: loaded again
  with the same ``__import__``, so their module state starts afresh too),
  the checker's ``concurrent.futures`` (``futures_module``; ``import
  concurrent.futures`` gives a ``concurrent`` package holding it), and
  refuses ``_thread``, ``multiprocessing`` and ``ProcessPoolExecutor`` by
  line.  The real modules in ``sys.modules`` are never touched;
* ``main_body`` runs the file again in a fresh private module for every
  execution, inside the execution's first step, so module-level state
  (``LOCK = threading.Lock()``, ``CACHE = {}``) starts the same every time;
  when the scenario returns, the main thread runs what CPython runs at
  interpreter exit (``futures_module.interpreter_exit``);
* ``tracer`` makes the tracer of one model thread; ``stored`` lists the
  global names the file's code assigns (``global hits``), the only module
  variables that are locations.
"""

from __future__ import annotations

import ast
import builtins
import copy
import dis
import hashlib
import sys
from collections.abc import Callable
from pathlib import Path
from types import CodeType, ModuleType
from typing import Any

from ...errors import ModelError
from .. import context
from . import futures_module, queue_module, stack, threading_module, time_module
from .sharing import Sharing
from .tracer import Tracer, entry

REDIRECTED = ("threading", "time", "queue", "concurrent")
REFUSED = {"_thread": "_thread", "multiprocessing": "multiprocessing"}
#: Names of concurrent.futures that are refused by line (processes are not modelled)
PROCESSES = ("ProcessPoolExecutor", "concurrent.futures.process")
PROCESS_HINT = ("the checker interleaves threads, not processes: ThreadPoolExecutor has the same API "
                "(submit, map, shutdown, futures)")
ALLOWED_FROM_CHECKER = {"scenario", "invariant", "final", "assume"}


def is_unmodified(tree: ast.Module) -> bool:
    """The file imports a threading-related module and no step-program name."""
    concurrent = steps = False
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                root = alias.name.split(".")[0]
                concurrent |= root in REDIRECTED or root in REFUSED
                steps |= root == "checker"
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            root = node.module.split(".")[0]
            concurrent |= root in REDIRECTED or root in REFUSED
            if root == "checker":
                steps |= any(a.name not in ALLOWED_FROM_CHECKER for a in node.names)
    return concurrent and not steps


def refused_imports(tree: ast.Module, path: Path) -> None:
    for node in ast.walk(tree):
        used = (node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else None)
        imported = ([a.name for a in node.names] + [node.module or ""] if isinstance(node, ast.ImportFrom)
                    else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
        for name in [used] + imported:
            if name in PROCESSES:
                raise ModelError(f"concurrent.futures.{name.rsplit('.', 1)[-1]} is not supported in unmodified "
                                 "models", where=f"{path}:{node.lineno}", hint=PROCESS_HINT)
        names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                 else [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module else [])
        for name in names:
            root = name.split(".")[0]
            if root in REFUSED:
                raise ModelError(f"{REFUSED[root]} is not supported in unmodified models yet",
                                 where=f"{path}:{node.lineno}",
                                 hint="threading (Thread, Lock, RLock, Condition, Semaphore, Event, Barrier), "
                                 "time, queue and concurrent.futures (ThreadPoolExecutor) are; or write the model "
                                 "as a step program")


def stored_globals(code: CodeType) -> frozenset[str]:
    """Names some code object of the file assigns with ``global``."""
    names: set[str] = set()
    todo = [code]
    while todo:
        c = todo.pop()
        for ins in dis.get_instructions(c):
            if ins.opname in ("STORE_GLOBAL", "DELETE_GLOBAL"):
                names.add(ins.argval)
        todo.extend(k for k in c.co_consts if isinstance(k, CodeType))
    return frozenset(names)


class _Loading:
    """The hooks while the file is loaded to find its scenarios: module-level
    primitives may be made (they are made again in each execution); threads
    may not start."""

    now = 0.0

    def register(self, obj: object, label: str) -> tuple[int, str]:
        return -1, label

    def record(self, *args: Any, **kwargs: Any) -> None:
        pass

    def __getattr__(self, name: str) -> Any:
        if name == "counterpart":  # asked by every primitive's constructor: none here
            raise AttributeError(name)
        raise ModelError("threads, blocking calls and clock reads at module level run outside every scenario",
                         where=context.model_location(),
                         hint="start threads and use primitives inside the @scenario function")


class Front:
    """The front end of one model file of unmodified code (module docstring)."""

    def __init__(self, path: Path, code: CodeType):
        self.path = path
        self.code = code
        self.stored = stored_globals(code)
        self.label = path.stem
        self.digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:10]
        self.modules = {"threading": threading_module.module(), "time": time_module.module(),
                        "queue": queue_module.module(), **futures_module.modules()}
        self.semantics = "gil"  # or "free-threading" (``free_threading``): see ``under``

    def under(self, semantics: str) -> Front:
        """This front end with the memory model ``semantics`` (checked by ``Scenario.under``)."""
        other = copy.copy(self)
        other.semantics = semantics
        return other

    def _importer(self, private: dict[str, ModuleType]) -> Callable[..., Any]:
        """``__import__`` for the model file and its helper modules: the
        checker's ``threading`` and ``time``; a module that is a ``.py``
        file next to the model file as a private copy, loaded once per
        execution (``private``); refusals; the rest as usual."""

        def import_(name: str, globals: Any = None, locals: Any = None, fromlist: Any = (), level: int = 0) -> Any:
            if level == 0 and name in self.modules:  # `import concurrent.futures` binds the package
                return self.modules[name] if fromlist or "." not in name else self.modules[name.split(".")[0]]
            if level == 0 and name.split(".")[0] == "concurrent":
                raise ModelError(f"{name} is not supported in unmodified models",
                                 where=context.model_location(), hint=PROCESS_HINT)
            if level == 0 and name.split(".")[0] in REFUSED:
                raise ModelError(f"{REFUSED[name.split('.')[0]]} is not supported in unmodified models yet",
                                 where=context.model_location())
            if level == 0 and "." not in name:
                helper = self.path.parent / f"{name}.py"
                if helper.is_file() and helper.resolve() != self.path.resolve():
                    if name not in private:
                        code = compile(helper.read_text(encoding="utf-8"), str(helper), "exec")
                        private[name] = self._run(code, f"checker_unmodified_{self.digest}_{name}", helper, private)
                    return private[name]
            return builtins.__import__(name, globals, locals, fromlist, level)

        return import_

    def _run(self, code: CodeType, name: str, path: Path, private: dict[str, ModuleType]) -> ModuleType:
        m = ModuleType(name)
        m.__file__ = str(path)
        m.__dict__["__builtins__"] = dict(vars(builtins), __import__=self._importer(private))
        sys.modules[name] = m  # dataclasses, pickle and typing look their module up there
        exec(code, m.__dict__)
        return m

    def module(self, name: str) -> ModuleType:
        """The model file run in a fresh module (its helper modules fresh too)."""
        return self._run(self.code, name, self.path, {})

    def main_body(self, scenario: str, params: dict[str, Any]) -> Callable[[], Any]:
        """The main thread's body: the file in a fresh module, then the scenario."""

        @entry
        def body() -> Any:
            fresh = self.module(f"checker_unmodified_{self.label}_{self.digest}")
            context.hooks().sharing.publish_module(fresh.__dict__)  # type: ignore[attr-defined]
            result = fresh.__dict__[_attribute_of(fresh, scenario)].func(**params)
            futures_module.interpreter_exit()  # CPython: concurrent.futures' exit handler, then the exit
            return result

        return body

    def tracer(self) -> Tracer:
        return Tracer(self.stored, self.label, str(self.path), self.semantics)

    def sharing(self) -> Sharing:
        """What one execution's threads share (``sharing``)."""
        return Sharing()



def _attribute_of(module: ModuleType, scenario: str) -> str:
    from ..scenario import Scenario

    for key, value in vars(module).items():
        if isinstance(value, Scenario) and value.name == scenario:
            return key
    raise ModelError(f"scenario {scenario} is gone when the model file runs again", where=module.__file__)


def load(path: Path, code: CodeType, tree: ast.Module) -> tuple[Front, ModuleType]:
    """The front end and the module as loaded once (to list its scenarios)."""
    refused_imports(tree, path)
    if not stack.supported() or not stack.self_test():
        raise ModelError(f"{path} is unmodified threading code, which needs CPython 3.11 for now "
                         f"(this is {sys.implementation.name} {sys.version.split()[0]})",
                         hint="run it with python3.11, or write the model as a step program")
    front = Front(path, code)
    previous = context.install(_Loading())  # type: ignore[arg-type]
    try:
        module = front.module(f"checker_model_{path.stem}_{front.digest}")
    finally:
        context.install(previous)
    return front, module
