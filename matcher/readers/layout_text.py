"""Plain text exported from a PDF with its layout kept (``pdftotext -layout``, "Save as text"):
pages set apart by form feeds, every line indented by the page's margin, the running header and
footer on each page, and lists whose bullets the PDF drew rather than typed.

:func:`unlayout` turns such a text into the plain text :mod:`matcher.readers.text` reads: the
running headers and footers (and a browser's print header and footer) become blank lines, the
body's margin is taken off every line, and a run of lines indented alike past it is a list whose
items get a typed bullet back. Lines keep their numbers. Text without form feeds is left as it is.
"""

from __future__ import annotations

import re
from collections import Counter

from matcher.readers.indented_lists import body_edge, mark_items
from matcher.readers.pdf import _BROWSER_HEADER, _BROWSER_LINE, _PAGE_NUMBER, _running_lines, _shape

# A list's indent past the body's margin, in characters (pdftotext sets a browser's 30 pt list
# indent 4-6 characters in).
_INDENT = (2, 10)
_GLYPH_BULLET = re.compile(r"^\s*[-•*·▪●◦■□➢✓]\s")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _drop_furniture(pages: list[list[str]]) -> list[list[str]]:
    """Each page's lines with its running header and footer and its page number blanked."""
    running = _running_lines([[ln.strip() for ln in p if ln.strip()] for p in pages])
    out = []
    for lines in pages:
        filled = [i for i, ln in enumerate(lines) if ln.strip()]
        ends = set(filled[:1] + filled[-2:])
        out.append(
            [
                ""
                if i in ends
                and (
                    _shape(ln.strip()) in running
                    or _BROWSER_LINE.match(ln.strip())
                    or _BROWSER_HEADER.match(ln.strip())
                    or _PAGE_NUMBER.match(ln.strip())
                )
                else ln
                for i, ln in enumerate(lines)
            ]
        )
    return out


def _body_margin(lines: list[str]) -> int:
    """The body's left margin: the least indent that holds a good share of the text."""
    chars: Counter[float] = Counter()
    for ln in lines:
        if ln.strip():
            chars[_indent(ln)] += len(ln.strip())
    return int(body_edge(chars)) if chars else 0


def _mark_items(lines: list[str]) -> list[str]:
    """Lines (margin taken off) with a bullet before each item of a list set by indent alone."""
    indents: list[float | None] = [_indent(ln) if ln.strip() else None for ln in lines]
    listed = [n is not None and _INDENT[0] <= n <= _INDENT[1] for n in indents]
    return mark_items(lines, indents, listed, bullet="-")


def unlayout(text: str) -> str:
    """The text of a layout export as plain text (see the module docstring); other text as is."""
    if "\f" not in text:
        return text
    pages = _drop_furniture([p.split("\n") for p in text.split("\f")])
    lines = [ln.rstrip() for p in pages for ln in p]
    margin = _body_margin(lines)
    lines = [ln[min(margin, _indent(ln)) :] for ln in lines]
    if not any(_GLYPH_BULLET.match(ln) for ln in lines):
        lines = _mark_items(lines)
    return "\n".join(lines)
