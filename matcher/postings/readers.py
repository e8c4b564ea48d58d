"""Read postings from bytes or files in any supported format.

========  ===================================  ===========================================
format    extensions                           what
========  ===================================  ===========================================
jsonld    .jsonld, .json                       schema.org JobPosting: object, array, @graph
jsonl     .jsonl, .ndjson                      one JSON object per line (flat or JobPosting)
csv       .csv, .tsv                           header row + column mapping (:mod:`tabular`)
html      .html, .htm                          JSON-LD in the page, else the page text
text      .txt, .text                          first line title, rest description; postings
                                               separated by a line of ``---``
========  ===================================  ===========================================

Bytes are decoded as UTF-8 (a BOM is allowed). Bytes that are not UTF-8 never abort a file:
the records they fall in are reported as errors with their line numbers, the others are read.
"""

from __future__ import annotations

import re
from pathlib import Path

from matcher.errors import BadInputError, TooLargeError, UnsupportedFormatError
from matcher.postings.html_text import parse_page
from matcher.postings.jsonld import read_jsonld_text
from matcher.postings.record import PostingRecord, ReadResult, RecordError, has_bad_bytes
from matcher.postings.tabular import read_csv_text, read_jsonl_text

MAX_FILE_BYTES = 100 * 1024 * 1024
FORMATS = ("jsonld", "jsonl", "csv", "html", "text")
EXTENSIONS = {
    ".jsonld": "jsonld",
    ".json": "jsonld",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
    ".text": "text",
}
_SEPARATOR = re.compile(r"^\s*(?:-{3,}|={3,}|\f)\s*$", re.M)


def decode(content: bytes) -> str:
    """UTF-8 (BOM stripped); undecodable bytes become lone surrogates, caught per record."""
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    return content.decode("utf-8", errors="surrogateescape")


def detect_format(name: str, text: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in EXTENSIONS:
        fmt = EXTENSIONS[suffix]
        if fmt == "jsonld" and _looks_jsonl(text):
            return "jsonl"
        return fmt
    head = text.lstrip()[:2000].lower()
    if head.startswith(("<!doctype", "<html")) or "<script" in head:
        return "html"
    if head.startswith(("{", "[")):
        return "jsonl" if _looks_jsonl(text) else "jsonld"
    raise UnsupportedFormatError(f"cannot tell the format of {name!r}; use --format ({', '.join(FORMATS)})")


def _looks_jsonl(text: str) -> bool:
    lines = [ln for ln in text.strip().split("\n")[:3] if ln.strip()]
    return len(lines) >= 2 and all(ln.lstrip().startswith("{") and ln.rstrip().endswith("}") for ln in lines)


def read_text_postings(text: str) -> ReadResult:
    result = ReadResult()
    pos = 0
    chunks = []
    for m in _SEPARATOR.finditer(text):
        chunks.append((pos, text[pos : m.start()]))
        pos = m.end()
    chunks.append((pos, text[pos:]))
    for start, chunk in chunks:
        if not chunk.strip():
            continue
        lead = len(chunk) - len(chunk.lstrip())
        line = text.count("\n", 0, start + lead) + 1
        if has_bad_bytes(chunk):
            result.errors.append(RecordError(line, "not valid UTF-8 text"))
            continue
        first, _, rest = chunk.strip().partition("\n")
        result.records.append((line, PostingRecord(title=first.strip(), description=rest.strip())))
    if not result.records and not result.errors:
        result.errors.append(RecordError(1, "the file is empty"))
    return result


def read_html_postings(text: str) -> ReadResult:
    if has_bad_bytes(text):
        line = next(i for i, ln in enumerate(text.split("\n"), 1) if has_bad_bytes(ln))
        return ReadResult(errors=[RecordError(line, "the page is not valid UTF-8 text")])
    title, body, blocks = parse_page(text)
    result = ReadResult()
    for line, col, block in blocks:
        found = read_jsonld_text(block, first_line=line, first_col=col)
        found.errors = [e for e in found.errors if "no schema.org JobPosting" not in e.message]
        result.extend(found)
    if not result.records and not result.errors:
        # No JobPosting markup: the page itself is the posting.
        result.records.append((1, PostingRecord(title=title, description=body)))
    return result


def parse_postings(
    content: bytes, name: str, fmt: str | None = None, *, mapping: dict[str, str] | None = None
) -> tuple[str, ReadResult]:
    """(format used, records and errors) for already-read bytes."""
    if len(content) > MAX_FILE_BYTES:
        raise TooLargeError(f"{name} is {len(content):,} bytes; the limit is {MAX_FILE_BYTES:,} bytes")
    text = decode(content)
    if not text.strip():
        return fmt or "text", ReadResult(errors=[RecordError(1, f"{name} is empty")])
    fmt = (fmt or detect_format(name, text)).lower()
    if fmt == "jsonld":
        result = read_jsonld_text(text)
        if has_bad_bytes(text):
            result = _drop_bad_bytes(result, text)
    elif fmt == "jsonl":
        result = read_jsonl_text(text, mapping)
    elif fmt in ("csv", "tsv"):
        result = read_csv_text(text, mapping, delimiter="\t" if fmt == "tsv" else None)
    elif fmt == "html":
        result = read_html_postings(text)
    elif fmt == "text":
        result = read_text_postings(text)
    else:
        raise UnsupportedFormatError(f"unknown postings format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    return fmt, result


def _drop_bad_bytes(result: ReadResult, text: str) -> ReadResult:
    """JSON-LD records whose text holds undecodable bytes become errors at their line."""
    kept = ReadResult(errors=list(result.errors), warnings=list(result.warnings))
    for line, rec in result.records:
        if any(
            has_bad_bytes(v) for v in (rec.title, rec.description, rec.employer or "", rec.location or "")
        ):
            kept.errors.append(RecordError(line, "not valid UTF-8 text", rec.external_id))
        else:
            kept.records.append((line, rec))
    return kept


def read_postings_file(
    path: str | Path, fmt: str | None = None, *, mapping: dict[str, str] | None = None
) -> tuple[str, ReadResult]:
    p = Path(path)
    if not p.is_file():
        raise BadInputError(f"no such file: {p}")
    size = p.stat().st_size
    if size > MAX_FILE_BYTES:
        raise TooLargeError(f"{p.name} is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes")
    return parse_postings(p.read_bytes(), p.name, fmt, mapping=mapping)
