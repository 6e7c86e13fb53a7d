"""Text that is safe inside Graphviz labels.

Two kinds of label are used:

* HTML-like labels (``label=<...>``) for nodes, the title and the legend:
  ``html_text`` escapes ``& < > " '`` and replaces characters that XML
  forbids (control characters) by visible ``\\xNN`` escapes.  The graphviz
  package leaves a label alone when it is wrapped in ``<...>``.
* Plain strings (tooltips, edge labels): ``plain_text`` doubles backslashes,
  because Graphviz reads ``\\n``, ``\\l``, ``\\N`` ... in them as escapes, and
  turns newlines into the ``\\n`` escape; the graphviz package then quotes the
  string and escapes its double quotes.

Long lines are shortened (``shorten``) so one chatty step cannot blow up the
drawing; the full text stays in the tooltip.
"""

from __future__ import annotations

import html
import re

MAX_LINE = 60
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")


def _visible(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()):02x}"


def shorten(text: str, limit: int = MAX_LINE) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def html_text(text: str, limit: int | None = MAX_LINE) -> str:
    """``text`` (one line) escaped for an HTML-like label."""
    if limit is not None:
        text = shorten(text, limit)
    text = _FORBIDDEN.sub(_visible, text.replace("\t", "    "))
    return html.escape(text, quote=True)


def plain_text(text: str) -> str:
    """``text`` (may span lines) for a plain Graphviz string attribute."""
    text = _FORBIDDEN.sub(_visible, text.replace("\t", "    ").replace("\r", ""))
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def html_lines(lines: list[str], limit: int | None = MAX_LINE, max_lines: int = 12) -> list[str]:
    """Each line escaped; more than ``max_lines`` are cut with a note."""
    shown = [html_text(line, limit) for line in lines[:max_lines]]
    if len(lines) > max_lines:
        shown.append(f"\u2026 {len(lines) - max_lines} more lines")
    return shown
