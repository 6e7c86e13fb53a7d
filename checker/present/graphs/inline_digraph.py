"""``InlineDigraph``: a ``graphviz.Digraph`` that renders with whatever
renderer ``renderer.find_renderers`` finds (system ``dot`` or
``graphviz-pure``).

The graphviz package always runs a program called ``dot``; on a machine
with only ``graphviz-pure`` that fails, so a plain ``Digraph`` would not
display in Jupyter.  This subclass overrides ``pipe`` for svg/png/dot output
with the default engine (which is what Jupyter's ``_repr_mimebundle_``
calls) and shows a one-line hint instead of a traceback when nothing can
render.  Everything else (``source``, ``render``, ``save``, attributes) is
the graphviz package's own; ``render()`` still needs Graphviz's ``dot``:
use ``checker.present.graphs.save_digraph`` to write files.
"""

from __future__ import annotations

from typing import Any

import graphviz

from . import renderer as _renderer


class InlineDigraph(graphviz.Digraph):
    def pipe(self, format: str | None = None, renderer: str | None = None, formatter: str | None = None,
             neato_no_op: Any = None, quiet: bool = False, *, engine: str | None = None,
             encoding: str | None = None) -> Any:
        fmt = format or self.format
        plain = renderer is None and formatter is None and neato_no_op is None and engine in (None, "dot")
        if not plain or fmt not in _renderer.FORMATS or self.engine != "dot":
            return super().pipe(fmt, renderer, formatter, neato_no_op, quiet, engine=engine, encoding=encoding)
        data = _renderer.render(self.source, fmt)
        return data.decode(encoding) if encoding else data

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **kwargs: Any) -> dict[str, Any]:
        try:
            return super()._repr_mimebundle_(include, exclude, **kwargs)
        except (_renderer.NoRenderer, _renderer.RenderFailed) as exc:
            return {"text/plain": f"{exc}: `{_renderer.INSTALL_HINT}` to draw graphs (the DOT text is in .source)"}
