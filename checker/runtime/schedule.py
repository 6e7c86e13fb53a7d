"""Schedules: the sequence of choices that determines one execution.

A choice is ``(thread, alt)``: run thread ``thread`` (its index in start
order, 0 being the scenario body), taking alternative ``alt`` of its pending
operation (non-zero only for ``choose``).  ``TICK`` advances the virtual
clock to the next deadline.  A schedule plus the model, scenario and
parameters reproduces an execution exactly; it is the single source of truth
for counterexamples.

Text form (version 1): ``v1:`` followed by comma-separated items.  An item is
a choice, ``N`` (thread N), ``N/K`` (thread N, alternative K) or ``T``
(tick), optionally followed by ``xR`` when the same choice repeats R times in
a row, e.g. ``v1:0,1x3,2,T,2/1``.  The text is compact, contains no spaces
or shell-special characters, and decodes to exactly the choices encoded.
"""

from __future__ import annotations

from ..errors import UsageError

Choice = tuple[int, int]
TICK: Choice = (-1, 0)
VERSION = "v1"


def _choice_text(choice: Choice) -> str:
    thread, alt = choice
    if choice == TICK:
        return "T"
    return f"{thread}/{alt}" if alt else str(thread)


def encode(schedule: list[Choice] | tuple[Choice, ...]) -> str:
    items: list[str] = []
    i = 0
    while i < len(schedule):
        j = i
        while j + 1 < len(schedule) and schedule[j + 1] == schedule[i]:
            j += 1
        run = j - i + 1
        items.append(_choice_text(schedule[i]) + (f"x{run}" if run > 1 else ""))
        i = j + 1
    return f"{VERSION}:" + ",".join(items)


def decode(text: str) -> tuple[Choice, ...]:
    text = text.strip()
    version, sep, body = text.partition(":")
    if not sep or version != VERSION:
        raise UsageError(
            f"cannot read schedule {text!r}",
            hint=f"schedules look like {VERSION}:0,1x2,2,T,1/2 (copy the one printed with the counterexample)",
        )
    out: list[Choice] = []
    for part in filter(None, (p.strip() for p in body.split(","))):
        item, star, repeat = part.partition("x")
        try:
            count = int(repeat) if star else 1
            if count < 1:
                raise ValueError(part)
            if item == "T":
                choice = TICK
            elif "/" in item:
                a, b = item.split("/")
                choice = (int(a), int(b))
            else:
                choice = (int(item), 0)
            if choice != TICK and (choice[0] < 0 or choice[1] < 0):
                raise ValueError(part)
        except ValueError:
            raise UsageError(
                f"bad item {part!r} in schedule {text!r}", hint="each item is N, N/K or T, optionally followed by xR"
            ) from None
        out.extend([choice] * count)
    return tuple(out)
