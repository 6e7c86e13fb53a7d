"""A plain-text table whose cells hold several lines (no colour, no
terminal tricks, so it reads the same in a terminal, a CI log and a file)."""

from __future__ import annotations

import textwrap


def render(headers: list[str], rows: list[list[list[str]]], max_width: int = 36) -> str:
    """``rows[i][j]`` is the list of text lines of cell (i, j).  Lines wider
    than ``max_width`` wrap; a row whose only cell is ``None``-headed spans
    nothing special.  Returns the table with a header rule."""
    wrapped = [[_wrap(cell, max_width) for cell in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in wrapped:
        for j, cell in enumerate(row):
            widths[j] = max([widths[j]] + [len(line) for line in cell])
    out = [_line(headers, widths), "  ".join("-" * w for w in widths).rstrip()]
    for row in wrapped:
        height = max((len(cell) for cell in row), default=1)
        for k in range(max(height, 1)):
            out.append(_line([cell[k] if k < len(cell) else "" for cell in row], widths))
    return "\n".join(out)


def _wrap(cell: list[str], width: int) -> list[str]:
    lines: list[str] = []
    for text in cell:
        lines.extend(textwrap.wrap(text, width, subsequent_indent="  ", break_on_hyphens=False) or [""])
    return lines


def _line(cells: list[str], widths: list[int]) -> str:
    return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()
