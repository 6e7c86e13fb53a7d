"""``Timer``: CPython's ``threading.Timer``, a thread that calls a function
after ``interval`` (virtual) seconds unless ``cancel()`` was called first.

Its body is CPython's ``Timer.run``: wait on the internal event ``finished``
with the interval as timeout; if it was not set meanwhile, call the function,
then set ``finished``.  The function may be a plain callable (it runs as part
of that step) or a generator function (a step program, run with ``yield
from``).  ``cancel()`` is immediate: it sets ``finished``.
"""

from __future__ import annotations

import inspect
from typing import Any
from collections.abc import Callable, Iterable, Mapping

from .event import Event
from .thread import Thread


class Timer(Thread):
    def __init__(
        self,
        interval: float,
        function: Callable[..., Any],
        args: Iterable[Any] | None = None,
        kwargs: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__()
        self.interval = interval
        self.function = function
        self.args = tuple(args) if args is not None else ()
        self.kwargs = dict(kwargs) if kwargs is not None else {}
        self.finished = Event()

    def cancel(self) -> None:
        """Stop the timer if it has not fired yet (immediate)."""
        self.finished.set()

    def run(self) -> Any:
        yield self.finished.wait(self.interval)
        if not self.finished.is_set():
            if inspect.isgeneratorfunction(self.function):
                yield from self.function(*self.args, **self.kwargs)
            else:
                self.function(*self.args, **self.kwargs)
        self.finished.set()
