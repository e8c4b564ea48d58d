"""Word syllabi (.docx, read with python-docx): headings, paragraphs, lists and tables, in order.

``Title`` and ``Heading N`` styles, short lines set at least 1.3 times the body's font size
(level by size) and short all-bold lines are headings, ``List ...`` styles
and numbered paragraphs are list items, a table whose header names course columns lists
courses, a two-column ``Credential | AWS Certified Welder`` table labels the program. Page
numbers come from the page breaks Word recorded when it last laid the document out (or, for
files no word processor has laid out, from explicit page breaks); without either, sources name
the file and course only. The file is checked for damage and zip bombs before it is opened.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from typing import Any

from matcher.errors import BadInputError, TooLargeError
from matcher.program import Program
from matcher.readers import Reader, register
from matcher.readers import fields as F
from matcher.readers.outline import Block, build_program
from matcher.readers.zipcheck import check_zip

log = logging.getLogger(__name__)

MAX_BLOCKS = 20_000
MAX_TABLE_ROWS = 2_000
_HEADING = re.compile(r"^heading\s*(\d)$", re.I)


class _Pages:
    """Counts page breaks in document order; ``None`` pages when the file records none."""

    def __init__(self, body: Any) -> None:
        from docx.oxml.ns import qn

        self.t, self.br, self.rendered = qn("w:t"), qn("w:br"), qn("w:lastRenderedPageBreak")
        self.type = qn("w:type")
        has_rendered = next(body.iter(self.rendered), None) is not None
        has_explicit = any(el.get(self.type) == "page" for el in body.iter(self.br))
        self.mode = "rendered" if has_rendered else "explicit" if has_explicit else None
        self.page = 1

    def _is_break(self, el: Any) -> bool:
        if self.mode == "rendered":
            return el.tag == self.rendered
        return el.tag == self.br and el.get(self.type) == "page"

    def place(self, element: Any) -> int | None:
        """The page ``element`` starts on; advances past the breaks inside it."""
        if self.mode is None:
            return None
        seen_text, lead, trailing = False, 0, 0
        for el in element.iter(self.t, self.br, self.rendered):
            if el.tag == self.t:
                seen_text = seen_text or bool((el.text or "").strip())
            elif self._is_break(el):
                if seen_text:
                    trailing += 1
                else:
                    lead += 1
        self.page += lead
        page = self.page
        self.page += trailing
        return page


def _is_bold(paragraph: Any) -> bool:
    runs = [r for r in paragraph.runs if r.text.strip()]
    if not runs:
        return False
    style_bold = bool(paragraph.style is not None and paragraph.style.font.bold)
    return all(r.bold or (r.bold is None and style_bold) for r in runs)


def _run_size(run: Any, paragraph: Any) -> float | None:
    size = run.font.size or (paragraph.style.font.size if paragraph.style is not None else None)
    return size.pt if size is not None else None


def _size(paragraph: Any) -> float | None:
    """The smallest font size of the paragraph's text runs (None when none is recorded)."""
    sizes = [_run_size(r, paragraph) for r in paragraph.runs if r.text.strip()]
    known = [s for s in sizes if s is not None]
    return min(known) if known and len(known) == len(sizes) else None


def body_size(document: Any) -> float | None:
    """The font size most of the document's text is set in."""
    from collections import Counter

    counts: Counter[float] = Counter()
    for n, p in enumerate(document.paragraphs):
        if n > 2000:
            break
        for r in p.runs:
            size = _run_size(r, p)
            if size is not None and r.text.strip():
                counts[size] += len(r.text)
    return counts.most_common(1)[0][0] if counts else None


def _paragraph_blocks(p: Any, page: int | None, body: float | None = None) -> list[Block]:
    """One block, or one per line when the paragraph's line breaks separate labelled fields
    ("Junior Cloud Engineer / O*NET-SOC CODE: 15-1231.00")."""
    block = _paragraph_block(p, page, body)
    if block is None:
        return []
    lines = [ln.strip() for ln in p.text.splitlines() if ln.strip()]
    if len(lines) > 1 and any(F.is_standalone_line(ln) for ln in lines):
        return [
            Block(block.kind if i == 0 else "para", ln, level=block.level if i == 0 else 0, page=page)
            for i, ln in enumerate(lines)
        ]
    return [block]


def _paragraph_block(p: Any, page: int | None, body: float | None = None) -> Block | None:
    text = p.text.strip()
    if not text:
        return None
    style = (p.style.name if p.style is not None else "") or ""
    if style == "Title":
        return Block("heading", text, level=1, page=page)
    m = _HEADING.match(style)
    if m:
        return Block("heading", text, level=int(m.group(1)) + 1, page=page)
    ppr = p._p.pPr
    if "list" in style.lower() or (ppr is not None and ppr.numPr is not None):
        return Block("item", text, page=page)
    if bullet := F.BULLET.match(text):  # a bullet or number typed by hand ("• Explain ...", "1. ")
        return Block("item", text[bullet.end() :].strip(), page=page)
    short = len(text) <= 100 and not text.endswith((".", ";", ","))
    size = _size(p)
    if short and body and size and size >= 1.3 * body:  # set large: a heading by its size
        level = 1 if size >= 1.8 * body else 2 if size >= 1.5 * body else 3
        return Block("heading", text, level=level, page=page)
    if short and _is_bold(p):
        return Block("heading", text, level=8, page=page)
    return Block("para", text, page=page)


def _table_block(table: Any, page: int | None, filename: str) -> Block:
    rows = []
    for i, row in enumerate(table.rows):
        if i >= MAX_TABLE_ROWS:
            raise TooLargeError(f"{filename} has a table with more than {MAX_TABLE_ROWS:,} rows")
        rows.append(tuple(" ".join(c.text.split()) if "\n" not in c.text else c.text for c in row.cells))
    return Block("table", rows=tuple(rows), page=page)


def docx_blocks(document: Any, filename: str) -> Iterator[Block]:
    from docx.table import Table

    pages = _Pages(document.element.body)
    body = body_size(document)
    for n, item in enumerate(document.iter_inner_content()):
        if n >= MAX_BLOCKS:
            raise TooLargeError(f"{filename} has more than {MAX_BLOCKS:,} paragraphs and tables")
        if isinstance(item, Table):
            yield _table_block(item, pages.place(item._tbl), filename)
        else:
            yield from _paragraph_blocks(item, pages.place(item._p), body)


def _read_docx(content: bytes, filename: str) -> Program:
    check_zip(content, filename, kind="DOCX", required="word/document.xml")
    import docx

    try:
        document = docx.Document(io.BytesIO(content))
    except MemoryError:
        raise  # the memory bound of matcher.readers.bounded, not a damaged file
    except Exception as exc:  # python-docx/lxml raise many types on damaged parts
        log.info("python-docx could not open %s: %r", filename, exc)
        raise BadInputError(
            f"{filename} is not a readable DOCX document (damaged or not a Word file)"
        ) from None
    try:
        blocks = list(docx_blocks(document, filename))
    except (BadInputError, TooLargeError):
        raise
    except MemoryError:
        raise  # the memory bound of matcher.readers.bounded, not a damaged file
    except Exception as exc:
        log.info("python-docx failed on %s: %r", filename, exc)
        raise BadInputError(f"{filename}: could not read the document body (damaged DOCX)") from None
    if not blocks:
        raise BadInputError(f"{filename} has no text")
    fallback = (document.core_properties.title or "").strip() or None
    return build_program(blocks, filename, fallback_title=fallback)


register(Reader("docx", (".docx",), _read_docx))
