"""PDF syllabi and catalog pages (read with pypdf): the text layer of each page, with its page
number kept on every course, outcome and description paragraph.

Lines are regrouped into paragraphs (PDF text comes as wrapped lines), bullets become list
items, lines that name a course ("WLD-110 Shielded Metal Arc Welding") open a course, and
running headers/footers and page numbers are dropped. Lines set in a font at least 1.25 times
the body's size are headings (the largest first); the first of them that is not document
furniture ("Appendix A", "Syllabus") nor an institution's name is the title. Without font
information the first line is the title.

Limits: at most :data:`MAX_PAGES` pages and :data:`MAX_EXTRACTED_CHARS` characters of text.
Password-protected PDFs (a password is needed to open them), PDFs without a text layer (scans)
and PDFs whose text layer is not readable text (fonts without a Unicode map, a bad OCR layer)
are refused with a message saying so: there is no OCR.
"""

from __future__ import annotations

import io
import logging
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from matcher.errors import BadInputError, MatcherError, TooLargeError
from matcher.program import MAX_TEXT_CHARS, Program
from matcher.readers import Reader, register
from matcher.readers import fields as F
from matcher.readers.outline import Block, build_program

if TYPE_CHECKING:
    from pypdf import PageObject

log = logging.getLogger(__name__)

MAX_PAGES = 500
MAX_EXTRACTED_CHARS = 2 * MAX_TEXT_CHARS  # raw text, before headers/footers/spacing are dropped

_BULLET = F.BULLET
_PAGE_NUMBER = re.compile(
    r"^(?:page\s*[•|:#.-]?\s*)?(?:[A-Z]{1,2}\s*[-–]\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.I
)
_SENTENCE_END = re.compile(r"[.!?:;)]$")


def _open(content: bytes, filename: str):
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, IndexError, AssertionError) as exc:
        log.info("pypdf could not open %s: %r", filename, exc)
        raise BadInputError(f"{filename} is not a readable PDF (damaged or not a PDF file)") from None
    if reader.is_encrypted:
        try:
            opened = bool(reader.decrypt(""))  # many "secured" PDFs only restrict printing/copying
        except Exception as exc:  # unsupported algorithm or a broken encryption dictionary
            log.info("cannot decrypt %s: %r", filename, exc)
            opened = False
        if not opened:
            raise BadInputError(
                f"{filename} is encrypted (password-protected); the text cannot be read. "
                "Save or export it without a password and upload it again."
            )
    return reader


@dataclass
class PageText:
    text: str
    sizes: dict[str, float] = field(default_factory=dict)  # line (whitespace collapsed) -> font size
    chars: Counter[float] = field(default_factory=Counter)  # font size -> characters set in it
    bold: set[str] = field(default_factory=set)  # lines (whitespace collapsed) set wholly in bold


def _extract(page: PageObject) -> PageText:
    """The page's text and, per line, the font size it is set in (from the text matrix)."""
    chunks: list[tuple[float, float, str, bool]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            scale = math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1])
            chunks.append((tm[5] * cm[3] + cm[5], round(size * (scale or 1.0), 1), text, _is_bold(font)))

    text = page.extract_text(visitor_text=visit) or ""
    out = PageText(text)
    lines: list[list] = []  # [text, size, y, bold]
    for y, size, chunk, bold in chunks:
        out.chars[size] += len(chunk.strip())
        if lines and abs(lines[-1][2] - y) < max(2.0, 0.4 * size):
            lines[-1][0] += chunk
            lines[-1][1] = max(lines[-1][1], size)
            lines[-1][3] = lines[-1][3] and bold
        else:
            lines.append([chunk, size, y, bold])
    for line, size, _, bold in lines:
        key = " ".join(line.split())
        if key and key not in out.sizes:
            out.sizes[key] = size
            if bold:
                out.bold.add(key)
    return out


def _is_bold(font: object) -> bool:
    """Whether a text chunk's font is a bold face ("Helvetica-Bold", "ABCDEF+Arial,Bold")."""
    try:
        name = str(font.get("/BaseFont", "")) if hasattr(font, "get") else ""
    except Exception:  # a broken font dictionary says nothing about weight
        return False
    return bool(re.search(r"bold|black|heavy|semibold|demi", name, re.I))


def page_texts(content: bytes, filename: str) -> list[str]:
    """The text layer of every page, in order (bounded by the page and character limits)."""
    return [p.text for p in read_pages(content, filename)]


def read_pages(content: bytes, filename: str) -> list[PageText]:
    """Every page's text with its font sizes (bounded by the page and character limits)."""
    reader = _open(content, filename)
    try:
        n = len(reader.pages)
    except MemoryError:
        raise  # the memory bound of matcher.readers.bounded, not a damaged file
    except Exception as exc:
        log.info("pypdf could not count pages of %s: %r", filename, exc)
        raise BadInputError(f"{filename} is not a readable PDF (damaged page tree)") from None
    if n > MAX_PAGES:
        raise TooLargeError(f"{filename} has {n:,} pages; the limit is {MAX_PAGES:,}")
    if n == 0:
        raise BadInputError(f"{filename} has no pages")
    pages: list[PageText] = []
    total = 0
    for i in range(n):
        try:
            page = _extract(reader.pages[i])
        except MatcherError:
            raise
        except MemoryError:
            raise  # the memory bound of matcher.readers.bounded, not a damaged file
        except Exception as exc:  # one damaged page should not lose the others
            log.warning("%s: page %d could not be read: %r", filename, i + 1, exc)
            page = PageText("")
        total += len(page.text)
        if total > MAX_EXTRACTED_CHARS:
            raise TooLargeError(
                f"{filename} holds more than {MAX_EXTRACTED_CHARS:,} characters of text "
                f"(by page {i + 1}); the limit for a program is {MAX_TEXT_CHARS:,}"
            )
        pages.append(page)
    if not any(p.text.strip() for p in pages):
        raise BadInputError(
            f"{filename} has no text layer ({n} page{'s' if n != 1 else ''} of images or blank "
            "pages, e.g. a scan); OCR is not supported. Export the document as a text PDF, DOCX "
            "or plain text and upload that."
        )
    check_readable("\n".join(p.text for p in pages), filename)
    return pages


_WORD = re.compile(r"[A-Za-z][a-z]+|[A-Z]{2,}")
_VOWEL = re.compile(r"[aeiouyAEIOUY]")


def check_readable(text: str, filename: str) -> None:
    """Refuse a text layer that is not text: glyph codes without a Unicode map ("(cid:12)"),
    private-use characters, or letters that do not form words (a bad OCR layer)."""
    tokens = text.split()
    if len(tokens) < 40:
        return
    cids = len(re.findall(r"\(cid:\d+\)", text))
    odd = sum(
        1
        for ch in text
        if "\ue000" <= ch <= "\uf8ff" or ch == "\ufffd" or (ord(ch) < 32 and ch not in "\n\t\r")
    )
    words = sum(
        1
        for t in tokens
        if (w := _WORD.fullmatch(t.strip(".,;:()[]\"'!?-–—•*/"))) and _VOWEL.search(w.group(0))
    )
    share = words / len(tokens)
    if cids > 0.2 * len(tokens) or odd > 0.1 * len(text) or share < 0.3:
        raise BadInputError(
            f"{filename} has a text layer that is not readable text (only {share:.0%} of its {len(tokens):,} "
            "words look like words: fonts without a Unicode map or a bad OCR layer); OCR is not supported. "
            "Export the document as a text PDF, DOCX or plain text and upload that.",
            details={"word_share": round(share, 3)},
        )


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split()).casefold())


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Headers/footers: the first or last line of most pages (digits ignored), unless it is a
    course heading or a labelled field."""
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({_shape(ln) for ln in lines[:1] + lines[-1:] if not _standalone(ln)})
    need = max(3, int(0.6 * len(pages)))
    return {s for s, c in counts.items() if c >= need}


def _join(prev: str, line: str) -> str:
    if prev.endswith("-") and line[:1].islower():
        return prev[:-1] + line
    return f"{prev} {line}"


_standalone = F.is_standalone_line


def _continues_label(blocks: list[Block], line: str, page: int) -> bool:
    if not blocks or blocks[-1].kind != "para" or blocks[-1].page != page or _BULLET.match(line):
        return False
    return F.continues_label(blocks[-1].text, line)


def _heading_levels(pages: list[PageText]) -> dict[str, int]:
    """Lines set larger than the body text -> heading level (1 = the largest size)."""
    chars: Counter[float] = Counter()
    for p in pages:
        chars.update(p.chars)
    if not chars:
        return {}
    body = chars.most_common(1)[0][0]
    sizes = sorted({s for p in pages for s in p.sizes.values() if s >= 1.25 * body}, reverse=True)
    rank = {s: min(i + 1, 5) for i, s in enumerate(sizes)}
    out = {
        line: rank[size]
        for p in pages
        for line, size in p.sizes.items()
        if size in rank and len(line) <= 120 and not line.endswith((".", ";", ","))
    }
    # A short line wholly in bold at the body size or a little above ("Program Description" in
    # 13 pt bold over 10.5 pt text) is a heading one level below the sized ones.
    below = min(len(sizes) + 1, 5)
    for p in pages:
        for line in p.bold:
            size = p.sizes[line]
            if line not in out and body <= size < 1.25 * body and len(line) <= 80:
                if not line.endswith((".", ";", ",")) and not F.split_label(line, F.PROGRAM_LABELS):
                    out[line] = below
    return out


_CODE_ALONE = re.compile(
    r"^(?!(?:CIP|SOC|PAGE|ISO|STEP|UNIT|WEEK|LEVEL|PART|PHASE|DAY|NFPA)\b)[A-Z]{2,6}[ -]?\d{2,4}[A-Z]?$"
)
_NUMBER_ALONE = re.compile(r"^\d{1,3}(?:\.\d)?$")
_TITLE_THEN_NUMBER = re.compile(r"^(?P<title>.*\S)\s+(?P<n>\d{1,3}(?:\.\d)?)$")
_HEADER_WORDS = {
    "course", "courses", "code", "number", "title", "name", "clock", "contact", "hours", "hrs", "credits",
    "learning", "outcomes", "objectives", "competencies", "description", "module", "unit", "#",
}  # fmt: skip


def _table_rows(lines: list[str]) -> list[str]:
    """A drawn course table as the text layer gives it: a header line of column names, then per
    row the code on a line of its own, the title over one to three lines and the hours alone or
    after the title ("AUT 101" / "Shop Safety, Tools and" / "Equipment" / "24"), then the
    outcome bullets. Each row's code, title and hours become one course line ("AUT 101 Shop
    Safety, Tools and Equipment (24 hours)"); the header line goes."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        words = line.lower().split()
        if len(words) >= 2 and all(w in _HEADER_WORDS for w in words):
            i += 1  # "Course Clock Hours Learning Outcomes"
            continue
        if not _CODE_ALONE.match(line):
            out.append(line)
            i += 1
            continue
        title: list[str] = []
        j = i + 1
        hours = None
        while j < len(lines) and len(title) < 3:
            nxt = lines[j]
            if not nxt or _BULLET.match(nxt) or _CODE_ALONE.match(nxt) or len(nxt) > 70:
                break
            if _NUMBER_ALONE.match(nxt):
                hours, j = nxt, j + 1
                break
            title.append(nxt)
            j += 1
        ends = j >= len(lines) or not lines[j] or _BULLET.match(lines[j]) or _CODE_ALONE.match(lines[j])
        if not title or not (hours or ends):
            out.append(line)
            i += 1
            continue
        name = " ".join(title)
        if hours is None and (m := _TITLE_THEN_NUMBER.match(name)):
            name, hours = m.group("title"), m.group("n")
        out.append(f"{line} {name}" + (f" ({hours} hours)" if hours else ""))
        i = j
    return out


def pdf_blocks(texts: list[str], headings: dict[str, int] | None = None) -> list[Block]:
    headings = headings or {}
    pages = [_table_rows([ln.strip() for ln in t.splitlines()]) for t in texts]
    running = _running_lines([[ln for ln in p if ln] for p in pages])
    blocks: list[Block] = []
    title_done = bool(headings)  # with font sizes the title is the first large heading
    for number, lines in enumerate(pages, 1):
        width = max((len(ln) for ln in lines), default=0)
        current: list | None = None  # [kind, text, length of its last line]

        def flush() -> None:
            nonlocal current
            if current is not None:
                blocks.append(Block(current[0], current[1], page=number))  # noqa: B023
                current = None

        for line in lines:
            if not line or _PAGE_NUMBER.match(line) or _shape(line) in running:
                flush()
                continue
            if not title_done:
                title_done = True
                blocks.append(Block("heading", line, level=1, page=number))
                continue
            level = headings.get(" ".join(line.split()))
            if level is not None and not _BULLET.match(line):
                flush()
                if (
                    blocks
                    and blocks[-1].kind == "heading"
                    and blocks[-1].page == number
                    and (
                        blocks[-1].level == level
                        and not F.is_boilerplate_title(blocks[-1].text)
                        and not F.is_boilerplate_title(line)
                        and F.course_heading(line) is None
                        and not F.is_outcomes_heading(line)
                        and ((h := F.course_heading(blocks[-1].text)) is None or h.hours is None)
                    )
                ):  # a heading wrapped over two lines (not "Learning Outcomes" under a whole course heading)
                    blocks[-1] = Block("heading", f"{blocks[-1].text} {line}", level=level, page=number)
                else:
                    blocks.append(Block("heading", line, level=level, page=number))
                continue
            if (labelled := F.grid_label(line)) is not None and len(line) < 120:
                flush()  # a row of a facts grid: "CIP Code 51.0801"
                blocks.append(Block("para", labelled, page=number))
                continue
            if current is None and _continues_label(blocks, line, number):
                blocks[-1] = Block("para", f"{blocks[-1].text} {line}", page=number)
                continue
            if _standalone(line):
                flush()
                blocks.append(Block("para", line, page=number))
                continue
            bullet = _BULLET.match(line)
            if bullet:
                flush()
                current = ["item", line[bullet.end() :].strip(), len(line)]
                continue
            if current is None:
                current = ["para", line, len(line)]
                continue
            ends = _SENTENCE_END.search(current[1]) is not None
            short = current[2] < 0.6 * width
            if ends and (short or (current[0] == "item" and line[:1].isupper())):
                flush()
                current = ["para", line, len(line)]
            else:
                current = [current[0], _join(current[1], line), len(line)]
        flush()
    return blocks


def _read_pdf(content: bytes, filename: str) -> Program:
    pages = read_pages(content, filename)
    return build_program(pdf_blocks([p.text for p in pages], _heading_levels(pages)), filename)


register(Reader("pdf", (".pdf",), _read_pdf))
