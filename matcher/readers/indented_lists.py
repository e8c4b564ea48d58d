"""Lists set by indent alone, as a PDF's text layer or a layout text export gives them (the
bullets were drawn, not typed): given each line's left edge, a run of two or more lines indented
alike past the body's edge is a list, and each of its items gets a typed bullet back, so the
readers see the list the page shows. Used by :mod:`matcher.readers.pdf` (edges in points) and
:mod:`matcher.readers.layout_text` (edges in characters)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

_ITEM_START = re.compile(r"^[A-Z0-9\"'(]")
_SENTENCE_END = re.compile(r"[.!?:;)]$")


def body_edge(chars: Counter[float]) -> float:
    """The body's left edge from the characters set at each edge: the leftmost edge with at least
    a quarter of the busiest one's (pages of lists set most of their text at the list's indent; a
    browser's header and footer sit left of the body)."""
    top = chars.most_common(1)[0][1]
    return min(x for x, n in chars.items() if n >= 0.25 * top)


def mark_items(
    lines: list[str],
    edges: list[float | None],
    listed: list[bool],
    *,
    bullet: str,
    tolerance: float = 0.0,
    skip: Callable[[str], bool] | None = None,
) -> list[str]:
    """``lines`` with ``bullet`` before each item of the lists they hold: ``listed`` says which
    lines sit at a list's indent, ``edges`` where each starts. A listed line with no neighbour at
    the same edge (within ``tolerance``) is a quote or a table header, no list; a line of a list
    starts an item unless it goes on with the line before (this one starts in lower case, or the
    one before ran to the list's width without ending a sentence). Lines ``skip`` names (a bullet
    already typed) stay as they are."""
    width = max((len(ln.strip()) for ln, x in zip(lines, listed, strict=True) if x), default=0)
    out = list(lines)
    for i, line in enumerate(lines):
        t = line.strip()
        if not listed[i] or (skip is not None and skip(t)):
            continue
        near = [j for j in (i - 1, i + 1) if 0 <= j < len(lines) and listed[j]]
        if not any(abs((edges[j] or 0) - (edges[i] or 0)) <= tolerance for j in near):
            continue
        prev = lines[i - 1].strip() if i and listed[i - 1] else ""
        goes_on = bool(prev) and (
            not _ITEM_START.match(t) or (len(prev) >= 0.7 * width and not _SENTENCE_END.search(prev))
        )
        if not goes_on:
            out[i] = f"{bullet} {t}"
    return out
