"""Course tables in a PDF's text layer, rebuilt from where each piece of text sits.

A table printed from a web page or a Word document sets each cell's lines on their own, and a
short cell (a code, the hours) is set at the top or in the middle of its row while the title
cell wraps over two or more lines. The text layer then gives "NET 110" between the second and
third line of its title, or the first line of the title after the code and the rest on lines of
their own. :func:`rebuild_tables` reads such a table from the chunks' positions instead: the
header line names the columns, the body's left edges are the columns, a cell is a run of lines
of one column set a line apart, and cells whose lines overlap in height are one row. Each row
is written as the reader of a drawn table expects it (the code alone, the title on one line, the
hours alone); the paragraphs of a "Learning Outcomes" column become list items.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from matcher.readers import fields as F

HEADER_WORDS = {
    "course", "courses", "code", "number", "title", "name", "clock", "contact", "hours", "hrs", "credits",
    "learning", "outcomes", "objectives", "competencies", "description", "module", "unit", "#",
}  # fmt: skip
# Words only a table's header line has among them: a column of figures or of codes.
COLUMN_WORDS = {"code", "number", "hours", "hrs", "credits", "#"}
_SAME_X = 3.0  # points: left edges this close are one column
_OUTCOME_ITEM = "• "
_SENTENCE_END = re.compile(r"[.!?;]$")


@dataclass
class Chunk:
    y: float
    size: float
    text: str
    x: float
    width: float = 0.0  # how far the text runs, where known (a layout export's characters)


@dataclass
class _Cell:
    column: int
    lines: list[Chunk]

    @property
    def top(self) -> float:
        return self.lines[0].y

    @property
    def bottom(self) -> float:
        return self.lines[-1].y

    def text(self) -> str:
        out = ""
        for c in self.lines:
            out = F.join_wrapped(out, c.text.strip()) if out else c.text.strip()
        return out

    def paragraphs(self) -> list[str]:
        """The cell's lines as paragraphs: a line after one that ends a sentence starts one when
        it starts in upper case (a layout export sets a cell's paragraphs no space apart)."""
        out: list[str] = []
        for c in self.lines:
            t = c.text.strip()
            if out and not (_SENTENCE_END.search(out[-1]) and t[:1].isupper()):
                out[-1] = F.join_wrapped(out[-1], t)
            else:
                out.append(t)
        return out


def _is_header(text: str) -> bool:
    words = text.lower().split()
    return bool(words) and all(w in HEADER_WORDS for w in words)


def _header(chunks: list[Chunk], i: int) -> tuple[int, list[tuple[float, str]]] | None:
    """From chunk ``i``: the end of a header line of column names and its columns (x, name),
    a two-line header cell ("Clock" over "Hours") being one column."""
    first = chunks[i]
    j = i
    while j < len(chunks) and _is_header(chunks[j].text) and abs(chunks[j].y - first.y) <= 1.6 * first.size:
        j += 1
    columns: list[tuple[float, str]] = []
    for c in sorted(chunks[i:j], key=lambda c: -c.y):
        near = [k for k, (x, _) in enumerate(columns) if abs(x - c.x) <= 2 * _SAME_X]
        if near:
            x, name = columns[near[0]]
            columns[near[0]] = (x, f"{name} {c.text.strip()}")
        else:
            columns.append((c.x, c.text.strip()))
    columns.sort()
    words = {w for _, name in columns for w in name.lower().split()}
    if len(columns) < 2 or not COLUMN_WORDS & words:
        return None
    return j, columns


def _body(chunks: list[Chunk], start: int, gap: float) -> int:
    """The end of the table body after its header: the first chunk in another font size (a
    heading, the running footer), set more than ``gap`` below the rest or starting the header
    again (the table goes on over a page)."""
    end, low = start, chunks[start].y if start < len(chunks) else 0.0
    while end < len(chunks) and chunks[end].size == chunks[start].size:
        if chunks[end].y < low - gap or (_is_header(chunks[end].text) and _header(chunks, end)):
            break
        low = min(low, chunks[end].y)
        end += 1
    return end


def _within_columns(body: list[Chunk]) -> list[Chunk]:
    """The body up to the first piece of text that runs past the column it starts in into the
    next one (a heading or a paragraph after the table), where the pieces' widths are known."""
    edges = sorted({round(c.x) for c in body})
    for n, c in enumerate(body):
        following = [e for e in edges if e > c.x + _SAME_X]
        if c.width and following and c.x + c.width > following[0] + _SAME_X:
            return body[:n]
    return body


def _columns(body: list[Chunk], header: list[tuple[float, str]]) -> list[int] | None:
    """Each body chunk's column: the body's left edges, each the header column nearest it
    (None when two edges would share a column or an edge is nearer another's header)."""
    edges: list[float] = []
    for x in sorted({c.x for c in body}):
        if not edges or x - edges[-1] > _SAME_X:
            edges.append(x)
    owner = [min(range(len(header)), key=lambda k: abs(header[k][0] - e)) for e in edges]
    if len(set(owner)) != len(owner) or owner != sorted(owner):
        return None
    return [owner[next(k for k, e in enumerate(edges) if abs(c.x - e) <= _SAME_X)] for c in body]


def _cells(body: list[Chunk], cols: list[int]) -> list[_Cell]:
    """Each column's runs of lines set a line apart. A wider gap starts the next cell, unless
    it is one line and a code sits in it, or, in a column whose cells wrap, a line of another
    column: a layout export sets a code centred on a title of two lines, or another cell's
    first line set lower, on a line of its own between them."""
    gaps: Counter[float] = Counter()
    by_col: dict[int, list[Chunk]] = {}
    for c, k in zip(body, cols, strict=True):
        by_col.setdefault(k, []).append(c)
    for lines in by_col.values():
        lines.sort(key=lambda c: -c.y)
        gaps.update(
            round(a.y - b.y, 1) for a, b in zip(lines, lines[1:], strict=False) if a.y - b.y > 0.5 * a.size
        )
    pitch = min((g for g, n in gaps.items() if n >= 2), default=body[0].size * 1.5)
    cells: list[_Cell] = []
    for k, lines in sorted(by_col.items()):
        wraps = any(0.5 * a.size < a.y - b.y <= 1.1 * pitch for a, b in zip(lines, lines[1:], strict=False))
        beside = [c.y for j, other in by_col.items() if j != k and (wraps or j == 0) for c in other]
        for c in lines:
            gap = cells[-1].bottom - c.y if cells and cells[-1].column == k else math.inf
            centred = k and gap <= 2.1 * pitch and any(c.y < y < cells[-1].bottom for y in beside)
            if gap <= 1.1 * pitch or centred:
                cells[-1].lines.append(c)
            else:
                cells.append(_Cell(k, [c]))
    return cells


def _split(row: list[_Cell], short: set[int], slack: float) -> list[list[_Cell]]:
    """A row holding several rows (rows set a line apart, no space between them) split at its
    anchors: the first-column cells (codes) and the one-line cells of a column of such cells
    (hours) with no code beside them ("Total 300"). A cell beside one anchor is its; each line
    of another cell goes with the anchor it is centred on or, when the anchors head their rows
    (no line is set above the first), with the anchor at or above it."""
    codes = [c for c in row if c.column == 0]
    extra = [
        c for c in row if c.column in short and c.column and all(abs(c.top - a.top) > slack for a in codes)
    ]
    anchors = sorted(codes + extra, key=lambda c: -c.top)
    if len(anchors) < 2:
        return [row]
    top_set = max(c.top for c in row) <= anchors[0].top + slack
    parts: list[dict[int, _Cell]] = [{a.column: a} for a in anchors]
    for cell in row:
        if any(cell is a for a in anchors):
            continue
        inside = [k for k, a in enumerate(anchors) if cell.bottom - slack <= a.top <= cell.top + slack]
        if len(inside) == 1:  # a cell beside one anchor only is that anchor's
            parts[inside[0]].setdefault(cell.column, _Cell(cell.column, [])).lines.extend(cell.lines)
            continue
        for line in cell.lines:
            if top_set:
                k = max((k for k, a in enumerate(anchors) if a.top >= line.y - slack), default=0)
            else:
                k = min(
                    range(len(anchors)), key=lambda k: abs((anchors[k].top + anchors[k].bottom) / 2 - line.y)
                )
            parts[k].setdefault(cell.column, _Cell(cell.column, [])).lines.append(line)
    return [sorted(p.values(), key=lambda c: c.column) for p in parts]


def _rows(cells: list[_Cell], slack: float) -> list[list[_Cell]]:
    """Cells whose heights overlap, as rows from the top (see :func:`_split`)."""
    rows: list[list[_Cell]] = []
    for cell in sorted(cells, key=lambda c: -c.top):
        for row in rows:
            top, bottom = max(c.top for c in row), min(c.bottom for c in row)
            if cell.top >= bottom - slack and cell.bottom <= top + slack:
                row.append(cell)
                break
        else:
            rows.append([cell])
    short = {c.column for c in cells} - {c.column for c in cells if len(c.lines) > 1}
    out = [part for row in rows for part in _split(row, short, slack)]
    for row in out:
        row.sort(key=lambda c: (c.column, -c.top))
    return out


def _row_lines(row: list[_Cell], header: list[tuple[float, str]]) -> list[str]:
    """A row as lines: with a first-column cell (a code), each cell on a line of its own; else the
    cells on one line ("Total 300"). The cells of an outcomes column are list items."""
    items = [c for c in row if F.is_outcomes_heading(header[c.column][1])]
    cells = [c for c in row if c not in items]
    head = [c.text() for c in cells]
    if head and cells[0].column != 0:
        head = [" ".join(head)]
    paragraphs = [p for c in items for p in c.paragraphs()]
    # an outcome going on from the page before starts in lower case: no item of its own
    return head + [p if p[:1].islower() and not head else _OUTCOME_ITEM + p for p in paragraphs]


@dataclass
class Table:
    first: int  # index of the header's first chunk
    end: int  # index past the body's last chunk
    header: list[tuple[float, str]]
    rows: list[list[_Cell]]

    def lines(self) -> list[str]:
        """The table as the text layer of a drawn table gives it (see :func:`_row_lines`)."""
        out = [" ".join(name for _, name in self.header)]
        for row in self.rows:
            out += _row_lines(row, self.header)
        return out

    def cells(self) -> tuple[tuple[str, ...], ...]:
        """The header and rows as cell texts. A row of no code and no one-line cell (hours) goes
        on the row before it: a cell's paragraphs set apart, a blank line in a wrapped title,
        the rest of a row over a page."""
        width = len(self.header)
        cells = [c for row in self.rows for c in row]
        short = {c.column for c in cells} - {c.column for c in cells if len(c.lines) > 1} | {0}
        out = [tuple(name for _, name in self.header)]
        for row in self.rows:
            texts = ["\n".join(p for c in row if c.column == k for p in c.paragraphs()) for k in range(width)]
            if not any(c.column in short for c in row) and len(out) > 1:
                out[-1] = join_rows(out[0], out[-1], tuple(texts))
            else:
                out.append(tuple(texts))
        return tuple(out)


def join_rows(header: tuple[str, ...], row: tuple[str, ...], more: tuple[str, ...]) -> tuple[str, ...]:
    """A row with the rest of it (from the next page, or below a blank line): an outcomes cell's
    paragraphs go on as paragraphs (one in lower case goes on the last), other cells as lines."""
    out = []
    for name, cell, rest in zip(header, row, more, strict=True):
        if not cell or not rest:
            out.append(cell or rest)
        elif F.is_outcomes_heading(name) and not rest[:1].islower():
            out.append(f"{cell}\n{rest}")
        else:
            out.append(F.join_wrapped(cell, rest))
    return tuple(out)


def find_tables(chunks: list[Chunk], gap: float = math.inf) -> list[Table]:
    """Each course table among a page's chunks (in reading order): a header line of column
    names, then a body whose left edges are its columns and whose first column holds a cell,
    up to a chunk in another size or ``gap`` below the rest (a paragraph after the table)."""
    out: list[Table] = []
    i = 0
    while i < len(chunks):
        found = _header(chunks, i) if _is_header(chunks[i].text) else None
        if found is None:
            i += 1
            continue
        start, header = found
        end = _body(chunks, start, gap)
        body = _within_columns(chunks[start:end])
        end = start + len(body)
        cols = _columns(body, header) if body else None
        rows = _rows(_cells(body, cols), 0.5 * body[0].size) if cols else None
        if not rows or not any(c.column == 0 for row in rows for c in row):
            i = start
            continue
        out.append(Table(i, end, header, rows))
        i = end
    return out


def rebuild_tables(text: str, chunks: list[Chunk]) -> tuple[str, set[str]]:
    """The page's text with each course table (see :func:`find_tables`) written row by row, and
    the outcome items written into it (bullets of no list the page drew)."""
    tables = find_tables(chunks)
    if not tables:
        return text, set()
    spans: list[tuple[int, int]] = []  # where each chunk sits in the text, in order
    at = 0
    for c in chunks:
        k = text.find(c.text.strip(), at)
        if k < 0:
            return text, set()  # the text layer does not hold the chunks in their order
        spans.append((k, k + len(c.text.strip())))
        at = k + len(c.text.strip())
    out, done, items = [], 0, set()
    for table in tables:
        lines = table.lines()
        out += [text[done : spans[table.first][0]], "\n".join(lines)]
        done = spans[table.end - 1][1]
        items |= {ln for ln in lines if ln.startswith(_OUTCOME_ITEM)}
    out.append(text[done:])
    return "".join(out), items
