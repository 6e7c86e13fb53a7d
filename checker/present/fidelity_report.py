"""Text for a fidelity comparison (``checker.check.fidelity.Fidelity``):
what real threads did against what the checker predicts.

``format_fidelity(f)`` returns lines like::

    real threads: 200 runs, 3 distinct outcomes, all predicted by the checker (any-delay timing: 4 outcomes)
         143 x  counter(value=4)
          52 x  counter(value=3)  -- assertion failed in thread MainThread: ...
           5 x  counter(value=2)  -- assertion failed in thread MainThread: ...
      never seen on real threads: 1 predicted outcome(s)

and, when some real outcome was not predicted, ``NOT PREDICTED`` marks it
(a fidelity bug in the checker, or a model whose steps are coarser than the
real code: see docs/primitives.md).
"""

from __future__ import annotations

from ..check.fidelity import Fidelity
from ..runtime.trace import Outcome


def describe(o: Outcome) -> str:
    if o.failure and not o.state:  # failing outcomes are compared by their failure alone
        return o.failure
    text = o.describe_state() or "(no shared objects)"
    return f"{text}  -- {o.failure}" if o.failure else text


def format_fidelity(f: Fidelity, indent: str = "            ") -> str:
    verdict = "all predicted by the checker" if f.ok else f"{len(f.unexpected)} NOT PREDICTED by the checker"
    head = (
        f"real threads: {f.runs} runs, {len(f.observed)} distinct outcomes, {verdict} "
        f"({f.timing} timing: {len(f.predicted)} outcomes{'' if f.complete else ', exploration incomplete'})"
    )
    lines = [indent + head]
    for outcome, count in sorted(f.observed.items(), key=lambda kv: (-kv[1], describe(kv[0]))):
        mark = "" if outcome in f.predicted else "   <- NOT PREDICTED"
        lines.append(indent + f"  {count:>6} x  {describe(outcome)}{mark}")
        for line in outcome.output.splitlines():
            lines.append(indent + f"             | {line}")
    if f.unobserved:
        lines.append(indent + f"  never seen on real threads: {len(f.unobserved)} predicted outcome(s)")
    return "\n".join(lines)
