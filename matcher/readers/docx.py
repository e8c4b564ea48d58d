"""Word syllabi (.docx, read with python-docx): headings, paragraphs, lists and tables, in order.

``Title`` and ``Heading N`` styles (and ``Subtitle`` when a document sets its sections in it),
short lines set at least 1.3 times the body's font size (level by size; a run without a size
of its own has its style's or the document's default) and short all-bold lines are headings,
``List ...`` styles and numbered paragraphs are list items, a table whose header names course
columns lists courses, a two-column ``Credential | AWS Certified Welder`` table labels the
program. A course information table of labels and values (``Class | CIS104: Coding in Python
(3 credits)``, ``Course Description | ...``, ``Objectives | one per line``, ``Required
Textbook | ...``) is read as the labelled lines and sections it stands for, and a heading that
names a program label with one short paragraph under it (``COURSE TITLE`` / ``Introduction to
C# Programming``) as a labelled line. Page
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
from matcher.readers.text import hand_wrapped, text_blocks
from matcher.readers.zipcheck import check_zip

log = logging.getLogger(__name__)

MAX_BLOCKS = 20_000
MAX_TABLE_ROWS = 2_000
_HEADING = re.compile(r"^heading\s*(\d)$", re.I)
# "Updated for Spring 2026", "Revised 08/2024": a dateline set large under the title, no heading
_DATELINE = re.compile(r"^(?:last\s+)?(?:updated|revised|effective)\b", re.I)


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


def _style_size(style: Any) -> float | None:
    """The font size a paragraph style sets, or inherits from the style it is based on."""
    for _ in range(10):  # a chain of based-on styles; a loop in a damaged file ends here
        if style is None:
            return None
        if style.font.size is not None:
            return float(style.font.size.pt)
        style = style.base_style
    return None


def default_size(document: Any) -> float | None:
    """The document's default font size (``w:docDefaults``), None when it sets none."""
    from docx.oxml.ns import qn

    sz = document.styles.element.find(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:sz')}"
    )
    try:
        return int(sz.get(qn("w:val"))) / 2 if sz is not None else None
    except (TypeError, ValueError):
        return None


def _run_size(run: Any, paragraph: Any, default: float | None = None) -> float | None:
    if run.font.size is not None:
        return float(run.font.size.pt)
    return _style_size(paragraph.style) or default


def _size(paragraph: Any, default: float | None = None) -> float | None:
    """The smallest font size of the paragraph's text runs (None when none is recorded)."""
    sizes = [_run_size(r, paragraph, default) for r in paragraph.runs if r.text.strip()]
    known = [s for s in sizes if s is not None]
    return min(known) if known and len(known) == len(sizes) else None


def body_size(document: Any, default: float | None = None) -> float | None:
    """The font size most of the document's text is set in."""
    from collections import Counter

    counts: Counter[float] = Counter()
    for n, p in enumerate(document.paragraphs):
        if n > 2000:
            break
        for r in p.runs:
            size = _run_size(r, p, default)
            if size is not None and r.text.strip():
                counts[size] += len(r.text)
    return counts.most_common(1)[0][0] if counts else None


def _paragraph_blocks(
    p: Any, page: int | None, body: float | None = None, fmt: _Format | None = None
) -> list[Block]:
    """One block, or one per line when the paragraph's line breaks separate labelled fields
    ("Junior Cloud Engineer / O*NET-SOC CODE: 15-1231.00")."""
    block = _paragraph_block(p, page, body, fmt)
    if block is None:
        return []
    lines = [ln.strip() for ln in p.text.splitlines() if ln.strip()]
    if len(lines) > 1 and any(F.is_standalone_line(ln) for ln in lines):
        return [
            Block(block.kind if i == 0 else "para", ln, level=block.level if i == 0 else 0, page=page)
            for i, ln in enumerate(lines)
        ]
    return [block]


class _Format:
    """What a document's styles mean in it: the default font size of runs without one, and
    whether ``Subtitle`` sets its section headings (used more than once) or one line under the
    title."""

    def __init__(self, document: Any) -> None:
        self.default = default_size(document)
        subtitles = 0
        for n, p in enumerate(document.paragraphs):
            if n > 2000:
                break
            if p.style is not None and p.style.name == "Subtitle" and p.text.strip():
                subtitles += 1
        self.subtitle_sections = subtitles >= 2


def _paragraph_block(
    p: Any, page: int | None, body: float | None = None, fmt: _Format | None = None
) -> Block | None:
    text = p.text.strip()
    if not text:
        return None
    style = (p.style.name if p.style is not None else "") or ""
    if style == "Title":
        return Block("heading", text, level=1, page=page)
    m = _HEADING.match(style)
    if m:
        return Block("heading", text, level=int(m.group(1)) + 1, page=page)
    short = len(text) <= 100 and not text.endswith((".", ";", ","))
    if style == "Subtitle" and short and fmt is not None and fmt.subtitle_sections:
        return Block("heading", text, level=2, page=page)  # "COURSE TITLE", "OBJECTIVES", ...
    ppr = p._p.pPr
    if "list" in style.lower() or (ppr is not None and ppr.numPr is not None):
        return Block("item", text, page=page)
    if bullet := F.BULLET.match(text):  # a bullet or number typed by hand ("• Explain ...", "1. ")
        return Block("item", text[bullet.end() :].strip(), page=page)
    size = _size(p, fmt.default if fmt is not None else None)
    if (
        short and body and size and size >= 1.3 * body and not _DATELINE.match(text)
    ):  # set large: a heading by its size
        level = 1 if size >= 1.8 * body else 2 if size >= 1.5 * body else 3
        return Block("heading", text, level=level, page=page)
    if short and _is_bold(p):
        return Block("heading", text, level=8, page=page)
    return Block("para", text, page=page)


def _table_rows(table: Any, filename: str) -> tuple[tuple[str, ...], ...]:
    rows = []
    for i, row in enumerate(table.rows):
        if i >= MAX_TABLE_ROWS:
            raise TooLargeError(f"{filename} has a table with more than {MAX_TABLE_ROWS:,} rows")
        rows.append(tuple(" ".join(c.text.split()) if "\n" not in c.text else c.text for c in row.cells))
    return tuple(rows)


def _table_blocks(table: Any, page: int | None, filename: str) -> list[Block]:
    rows = _table_rows(table, filename)
    return _label_table_blocks(rows, page) or [Block("table", rows=rows, page=page)]


# Labels of a course information table that name the course, and the credits after its title.
_COURSE_NAME_LABELS = {
    "class",
    "course",
    "course title",
    "course name",
    "course number and title",
    "course title and number",
    "course name and number",
    "title",
}
_DESCRIPTION_LABELS = {
    "description",
    "course description",
    "catalog description",
    "catalog course description",
}
_CREDITS = re.compile(
    r"\s*[(\[,–—-]\s*(\d+(?:\.\d+)?)\s*(?:credits?|credit\s+hours?|cr\.?)\s*[)\]]?\s*$", re.I
)


def _label_cell(text: str) -> bool:
    t = " ".join(text.split()).strip(" :*")
    return (
        0 < len(t) <= 40
        and len(t.split()) <= 5
        and not t.endswith((".", "!", "?"))
        and "\n" not in text.strip()
    )


def _label_table_blocks(rows: tuple[tuple[str, ...], ...], page: int | None) -> list[Block] | None:
    """The labelled lines and sections a course information table of ``label | value`` rows
    stands for; None for any other table (one with a course header, or a program-at-a-glance
    table of program labels, which :mod:`matcher.readers.outline` reads as it is)."""
    from matcher.readers.tabular import courses_from_rows, program_labels_from_rows

    pairs: list[tuple[str, str]] = []
    for r in rows:
        cells = list(dict.fromkeys(c.strip() for c in r if c.strip()))  # merged cells repeat
        if not cells:
            continue
        if len(cells) != 2 or not _label_cell(cells[0]):
            return None
        pairs.append((" ".join(cells[0].split()).strip(" :*"), cells[1]))
    if len(pairs) < 3 or courses_from_rows([list(r) for r in rows], "table") is not None:
        return None
    if program_labels_from_rows([list(r) for r in rows]) is not None:
        return None
    keys = [F.norm_key(label) for label, _ in pairs]
    named = [k in _COURSE_NAME_LABELS or k in _DESCRIPTION_LABELS or F.is_outcomes_heading(k) for k in keys]
    if sum(named) < 2:
        return None  # a table of labels that names no course, its description or its outcomes
    out: list[Block] = []
    section = False  # the reader is in a section (outcomes, materials) a plain line would join
    for (label, value), key in zip(pairs, keys, strict=True):
        lines = [ln.strip() for ln in value.splitlines() if ln.strip()]
        one_line = " ".join(lines)
        if key in _COURSE_NAME_LABELS:
            title, credits = one_line, None
            if m := _CREDITS.search(one_line):
                title, credits = one_line[: m.start()].strip(), m.group(1)
            out.append(Block("para", f"Course Title: {title}", page=page))
            if credits is not None:
                out.append(Block("para", f"Credits: {credits}", page=page))
        elif key in _DESCRIPTION_LABELS:
            out.append(Block("heading", "Description", level=8, page=page))
            out += [Block("para", ln, page=page) for ln in lines]
            section = False
        elif F.is_outcomes_heading(key):
            out.append(Block("heading", label, level=8, page=page))
            out += [Block("item", t, page=page) for t in F.split_outcomes(value)]
            section = True
        elif F.not_curriculum_section(label) is not None:
            out.append(Block("heading", label, level=8, page=page))
            out += [Block("para", ln, page=page) for ln in lines]
            section = True
        elif section:
            out.append(Block("heading", label, level=8, page=page))
            out.append(Block("para", one_line, page=page))
            section = False
        else:
            out.append(Block("para", f"{label}: {one_line}", page=page))
    return out


def _label_headings(blocks: list[Block]) -> Iterator[Block]:
    """A heading that names a program label ("COURSE TITLE", "Credit Hours") with one short
    paragraph under it before the next heading, a value rather than a sentence: the labelled
    line ``COURSE TITLE: ...``."""
    skip = False
    for i, b in enumerate(blocks):
        if skip:
            skip = False
            continue
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        after = blocks[i + 2] if i + 2 < len(blocks) else None
        field = F.PROGRAM_LABELS.get(F.norm_key(b.text)) if b.kind == "heading" else None
        if (
            field is not None
            and field not in ("description", "prerequisites")
            and nxt is not None
            and nxt.kind == "para"
            and len(nxt.text) <= 150
            and not nxt.text.rstrip().endswith((".", ":", ";"))  # a value, not a sentence
            and "\n" not in nxt.text.strip()
            and (after is None or after.kind in ("heading", "table"))
        ):
            yield Block("para", f"{b.text.strip().rstrip(':')}: {nxt.text.strip()}", page=b.page)
            skip = True
            continue
        yield b


def docx_blocks(document: Any, filename: str) -> Iterator[Block]:
    from docx.table import Table

    pages = _Pages(document.element.body)
    fmt = _Format(document)
    body = body_size(document, fmt.default)
    blocks: list[Block] = []
    for n, item in enumerate(document.iter_inner_content()):
        if n >= MAX_BLOCKS:
            raise TooLargeError(f"{filename} has more than {MAX_BLOCKS:,} paragraphs and tables")
        if isinstance(item, Table):
            blocks += _table_blocks(item, pages.place(item._tbl), filename)
        else:
            blocks += _paragraph_blocks(item, pages.place(item._p), body, fmt)
    yield from _label_headings(blocks)


def _plain_paragraph(p: Any) -> bool:
    """A paragraph typed as a line of text: the ``Normal`` style, no numbering, no bold or sized
    run and no line break of its own."""
    style = (p.style.name if p.style is not None else "") or ""
    ppr = p._p.pPr
    return (
        style == "Normal"
        and (ppr is None or ppr.numPr is None)
        and "\n" not in p.text
        and not any(r.bold or r.font.size is not None for r in p.runs)
    )


def typed_text(document: Any) -> str | None:
    """The text of a plain text opened in (or pasted into) Word, one paragraph a line: every
    paragraph a plain line (:func:`_plain_paragraph`), no tables, and the lines wrapped by hand
    (:func:`matcher.readers.text.hand_wrapped`); None for any other document. Such a document
    reads as the text it is, so its wrapped sentences and labelled lines join up again."""
    paragraphs = document.paragraphs[:MAX_BLOCKS]
    if document.tables or not all(_plain_paragraph(p) for p in paragraphs):
        return None
    lines = [p.text for p in paragraphs]
    return "\n".join(lines) if hand_wrapped(lines) else None


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
        text = typed_text(document)
        blocks = text_blocks(text) if text is not None else list(docx_blocks(document, filename))
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
