"""``assume(condition)``: keep only the executions in which ``condition`` holds.

The ``__VERIFIER_assume`` of SV-COMP and GenMC.  Called inside a step with a
false condition, it *discards* the execution: the execution ends there and
is neither a failure nor an outcome (the check layer counts it apart from
the complete executions).  Waiting for a flag written by another thread is
then ``assume(flag.value == 0); flag.value = 1`` in one step: only the
interleavings in which the flag was free when the step ran are kept.

The condition is computed by the model from ``Shared`` reads in the same
step, so those reads are in the step's footprint like any others.  The
runtime learns of the discard through ``Hooks.discard`` (so catching the
exception cannot undo it) and ``Discarded`` stops the rest of the step.
"""

from __future__ import annotations

import inspect

from ..errors import ModelError
from . import context
from .operation import Operation


class Discarded(BaseException):
    """Raised by a false ``assume`` to end the running step; the runtime
    catches it.  A ``BaseException``, so ``except Exception:`` in a model
    does not swallow it (and the discard stands even when something does)."""


def outside_a_step(where: str | None) -> ModelError:
    """The error for ``assume`` called where no thread's step runs (the
    runtime raises it from ``Hooks.discard``)."""
    return ModelError(
        "assume() called outside a thread's step (in an invariant or final predicate)",
        where=where,
        hint="call assume() in a thread or the scenario body; a predicate that does not hold is a violation, "
        "not a discarded execution",
    )


def assume(condition: object) -> None:
    """Discard the running execution unless ``condition`` is true.

    ``condition`` is taken as ``bool(condition)``, as ``if`` would; a value
    whose truth cannot be taken, or a function or operation passed instead
    of a value, is a ``ModelError``.  Outside a step of a running scenario
    (at module level, in an ``invariant`` or ``final`` predicate) it is a
    ``ModelError`` too."""
    h = context.hooks("assume()")
    if callable(condition) or inspect.isgenerator(condition) or isinstance(condition, Operation):
        raise ModelError(
            f"assume() got {type(condition).__name__} {condition!r}, which is always true",
            where=context.model_location(),
            hint="pass the condition's value: assume(flag.value == 0), not a function or an operation to yield",
        )
    try:
        holds = bool(condition)
    except Exception as exc:
        raise ModelError(
            f"assume() could not take the truth value of its condition: {type(exc).__name__}: {exc}",
            where=context.model_location(),
            hint="pass a bool, e.g. assume(flag.value == 0)",
        ) from None
    if not holds:
        where = context.model_location()
        h.discard(where)
        raise Discarded(where)
