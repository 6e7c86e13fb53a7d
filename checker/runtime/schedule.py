"""Schedules: the sequence of choices that determines one execution.

A choice is ``(thread, alt)``: run thread ``thread`` (its index in start
order, 0 being the scenario body), taking alternative ``alt`` of its pending
operation (non-zero only for ``choose``).  ``TICK`` advances the virtual
clock to the next deadline.  A schedule plus the model, scenario and
parameters reproduces an execution exactly; it is the single source of truth
for counterexamples.

Text form (version 1): ``v1:`` followed by comma-separated choices, each
``N`` (thread N), ``N/K`` (thread N, alternative K) or ``T`` (tick), e.g.
``v1:0,1,2,1,T,2/1``.
"""

from __future__ import annotations

from ..errors import UsageError

Choice = tuple[int, int]
TICK: Choice = (-1, 0)
VERSION = "v1"


def encode(schedule: list[Choice] | tuple[Choice, ...]) -> str:
    parts = []
    for thread, alt in schedule:
        if (thread, alt) == TICK:
            parts.append("T")
        elif alt:
            parts.append(f"{thread}/{alt}")
        else:
            parts.append(str(thread))
    return f"{VERSION}:" + ",".join(parts)


def decode(text: str) -> tuple[Choice, ...]:
    text = text.strip()
    version, sep, body = text.partition(":")
    if not sep or version != VERSION:
        raise UsageError(
            f"cannot read schedule {text!r}",
            hint=f"schedules look like {VERSION}:0,1,2,T,1/2 (copy the one printed with the counterexample)",
        )
    out: list[Choice] = []
    for part in filter(None, (p.strip() for p in body.split(","))):
        try:
            if part == "T":
                out.append(TICK)
            elif "/" in part:
                a, b = part.split("/")
                out.append((int(a), int(b)))
            else:
                out.append((int(part), 0))
        except ValueError:
            raise UsageError(f"bad choice {part!r} in schedule {text!r}", hint="each choice is N, N/K or T") from None
    return tuple(out)
