"""PDF syllabi and catalog pages (read with pypdf): the text layer of each page, with its page
number kept on every course, outcome and description paragraph.

Lines are regrouped into paragraphs (PDF text comes as wrapped lines), bullets become list
items, lines that name a course ("WLD-110 Shielded Metal Arc Welding") open a course, and
running headers/footers and page numbers are dropped. Limits: at most :data:`MAX_PAGES` pages
and :data:`MAX_EXTRACTED_CHARS` characters of text. Password-protected PDFs (a password is
needed to open them) and PDFs without a text layer (scans) are refused with a message saying
so: there is no OCR.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter

from matcher.errors import BadInputError, MatcherError, TooLargeError
from matcher.program import MAX_TEXT_CHARS, Program
from matcher.readers import Reader, register
from matcher.readers import fields as F
from matcher.readers.outline import Block, build_program

log = logging.getLogger(__name__)

MAX_PAGES = 500
MAX_EXTRACTED_CHARS = 2 * MAX_TEXT_CHARS  # raw text, before headers/footers/spacing are dropped

_BULLET = re.compile(r"^\s*(?:[•▪●◦·‣∙*–-]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+")
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)
_SENTENCE_END = re.compile(r"[.!?:;)]$")


def _open(content: bytes, filename: str):  # type: ignore[no-untyped-def]
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, IndexError, AssertionError) as exc:
        log.info("pypdf could not open %s: %r", filename, exc)
        raise BadInputError(f"{filename} is not a readable PDF (damaged or not a PDF file)") from None
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")  # many "secured" PDFs only restrict printing/copying
        except Exception as exc:  # unsupported algorithm or a broken encryption dictionary
            log.info("cannot decrypt %s: %r", filename, exc)
            opened = 0
        if not opened:
            raise BadInputError(
                f"{filename} is encrypted (password-protected); the text cannot be read. "
                "Save or export it without a password and upload it again."
            )
    return reader


def page_texts(content: bytes, filename: str) -> list[str]:
    """The text layer of every page, in order (bounded by the page and character limits)."""
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
    texts: list[str] = []
    total = 0
    for i in range(n):
        try:
            text = reader.pages[i].extract_text() or ""
        except MatcherError:
            raise
        except MemoryError:
            raise  # the memory bound of matcher.readers.bounded, not a damaged file
        except Exception as exc:  # one damaged page should not lose the others
            log.warning("%s: page %d could not be read: %r", filename, i + 1, exc)
            text = ""
        total += len(text)
        if total > MAX_EXTRACTED_CHARS:
            raise TooLargeError(
                f"{filename} holds more than {MAX_EXTRACTED_CHARS:,} characters of text "
                f"(by page {i + 1}); the limit for a program is {MAX_TEXT_CHARS:,}"
            )
        texts.append(text)
    if not any(t.strip() for t in texts):
        raise BadInputError(
            f"{filename} has no text layer ({n} page{'s' if n != 1 else ''} of images or blank "
            "pages, e.g. a scan); OCR is not supported. Export the document as a text PDF, DOCX "
            "or plain text and upload that."
        )
    return texts


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


def _standalone(line: str) -> bool:
    """A line that is a block of its own: a course heading, an outcomes label, a labelled field."""
    return (
        F.course_heading(line) is not None
        or (len(line) < 120 and F.is_outcomes_heading(line))
        or (len(line) < 200 and F.split_label(line, F.PROGRAM_LABELS) is not None)
        or (len(line) < 120 and F.split_label(line, F.COURSE_LABELS) is not None)
        or F.is_courses_section(line)
    )


def pdf_blocks(texts: list[str]) -> list[Block]:
    pages = [[ln.strip() for ln in t.splitlines()] for t in texts]
    running = _running_lines([[ln for ln in p if ln] for p in pages])
    blocks: list[Block] = []
    title_done = False
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
    texts = page_texts(content, filename)
    return build_program(pdf_blocks(texts), filename)


register(Reader("pdf", (".pdf",), _read_pdf))
