"""Unmodified ``threading`` code: the second front end (docs/unmodified.md).

A model file that imports ``threading``/``time`` and uses no step-program
vocabulary runs as written: ``loader`` recognises it and runs it in a
private module with the checker's ``threading`` and ``time``
(``threading_module``, ``time_module``); each model thread runs on its
own OS thread, one at a time (``runtime.real_steps``), and ``tracer``
puts a scheduling point before every instruction that touches something
shared (``effects``), reading the objects off the evaluation stack
(``stack``).  The engine, DPOR and reports are the step programs' own.
"""

from .loader import Front, is_unmodified, load

__all__ = ["Front", "is_unmodified", "load"]
