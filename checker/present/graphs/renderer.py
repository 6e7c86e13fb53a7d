"""Finding and running a Graphviz layout program.

Rendering needs a ``dot``-compatible program.  In order of preference:

1. ``$CHECKER_DOT`` when set (a path or a command name): the user's choice;
   set it to an empty string to disable rendering altogether;
2. Graphviz's ``dot`` on ``PATH``;
3. ``graphviz-pure`` (the pip package of that name: a static, dot-compatible
   binary installed as a script, so it needs no system package).  It is
   looked up on ``PATH`` and in the running interpreter's scripts folder,
   which is not on ``PATH`` when a virtualenv's Python runs unactivated.

``find_renderers()`` lists what is there; ``render()`` tries them in order
and returns the output bytes, raising ``NoRenderer`` when there is none and
``RenderFailed`` when every one failed.  A program is run with the graph on
standard input and ``-Kdot -T<format>``; nothing is written to disk here.
The ``graphviz`` Python package is used to *build* graphs only: it always
runs a program named ``dot``, so we run the program ourselves.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

FORMATS = ("svg", "png", "dot")
TIMEOUT = 120  # seconds; a layout of a few hundred nodes takes well under one
INSTALL_HINT = "pip install graphviz-pure"


class NoRenderer(Exception):
    """No dot-compatible program was found."""


class RenderFailed(Exception):
    """Every renderer found failed on this graph (message says why)."""


@dataclass(frozen=True)
class Renderer:
    """A dot-compatible program: ``name`` ("dot", "graphviz-pure" or what
    ``$CHECKER_DOT`` named) and the ``path`` to run."""

    name: str
    path: str

    def run(self, source: str, fmt: str) -> bytes:
        """Lay out ``source`` (DOT text) and return it in format ``fmt``."""
        try:
            proc = subprocess.run(
                [self.path, "-Kdot", f"-T{fmt}"], input=source.encode("utf-8"), capture_output=True,
                timeout=TIMEOUT, check=False,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise RenderFailed(f"{self.name} ({self.path}) could not run: {exc}") from exc
        if proc.returncode != 0 or not proc.stdout:
            err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            why = err[-1] if err else f"exit status {proc.returncode}"
            raise RenderFailed(f"{self.name} ({self.path}) failed: {why}")
        return proc.stdout


def _scripts_dirs() -> list[Path]:
    dirs = []
    for d in (sysconfig.get_path("scripts"), os.path.dirname(sys.executable)):
        if d and Path(d) not in dirs:
            dirs.append(Path(d))
    return dirs


def _which(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for d in _scripts_dirs():
        for candidate in (d / name, d / f"{name}.exe"):
            if candidate.is_file() and os.access(candidate, os.X_OK):
                return str(candidate)
    return None


def find_renderers() -> list[Renderer]:
    """The renderers available now, best first (see the module docstring)."""
    chosen = os.environ.get("CHECKER_DOT")
    if chosen is not None:
        if not chosen.strip():
            return []
        path = shutil.which(chosen) or (chosen if Path(chosen).is_file() else None)
        return [Renderer(Path(chosen).name, path)] if path else []
    out = []
    dot = shutil.which("dot")
    if dot:
        out.append(Renderer("dot", dot))
    pure = _which("graphviz-pure")
    if pure:
        out.append(Renderer("graphviz-pure", pure))
    return out


def render(source: str, fmt: str) -> bytes:
    """``source`` rendered as ``fmt`` ("svg" or "png"; "dot" returns the
    source itself) by the first renderer that succeeds."""
    if fmt == "dot":
        return source.encode("utf-8")
    if fmt not in FORMATS:
        raise ValueError(f"unknown graph format {fmt!r} (use one of: {', '.join(FORMATS)})")
    renderers = find_renderers()
    if not renderers:
        raise NoRenderer("no Graphviz renderer found")
    errors = []
    for r in renderers:
        try:
            return r.run(source, fmt)
        except RenderFailed as exc:
            errors.append(str(exc))
    raise RenderFailed("; ".join(errors))


def how_to_render(dot_path: str | os.PathLike[str], fmt: str = "svg") -> str:
    """One line telling a user how to turn a written .dot file into ``fmt``."""
    out = Path(dot_path).with_suffix(f".{fmt}")
    return (
        f"no Graphviz renderer found: wrote {dot_path}; to draw it, `{INSTALL_HINT}` and rerun, "
        f"or run `graphviz-pure -T{fmt} {dot_path} -o {out}` (or Graphviz's `dot` the same way)"
    )
