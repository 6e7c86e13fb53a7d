"""Which objects more than one model thread can reach (one execution).

Only accesses to *shared* objects are scheduling points and footprints;
an object a thread made and never handed over is its own, and touching it
costs nothing.  Misclassifying a shared object as local would lose a
scheduling point, so the rule keeps one invariant: **everything reachable
from a shared object is shared**.  Objects become shared

* when a thread starts: the ``Thread`` object, its target, ``args`` and
  ``kwargs``, and what they reach (closure cells, default arguments, the
  bound instance, containers and their contents);
* when they are loaded from a module or a class (``LOAD_GLOBAL``, a
  module's or a class's attribute): every thread can load them;
* when they are published: stored into a shared object (an attribute, an
  item, a global, a closure cell) or passed to a builtin call that writes
  a shared object (``shared_list.append(x)``).

Reachability follows ``gc.get_referents`` except into modules and
classes (whose contents are shared when loaded), code, and the checker's
own objects (counterparts record their own accesses); from a function it
follows the closure cells and default arguments, not its globals.  Module
dictionaries and classes are always shared.  The objects are held (their
ids stay theirs) until the execution ends.
"""

from __future__ import annotations

import gc
import types
from typing import Any

from .. import context
from .effects import CONTAINERS, is_checker, is_instance

_ATOMS = (int, float, complex, str, bytes, bool, type(None), range, slice, types.CodeType, type(Ellipsis),
          type(NotImplemented))


class Sharing:
    """The shared objects of one execution (see the module docstring)."""

    __slots__ = ("objects",)

    def __init__(self) -> None:
        self.objects: dict[int, object] = {}

    def is_shared(self, obj: Any) -> bool:
        return id(obj) in self.objects or isinstance(obj, (dict, type)) and _is_namespace(obj)

    def publish(self, value: Any, label: str | None = None) -> None:
        """``value`` and everything it reaches can be seen by other threads.

        Each newly shared object that can be a location (an instance of a
        Python class, a builtin container, a closure cell) is registered
        with the execution now, in the step that shares it (``label`` for
        ``value`` itself, else its class's name until an access names it):
        creation indices are then decided by that step, not by which thread
        happens to touch the object first."""
        objects = self.objects
        todo = [value]
        hooks = context.hooks()
        while todo:
            x = todo.pop()
            if isinstance(x, _ATOMS) or id(x) in objects or isinstance(x, (types.ModuleType, type)):
                continue
            objects[id(x)] = x
            if not is_checker(x) and (is_instance(x) or isinstance(x, CONTAINERS) or type(x) is types.CellType):
                name = label if x is value and label else type(x).__name__.lower()
                hooks.identify(x, name, False, True)  # type: ignore[call-arg]
            if isinstance(x, types.FunctionType):
                todo.extend(x.__closure__ or ())
                todo.extend(x.__defaults__ or ())
                todo.extend((x.__kwdefaults__ or {}).values())
            elif is_checker(x):
                todo.extend(v for k, v in getattr(x, "__dict__", {}).items() if not _checker_field(k))
                todo.extend(getattr(x, "_args", ()))
                todo.extend(getattr(x, "_kwargs", {}).values())
                target = getattr(x, "_target", None)
                if target is not None:
                    todo.append(target)
            else:
                todo.extend(gc.get_referents(x))

    def publish_thread(self, thread: Any) -> None:
        """What ``thread.start()`` hands the new thread."""
        self.publish(thread)

    def publish_module(self, namespace: dict[str, Any]) -> None:
        """The model's module variables (every thread can load them), under
        their names."""
        for name, value in namespace.items():
            if not name.startswith("__"):
                self.publish(value, name)


def _checker_field(name: str) -> bool:
    """A checker object's own fields (``_p``, ``_id``, ...): not model data."""
    return name.startswith("_")


def _is_namespace(obj: Any) -> bool:
    """A class, or a module's dictionary (``__name__`` and ``__builtins__`` keys)."""
    return isinstance(obj, type) or "__builtins__" in obj and "__name__" in obj
