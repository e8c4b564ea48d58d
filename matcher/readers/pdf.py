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
from matcher.readers.indented_lists import body_edge, mark_items
from matcher.readers.outline import Block, build_program
from matcher.readers.pdf_tables import COLUMN_WORDS, HEADER_WORDS, Chunk, rebuild_tables

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
    starts: dict[str, float] = field(default_factory=dict)  # line (no spaces, _key) -> its left edge
    items: set[str] = field(default_factory=set)  # list items written into a rebuilt table


# Typographic ligatures a PDF's text layer keeps as one character ("Certiﬁcate", "oﬃce"), as
# browsers, Word and LaTeX set them: read as their letters.
_LIGATURES = str.maketrans(
    {
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb05": "st",
        "\ufb06": "st",
    }
)


def _extract(page: PageObject) -> PageText:
    """The page's text and, per line, the font size it is set in (from the text matrix)."""
    chunks: list[tuple[float, float, str, bool, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            scale = math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1])
            chunk = text.translate(_LIGATURES)
            x = round(tm[4] * cm[0] + cm[4], 1)
            chunks.append((tm[5] * cm[3] + cm[5], round(size * (scale or 1.0), 1), chunk, _is_bold(font), x))

    text = (page.extract_text(visitor_text=visit) or "").translate(_LIGATURES)
    cells = [Chunk(y, size, chunk, x) for y, size, chunk, _, x in chunks]
    text, items = rebuild_tables(text, cells)
    out = PageText(text, items=items)
    lines: list[list] = []  # [text, size, y, bold, x]
    for y, size, chunk, bold, x in chunks:
        out.chars[size] += len(chunk.strip())
        if lines and abs(lines[-1][2] - y) < max(2.0, 0.4 * size):
            lines[-1][0] += chunk
            lines[-1][1] = max(lines[-1][1], size)
            lines[-1][3] = lines[-1][3] and bold
        else:
            lines.append([chunk, size, y, bold, x])
    spaced = {_key(ln): " ".join(ln.split()) for ln in text.splitlines()}
    for line, _, _, _, x in lines:
        out.starts.setdefault(_key(line), x)
    for line, size, _, bold, _ in lines:
        key = spaced.get(_key(line)) or " ".join(line.split())  # as the text layer spaces it
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


def _key(line: str) -> str:
    """A line as a key of its font size: without any white space. The text layer puts a space
    between two chunks of a line that the chunks themselves lack ("CTC 362 – Communication" is
    "CTC 362" + "–" + "Communication"; "Cross-PlatformWeb Design"), so spaces cannot be matched."""
    return "".join(line.split())


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split()).casefold())


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Headers/footers: the first or last line of most pages (digits ignored), unless it is a
    course heading or a labelled field. Of a two-page document, the first or last line both
    pages have that carries a number (a date, "page 1": "Harborview Career Institute - Office
    Professional Certificate - page 1", a browser's "5/2/2019 CourseOutline")."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        # a browser sets its print header ("12/7/26, 4:54 PM Page title") and footer (address
        # and "1/3") at the top and bottom of the page, but its text layer gives both last
        ends = lines[-2:] if lines and _BROWSER_LINE.match(lines[-1]) else lines[-1:]
        counts.update({_shape(ln) for ln in lines[:1] + ends if not _standalone(ln)})
    if len(pages) == 2:
        return {s for s, c in counts.items() if c == 2 and "#" in s and len(s) > 3}
    need = max(3, int(0.6 * len(pages)))
    return {s for s, c in counts.items() if c >= need}


# A browser's print header or footer: the page's address and "1/2" ("file://localhost/Users/
# .../CourseOutline.html 1/2", "https://canvas.example.edu/courses/123/assignments/syllabus 3/7").
_BROWSER_LINE = re.compile(r"^(?:https?|file|\ufb01le)://\S+\s+\d{1,3}\s*/\s*\d{1,3}$", re.I)


# A browser's print header: the date and time it printed, then the page's title ("12/7/26, 4:54
# PM Welding Certificate").
_BROWSER_HEADER = re.compile(r"^\d{1,2}/\d{1,2}/\d{2,4},?\s+\d{1,2}:\d{2}\s*(?:[AP]M)?\s+\S", re.I)


_standalone = F.is_standalone_line


def _continues_label(blocks: list[Block], line: str, page: int, width: int = 0) -> bool:
    """A label line's value goes on over this line: it ends on a connector or this line starts in
    lower case (:func:`fields.continues_label`), or the label line ran (nearly) to the page's full
    width and this short line is no field, heading, item or sentence of its own ("Credential: ...
    (NABCEP) PV" / "Associate")."""
    if not blocks or blocks[-1].kind != "para" or blocks[-1].page != page or _BULLET.match(line):
        return False
    prev = blocks[-1].text
    if F.continues_label(prev, line) or _wrapped_facts(prev, line, width):
        return True
    return (
        width > 0
        and len(prev) >= 0.8 * width
        # the value's last line: short, or shorter than the page's lines and no sentence of its
        # own ("Credentials: ... for the NRF Foundation Customer" / "Service and Sales
        # Certification exam; keyboarding speed certificate at 35+ wpm")
        and (len(line) <= 40 or (len(line) < 0.85 * width and not line.rstrip().endswith(".")))
        and not line.rstrip().endswith(":")
        and not prev.rstrip().endswith((".", ";", ":"))
        and F.split_label(prev, F.PROGRAM_LABELS) is not None
        and F._LABEL.match(line) is None
        and not _standalone(line)
        and F.course_heading(line) is None
    )


def _wrapped_facts(prev: str, line: str, width: int) -> bool:
    """A paragraph of facts set as one ("Provider: Bayview College Clock hours:" / "560 Length:
    14 weeks"): the label line ran to the page's width and this line, which starts with no label
    of its own, carries the next one."""
    if width <= 0 or len(prev) < 0.8 * width or prev.rstrip().endswith((".", "!", "?")):
        return False
    return F.carries_next_label(prev, line)


# A heading that ends on a school word names the school ("DAWSON COLLEGE"), never the first line
# of a title wrapped under it.
_SCHOOL_LAST = re.compile(r"\b(?:college|university|institute|school|academy|polytechnic)\s*$", re.I)


def _continues_over_page(blocks: list[Block], line: str, page: int) -> bool:
    """The first line of a page goes on with the paragraph or item that ended the page before:
    that one stops without closing punctuation and this line starts in lower case."""
    if not blocks or blocks[-1].kind not in ("para", "item") or blocks[-1].page != page - 1:
        return False
    return line[:1].islower() and _SENTENCE_END.search(blocks[-1].text) is None and not _BULLET.match(line)


def _heading_levels(pages: list[PageText]) -> dict[str, int]:
    """Lines set larger than the body text -> heading level (1 = the largest size), each line
    keyed without its spaces (:func:`_key`)."""
    chars: Counter[float] = Counter()
    for p in pages:
        chars.update(p.chars)
    if not chars:
        return {}
    body = chars.most_common(1)[0][0]
    sizes = sorted({s for p in pages for s in p.sizes.values() if s >= 1.25 * body}, reverse=True)
    rank = {s: min(i + 1, 5) for i, s in enumerate(sizes)}
    out = {
        _key(line): rank[size]
        for p in pages
        for line, size in p.sizes.items()
        if size in rank and len(line) <= 120 and not line.endswith((".", ";", ",")) and not _field_line(line)
    }
    # A short line wholly in bold at the body size or a little above ("Program Description" in
    # 13 pt bold over 10.5 pt text) is a heading one level below the sized ones.
    below = min(len(sizes) + 1, 5)
    for p in pages:
        for line in p.bold:
            size = p.sizes[line]
            if _key(line) not in out and body <= size < 1.25 * body and len(line) <= 80:
                if not line.endswith((".", ";", ",")) and not _field_line(line):
                    out[_key(line)] = below
    return out


def _field_line(line: str) -> bool:
    """A line that gives a field's value, set large or bold on a cover or under a table: no
    heading ("O*NET-SOC CODE: 47-2152.00 RAPIDS CODE: 0432HY", "Total Hours 720")."""
    return F.split_label(line, F.PROGRAM_LABELS) is not None or _TOTAL_LINE.match(line) is not None


_CODE_ALONE = re.compile(
    r"^(?!(?:CIP|SOC|PAGE|ISO|STEP|UNIT|WEEK|LEVEL|PART|PHASE|DAY|NFPA)\b)[A-Z]{2,6}[ -]?\d{2,4}[A-Z]?$"
)
_NUMBER_ALONE = re.compile(r"^\d{1,3}(?:\.\d)?$")
_TITLE_THEN_NUMBER = re.compile(r"^(?P<title>.*\S)\s+(?P<n>\d{1,3}(?:\.\d)?)$")
_HEADER_WORDS = HEADER_WORDS
_COLUMN_WORDS = COLUMN_WORDS


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
        if len(words) >= 2 and all(w in _HEADER_WORDS for w in words) and _COLUMN_WORDS & set(words):
            i += 1  # "Course Clock Hours Learning Outcomes" (a heading "Learning Outcomes" stays)
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


# Symbol/Wingdings bullet glyphs a Word export leaves in the private-use area ("\uf0b7 Basic ...").
_PUA_BULLET = re.compile(r"^[\uf0a7\uf0b7\uf076\uf0d8\uf0fc\uf06e\uf0a8\uf0e0\uf02d\uf0be]\s*")
# The header of a table column of hours, as the text layer gives it: "Related Instruction
# Descriptions: Approximate Hours:", "Area of Instruction Hours", "Work Process: Approximate Hours:".
_HOURS_HEADER = re.compile(r"^(?=.*[A-Za-z]{3}.*\s)[^.;\d]{3,80}?\bhours\s*:?$", re.I)
# A number of hours alone on a line, or a range of them ("15", "41.5", "1,060 – 1,330").
_HOURS_ALONE = re.compile(r"^\d[\d,]*(?:\.\d+)?(?:\s*[-–]\s*,?\d[\d,]*(?:\.\d+)?)?$")
_ROW_THEN_HOURS = re.compile(
    r"^(?P<title>.*[A-Za-z].*?)\s+(?P<n>\d[\d,]*(?:\.\d+)?(?:\s*[-–]\s*,?\d[\d,]*(?:\.\d+)?)?)$"
)
_GROUP_LABEL = re.compile(
    r"^(?:year|level|semester|term|phase|period|block|quarter|stage)\s+\w{1,6}:?$", re.I
)
_ROW_LETTER = re.compile(r"^[A-Z][.)]\s+(?=[A-Z])")  # "A. Safety"
_LEADING_NUMBERS = re.compile(r"^(?:\d[\d,.]*\s+)+(?=[A-Za-z(])")
_TRAILING_NUMBER = re.compile(r"\s*[-–]?\s+(\d[\d,.]*)$")
_NUMBERED_WORD = re.compile(
    r"\b(?:part|level|unit|year|module|semester|phase|step|book|volume|vol\.?)$", re.I
)


def _row_title(title: str) -> str:
    """A row's title without the numbers of other columns around it ("41 120 Basic Print
    Reading", "Beginning Keyboarding, Part 1   1" with its units, "Orientation - 120")."""
    while (m := _TRAILING_NUMBER.search(title)) and not _NUMBERED_WORD.search(title[: m.start()]):
        title = title[: m.start()]
    return _LEADING_NUMBERS.sub("", _ROW_LETTER.sub("", title)).strip()


_TOTAL_LINE = re.compile(r"^(?:sub)?total\b", re.I)
_WORK_PROCESS = re.compile(r"on[\s-]the[\s-]job|work\s+process|work\s+experience|\bOJ[LT]\b", re.I)


@dataclass
class _HoursTable:
    """Rows of a table of hours the text layer gave as loose lines: a course (or work process)
    title, its description and bullets, and its hours."""

    rows: list[list[str]] = field(default_factory=list)  # [title, description, hours, bullets]
    caption: str = ""  # the header line over the first table of a section ("Work Process: ... Hours:")


def _hours_value(text: str) -> str:
    """ "1,060 – 1,330" -> "1330" (the upper bound, without thousands separators)."""
    return re.split(r"\s*[-–]\s*", text)[-1].replace(",", "")


class _HoursSections:
    """Tables of hours the text layer flattened, read back into rows. Under a header line that
    ends in "Hours", each row is a title line followed by its bullets and its hours alone on a
    line ("New Employee Skills" / "• Safety training" / ... / "15"; the hours of a row split over
    two pages may come before its last bullets), or a title and its hours on one line
    ("Introduction to Plumbing Math 12"). Rows go into tables (one per page a row starts on); a
    "Total" line, a large heading or document furniture ("Appendix A") ends the section. A
    section that gives fewer than two rows with hours is left as it was. Under a header of work
    processes ("Work Process: Approximate Hours:") a row is the work process's title only."""

    def __init__(self, pages: list[list[str]], headings: dict[str, int], running: set[str]) -> None:
        self.out: list[list[str | _HoursTable]] = [[] for _ in pages]
        self.running = running
        self.headings = headings
        self.items: list[tuple[int, str | _HoursTable]] | None = None  # the open section
        self.saved: list[tuple[int, str]] = []  # its lines as they were
        self.tables: dict[int, _HoursTable] = {}
        self.ojt = False
        self.header = ""
        self.row: list[str] | None = None  # [title, description, hours, bullets]
        self.title_open = False  # the open row's title may continue on the next line
        self.prev = ""
        for number, lines in enumerate(pages):
            self._page(number, lines)
        self._close()

    def _close(self) -> None:
        if self.items is None:
            return
        tables = [t for _, t in self.items if isinstance(t, _HoursTable)]
        if sum(1 for t in tables for r in t.rows if r[2]) >= 2:
            for k, t in enumerate(tables):  # a page's lone row joins the table before (or after) it
                if len(t.rows) == 1 and len(tables) > 1:
                    if k > 0:
                        tables[k - 1].rows.extend(t.rows)
                    else:
                        tables[1].rows.insert(0, t.rows[0])
                    t.rows = []
            if tables and self.header:
                next(t for t in tables if t.rows).caption = self.header
            for t in tables:
                for r in t.rows:
                    if self.ojt:
                        r[3] = ""  # a work process: its title and what it covers, not its tasks
            for number, item in self.items:
                if not isinstance(item, _HoursTable) or item.rows:
                    self.out[number].append(item)
        else:
            for number, line in self.saved:
                self.out[number].append(line)
        self.items, self.row = None, None
        self.saved, self.tables = [], {}

    def _open(self, line: str) -> None:
        self.items, self.saved, self.tables = [], [], {}
        self.ojt = bool(_WORK_PROCESS.search(line))
        self.row, self.title_open, self.prev, self.header = None, False, line, line

    def _new_row(self, number: int, title: str, hours: str = "") -> None:
        assert self.items is not None
        # other columns' numbers around the title: "41 120 Basic Print Reading", "Keyboarding,
        # Part 1   1" (units), "Orientation and Training - 120"
        title = _row_title(title) or title
        if number not in self.tables:
            self.tables[number] = _HoursTable()
            self.items.append((number, self.tables[number]))
        self.row = [title, "", hours, ""]
        self.tables[number].rows.append(self.row)

    def _page(self, number: int, lines: list[str]) -> None:
        width = max((len(ln) for ln in lines), default=0)
        filled = [i for i, ln in enumerate(lines) if ln]
        for i, line in enumerate(lines):
            if self.items is None:
                if _HOURS_HEADER.match(line) and not _BULLET.match(line):
                    self._open(line)
                    self.saved.append((number, line))
                else:
                    self.out[number].append(line)
                continue
            if not line or _shape(line) in self.running:
                self.saved.append((number, line))  # a running header or footer ("DAS FILE # 5215")
                continue
            level = self.headings.get(_key(line))
            if (
                _TOTAL_LINE.match(line)
                or (level is not None and level <= 3 and not _BULLET.match(line))
                or F.is_boilerplate_title(line)
                or F.course_heading(line) is not None
            ):
                self._close()
                self.out[number].append(line)
                continue
            self.saved.append((number, line))
            self._line(number, line, width, first=i == filled[0], last=i == filled[-1])

    def _line(self, number: int, line: str, width: int, *, first: bool, last: bool) -> None:
        assert self.items is not None
        row, prev = self.row, self.prev
        self.prev = line
        if _HOURS_HEADER.match(line) and not _BULLET.match(line):
            self.ojt = self.ojt or bool(_WORK_PROCESS.search(line))  # "Area of Work Experience Hours"
            self.row, self.title_open = None, False
            return
        if _HOURS_ALONE.match(line):
            if first or (last and line == str(number + 1)):
                self.prev = prev  # a page number
            elif row is not None and not row[2]:
                row[2], self.title_open = _hours_value(line), False
            return
        if _PAGE_NUMBER.match(line):
            self.prev = prev  # "Page |A-8"
            return
        if _GROUP_LABEL.match(line):
            self.items.append((number, line))  # "Year 1": a line of its own between the rows
            self.tables.pop(number, None)
            self.row, self.title_open = None, False
            return
        if bullet := _BULLET.match(line):
            if row is not None:
                row[3] += ("\n" if row[3] else "") + line[bullet.end() :].strip()
            self.title_open = False
            return
        starts = bool(
            _HOURS_ALONE.match(prev)
            or _HOURS_HEADER.match(prev)
            or _GROUP_LABEL.match(prev)
            or (_BULLET.match(prev) and len(prev) < 0.6 * width)
            # a short line after a row that had its hours on its own line ("Adhesives ... 1.5" / "CNC")
            or (row is not None and row[2] and not row[1] and not row[3] and len(line) < 0.45 * width)
        )
        if (m := _ROW_THEN_HOURS.match(line)) and not F.is_total_row(m.group("title")):
            if row is not None and not row[2] and not row[3] and not starts:
                row[1] = f"{row[1]} {m.group('title')}".strip()  # "(IIoT) Cybersecurity ... 1.5"
                row[2], self.title_open = _hours_value(m.group("n")), False
                return
            if starts or row is None or row[2]:
                self._new_row(number, m.group("title"), _hours_value(m.group("n")))
                self.title_open = False
                return
        if line[:1].isupper() and (starts or row is None):
            self._new_row(number, line)
            self.title_open = len(line) >= 0.6 * width
            return
        if row is None:
            self.items.append((number, line))
        elif self.title_open and not row[1] and not row[3]:
            row[0] = F.join_wrapped(row[0], line)  # a title wrapped over two lines
            self.title_open = len(line) >= 0.6 * width
        elif row[3]:
            row[3] = F.join_wrapped(row[3], line)  # a bullet's wrapped line
        else:
            row[1] = F.join_wrapped(row[1], line).strip()


def pdf_blocks(texts: list[str], headings: dict[str, int] | None = None) -> list[Block]:
    """Blocks of the pages' text; ``headings`` maps a line (spaces ignored) to its heading level."""
    headings = {_key(line): level for line, level in (headings or {}).items()}
    raw = [_table_rows([_PUA_BULLET.sub("• ", ln.strip()) for ln in t.splitlines()]) for t in texts]
    running = _running_lines([[ln for ln in p if ln] for p in raw])
    pages = _HoursSections(raw, headings, running).out
    blocks: list[Block] = []
    title_done = bool(headings)  # with font sizes the title is the first large heading
    for number, lines in enumerate(pages, 1):
        width = max((len(ln) for ln in lines if isinstance(ln, str)), default=0)
        current: list | None = None  # [kind, text, length of its last line]

        def flush() -> None:
            nonlocal current
            if current is not None:
                blocks.append(Block(current[0], current[1], page=number))  # noqa: B023
                current = None

        for line in lines:
            if isinstance(line, _HoursTable):
                flush()
                if line.caption:  # the section's header: on-the-job work processes or instruction
                    blocks.append(Block("heading", line.caption, level=6, page=number))
                rows = tuple((r[0], r[1], r[2], r[3]) for r in line.rows)
                blocks.append(Block("table", rows=rows, page=number))
                continue
            if not line or _PAGE_NUMBER.match(line) or _shape(line) in running or _BROWSER_LINE.match(line):
                flush()
                continue
            if not title_done:
                title_done = True
                blocks.append(Block("heading", line, level=1, page=number))
                continue
            level = headings.get(_key(line))
            if level is not None and not _BULLET.match(line):
                flush()
                if (
                    blocks
                    and blocks[-1].kind == "heading"
                    and blocks[-1].page == number
                    and (
                        blocks[-1].level == level
                        and not F.is_boilerplate_title(blocks[-1].text)
                        and not _SCHOOL_LAST.search(blocks[-1].text)
                        and (not F.is_boilerplate_title(line) or _HOURS_ONLY.match(line) is not None)
                        and F.course_heading(line) is None
                        and not F.is_outcomes_heading(line)
                        and ((h := F.course_heading(blocks[-1].text)) is None or h.hours is None)
                    )
                ):  # a heading wrapped over two lines (not "Learning Outcomes" under a whole course heading)
                    joined = F.join_wrapped(blocks[-1].text, line)
                    blocks[-1] = Block("heading", joined, level=level, page=number)
                else:
                    blocks.append(Block("heading", line, level=level, page=number))
                continue
            if (labelled := F.grid_label(line)) is not None and len(line) < 120:
                flush()  # a row of a facts grid: "CIP Code 51.0801"
                blocks.append(Block("para", labelled, page=number))
                continue
            if current is None and _continues_label(blocks, line, number, width):
                blocks[-1] = Block("para", f"{blocks[-1].text} {line}", page=number)
                continue
            if current is None and _continues_over_page(blocks, line, number):
                # a sentence or list item broken by the page break ("... the function of the" /
                # "refrigeration cycle"): the rest joins it, which keeps its first page
                joined = F.join_wrapped(blocks[-1].text, line)
                blocks[-1] = Block(blocks[-1].kind, joined, page=blocks[-1].page)
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
                current = [current[0], F.join_wrapped(current[1], line), len(line)]
        flush()
    return _occupation_first(blocks)


def _occupation_first(blocks: list[Block]) -> list[Block]:
    """The heading set right over an "O*NET-SOC CODE:" line names the occupation, the program's
    title: it goes first when a cover page puts other lines above it (a sponsor's name ending in
    "Inc.", "DEVELOPED FOR ... AND APPROVED BY ...", a note to sponsors in parentheses)."""
    for k, b in enumerate(blocks[:80]):
        if (b.page or 1) > 3:
            break
        if b.kind != "heading" or k + 1 >= len(blocks) or blocks[k + 1].kind != "para":
            continue
        label = F.split_label(blocks[k + 1].text, F.PROGRAM_LABELS)
        if label is None or label[0] != "occupations" or not F.parse_socs(label[1]):
            continue
        text = " ".join(b.text.split())
        if len(text) > 80 or F.is_boilerplate_title(text) or F.course_heading(text) is not None:
            return blocks
        before = [x for x in blocks[:k] if not (x.kind == "heading" and F.is_boilerplate_title(x.text))]
        if not before:
            return blocks  # it is the first line that counts already
        return [Block("heading", b.text, level=1, page=b.page, line=b.line), *blocks[:k], *blocks[k + 1 :]]
    return blocks


# A list's indent past the body's left edge, in points (a browser indents lists 30 pt, Word 18-36 pt)
_INDENT = (8.0, 48.0)
# A course heading's hours wrapped onto a line of their own: "(80 hours)"
_HOURS_ONLY = re.compile(r"^\(\d+(?:\.\d+)?\s*(?:clock\s+|contact\s+)?(?:hours|hrs?)\.?\)$", re.I)
_GLYPH_BULLET = re.compile(
    r"^(?:[-•*·▪●◦■□➢✓]\s|[\uf0a7\uf0b7\uf076\uf0d8\uf0fc\uf06e\uf0a8\uf0e0\uf02d\uf0be])"
)


def _indented_items(pages: list[PageText]) -> list[str]:
    """Each page's text with the lists whose bullets were drawn, not typed (a browser's or a
    word processor's PDF keeps no bullet in the text layer), given a bullet back: a run of two or
    more lines indented alike past the body's left edge is a list; a line of it starts an item
    unless it goes on with the line before (that one ran to the list's width without ending a
    sentence, or this one starts in lower case)."""
    margins: Counter[float] = Counter()  # left edge -> characters of the lines there
    for p in pages:
        for ln in p.text.splitlines()[1:-1]:  # not a running header or footer
            if _BROWSER_HEADER.match(ln.strip()) or _BROWSER_LINE.match(ln.strip()):
                continue
            if (x := p.starts.get(_key(ln))) is not None:
                margins[x] += len(_key(ln))
    typed = any(
        _GLYPH_BULLET.match(ln.strip()) and ln not in p.items for p in pages for ln in p.text.splitlines()
    )
    if not margins or typed:
        return [p.text for p in pages]  # bullets typed in the text: indented lines are their wraps
    body = body_edge(margins)
    out = []
    for p in pages:
        lines = p.text.splitlines()
        xs = [p.starts.get(_key(ln)) if ln.strip() else None for ln in lines]
        indented = [x is not None and _INDENT[0] <= x - body <= _INDENT[1] for x in xs]
        out.append("\n".join(mark_items(lines, xs, indented, bullet="•", tolerance=1.0, skip=_typed_bullet)))
    return out


def _typed_bullet(line: str) -> bool:
    return bool(_BULLET.match(line) or _PUA_BULLET.match(line))


def _read_pdf(content: bytes, filename: str) -> Program:
    pages = read_pages(content, filename)
    return build_program(pdf_blocks(_indented_items(pages), _heading_levels(pages)), filename)


register(Reader("pdf", (".pdf",), _read_pdf))
