"""Tables in plain text, read as rows of cells: tables written with bars (Markdown style), the
grid and multiline tables of a plain-text export (pandoc ``-t plain``, cells wrapped over
lines), and course tables a layout export sets by column (``pdftotext -layout``).

:func:`text_tables` maps each table's first line to the index after it and its rows; the
plain-text reader (:mod:`matcher.readers.text`) turns them into table blocks.
"""

from __future__ import annotations

import re

from matcher.readers import fields as F
from matcher.readers.pdf_tables import Chunk, find_tables, join_rows

_BULLET = F.BULLET
_SENTENCE_END = re.compile(r"[.!?;:)]$")

Tables = dict[int, tuple[int, tuple[tuple[str, ...], ...]]]


def text_tables(lines: list[str]) -> Tables:
    """Every table of ``lines``: first line index -> (index after the table, rows). Where two
    readings start on one line, a bar table wins over an export table, which wins over a layout
    table."""
    return {**_layout_tables(lines), **_export_tables(lines), **_bar_tables(lines)}


# A table written with bars, Markdown style: "Curriculum | CLOCK HOURS |" over "---|---|".
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$")


def _cells(line: str) -> tuple[str, ...]:
    t = line.strip()
    t = t[1:] if t.startswith("|") else t
    t = t[:-1] if t.endswith("|") else t
    return tuple(c.strip() for c in t.split("|"))


def _bar_tables(lines: list[str]) -> dict[int, tuple[int, tuple[tuple[str, ...], ...]]]:
    """The tables written with bars (a header line, a rule line "---|---|", rows with bars):
    first line index -> (index after the last row, rows)."""
    out: dict[int, tuple[int, tuple[tuple[str, ...], ...]]] = {}
    i = 0
    while i + 1 < len(lines):
        if "|" in lines[i] and _TABLE_RULE.match(lines[i + 1].strip()):
            rows = [_cells(lines[i])]
            j = i + 2
            while j < len(lines) and "|" in lines[j] and lines[j].strip():
                rows.append(_cells(lines[j]))
                j += 1
            out[i] = (j, tuple(rows))
            i = j
            continue
        i += 1
    return out


# A plain-text export's table rules (pandoc ``-t plain``): a grid table's borders
# ("+------+------+", "+======+") and a multiline table's rules, one run of dashes across the
# table ("  ----------") or one run per column ("  -------- --------").
_GRID_BORDER = re.compile(r"^\s*\+(?:[-=:]{3,}\+){2,}\s*$")
_DASH_RUN = re.compile(r"-{3,}")
_DASH_RULE = re.compile(r"^\s*-{3,}(?: +-{3,})*\s*$")


def _cell_text(fragments: list[str]) -> str:
    """A table cell's text from the lines it was wrapped over: wrapped lines joined back, and a
    list item (a bullet line) or a paragraph after a blank line and a sentence's end on a line
    of its own. A word too long for its column, broken after its first letter onto a line it
    fills ("I" / "nstrumentation,"), is one word again."""
    parts: list[str] = []
    gap = False
    last = ""
    for raw in fragments:
        t = raw.strip()
        if not t:
            gap = bool(parts) and _SENTENCE_END.search(parts[-1]) is not None
            continue
        bullet = _BULLET.match(t)
        broken = len(last) == 1 and last.isalpha() and " " not in t and len(t) >= len(raw) - 2
        last = t
        if gap or bullet or not parts:
            parts.append(t[bullet.end() :].strip() if bullet else t)
        elif broken:
            parts[-1] += t
        else:
            parts[-1] = F.join_wrapped(parts[-1], t)
        gap = False
    return "\n".join(parts)


def _row(lines: list[str], spans: list[tuple[int, int]]) -> tuple[str, ...]:
    return tuple(_cell_text([ln[a:b] for ln in lines]) for a, b in spans)


def _grid_table(lines: list[str], i: int) -> tuple[int, tuple[tuple[str, ...], ...]] | None:
    """A grid table whose first border is line ``i``: cells between the border's ``+`` columns,
    one row between two borders (its lines set between ``|`` bars); (end, rows) or None."""
    border = lines[i]
    cuts = [n for n, c in enumerate(border) if c == "+"]
    spans = [(a + 1, b) for a, b in zip(cuts, cuts[1:], strict=False)]
    rows: list[tuple[str, ...]] = []
    group: list[str] = []
    j = i + 1
    while j < len(lines) and lines[j].strip().startswith(("|", "+")):
        if _GRID_BORDER.match(lines[j]):
            if group:
                rows.append(_row(group, spans))
            group = []
        else:
            group.append(lines[j])
        j += 1
    return (j, tuple(rows)) if len(rows) >= 2 and not group else None


def _rule_table(lines: list[str], i: int) -> tuple[int, tuple[tuple[str, ...], ...]] | None:
    """A table set between two rules that opens at line ``i``: columns where the column rule's
    runs of dashes stand (the rule under the header, or the opening rule of a table without
    one), every line inside set at or right of the table's left edge, up to the closing rule; its
    rows set apart by blank lines (a multiline table, cells wrapped) or one a line. (end, rows)
    or None."""
    col = next((j for j in range(i, min(i + 6, len(lines))) if len(_DASH_RUN.findall(lines[j])) >= 2), None)
    if col is None or any(_DASH_RULE.match(lines[k]) for k in range(i + 1, col)):
        return None
    runs = [m.start() for m in _DASH_RUN.finditer(lines[col])]
    edge = runs[0]
    j = col + 1
    while j < len(lines) and not _DASH_RULE.match(lines[j]):
        if lines[j].strip() and len(lines[j]) - len(lines[j].lstrip()) < edge:
            return None  # text at the page's margin: no table row
        j += 1
    if j >= len(lines):
        return None
    body = lines[col + 1 : j]
    if any(not ln.strip() for ln in body):
        groups = [g.split("\n") for g in re.split(r"\n\s*\n", "\n".join(body).strip("\n"))]
    else:
        groups = [[ln] for ln in body]
    if col > i:
        groups.insert(0, lines[i + 1 : col])  # the header, between the opening and column rules
    spans = list(zip(runs, [*runs[1:], 10_000], strict=True))
    rows = [_row(g, spans) for g in groups if any(ln.strip() for ln in g)]
    return (j + 1, tuple(rows)) if len(rows) >= 2 else None


def _export_tables(lines: list[str]) -> dict[int, tuple[int, tuple[tuple[str, ...], ...]]]:
    """The grid and multiline tables of a plain-text export (pandoc ``-t plain``), whose cells
    wrap over several lines: first line index -> (index after the table, rows)."""
    out: dict[int, tuple[int, tuple[tuple[str, ...], ...]]] = {}
    i = 0
    while i < len(lines):
        line = lines[i]
        found = (
            _grid_table(lines, i)
            if _GRID_BORDER.match(line)
            else _rule_table(lines, i)
            if _DASH_RULE.match(line) and len(line.strip()) >= 20
            else None
        )
        if found is not None:
            out[i] = found
            i = found[0]
            continue
        i += 1
    return out


_CELL_RUN = re.compile(r"\S+(?: \S+)*")  # a run of words set a single space apart: a cell of a layout
# A line's height as :mod:`matcher.readers.pdf_tables` takes it: a two-line header cell is one
_LINE_SIZE = 1.25
_TABLE_GAP = 3.5  # lines: three blank lines after a table end it


def _layout_tables(lines: list[str]) -> dict[int, tuple[int, tuple[tuple[str, ...], ...]]]:
    """Course tables a layout export sets by column (``pdftotext -layout``: cells two or more
    spaces apart, a title wrapping over lines with its code and hours on one of them), rebuilt
    from where each cell's text starts (:func:`matcher.readers.pdf_tables.find_tables`)."""
    chunks: list[Chunk] = []
    at: list[int] = []  # each chunk's line
    for i, line in enumerate(lines):
        for m in _CELL_RUN.finditer(line):
            chunks.append(Chunk(-i * 1.0, _LINE_SIZE, m.group(), float(m.start()), float(len(m.group()))))
            at.append(i)
    out: dict[int, tuple[int, tuple[tuple[str, ...], ...]]] = {}
    last = -1
    for table in find_tables(chunks, gap=_TABLE_GAP):
        rows = table.cells()
        if last >= 0 and out[last][1][0] == rows[0] and len(rows) > 1 and not rows[1][0]:
            # the table goes on over a page under its header repeated: its first row goes on
            # the last row of the page before
            before = out[last][1]
            joined = join_rows(rows[0], before[-1], rows[1])
            out[last] = (at[table.end - 1] + 1, (*before[:-1], joined, *rows[2:]))
            continue
        last = at[table.first]
        out[last] = (at[table.end - 1] + 1, rows)
    return out
