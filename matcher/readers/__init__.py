"""Readers turn files in many formats into a :class:`~matcher.program.Program`.

Each format lives in its own module and registers itself in :data:`READERS` by name and file
extensions. :func:`read_program` picks one by ``format`` or by the file's extension.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from matcher.errors import BadInputError, TooLargeError, UnsupportedFormatError
from matcher.program import Program

MAX_FILE_BYTES = 20 * 1024 * 1024  # documented upload/file limit


@dataclass(frozen=True)
class Reader:
    name: str
    extensions: tuple[str, ...]
    read: Callable[[bytes, str], Program]  # (content, file name) -> Program


READERS: dict[str, Reader] = {}


def register(reader: Reader) -> Reader:
    READERS[reader.name] = reader
    return reader


def _load_builtin() -> None:
    # Import for the side effect of registration; keep the list in one place.
    from matcher.readers import (  # noqa: F401
        docx,
        etpl,
        jsonld,
        markdown,
        pdf,
        structured,
        tabular,
        text,
    )


# Formats that cannot be read, with what to do instead (a 415 that helps).
_UNSUPPORTED_HINTS = {
    ".doc": "old Word .doc files are not supported; save the document as .docx or PDF",
    ".xls": "old Excel .xls files are not supported; save the sheet as .xlsx or CSV",
    ".rtf": "RTF is not supported; save the document as .docx, PDF or plain text",
    ".odt": "OpenDocument text is not supported; save the document as .docx, PDF or plain text",
    ".pages": "Pages files are not supported; export the document as .docx or PDF",
}


def reader_for(filename: str, fmt: str | None = None) -> Reader:
    _load_builtin()
    if fmt:
        try:
            return READERS[fmt.lower()]
        except KeyError:
            names = ", ".join(sorted(READERS))
            raise UnsupportedFormatError(f"unknown format {fmt!r}; choose one of: {names}") from None
    suffix = "".join(Path(filename).suffixes[-1:]).lower()
    for reader in READERS.values():
        if suffix in reader.extensions:
            return reader
    if suffix in _UNSUPPORTED_HINTS:
        raise UnsupportedFormatError(f"{filename}: {_UNSUPPORTED_HINTS[suffix]}")
    names = ", ".join(sorted({e for r in READERS.values() for e in r.extensions}))
    raise UnsupportedFormatError(
        f"cannot tell the format of {filename!r} from its extension; use --format (or the 'format' "
        f"form field) with one of: {', '.join(sorted(READERS))} (known extensions: {names})"
    )


def parse_program(content: bytes, filename: str, fmt: str | None = None) -> Program:
    """Parse already-read bytes (an upload, stdin) into a program."""
    if len(content) > MAX_FILE_BYTES:
        raise TooLargeError(f"{filename} is {len(content):,} bytes; the limit is {MAX_FILE_BYTES:,} bytes")
    if not content.strip():
        raise BadInputError(f"{filename} is empty")
    if not fmt and not _known_extension(filename):
        fmt = sniff_binary(content)  # a PDF/DOCX/XLSX under an unknown or missing extension
    return reader_for(filename, fmt).read(content, filename)


def _known_extension(filename: str) -> bool:
    _load_builtin()
    suffix = "".join(Path(filename).suffixes[-1:]).lower()
    return any(suffix in r.extensions for r in READERS.values())


def sniff_binary(content: bytes) -> str | None:
    """``pdf``, ``docx`` or ``xlsx`` from the first bytes and the ZIP directory; else None."""
    head = content[:1024].lstrip()
    if head.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(b"PK\x03\x04"):
        import io
        import zipfile

        try:
            with zipfile.ZipFile(io.BytesIO(content)) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            return None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


def read_program(path: str | Path, fmt: str | None = None) -> Program:
    """Read a program from a file; ``-`` reads JSON/YAML/text from standard input."""
    import sys

    if str(path) == "-":
        data = sys.stdin.buffer.read()
        return parse_program(data, "stdin", fmt or _sniff(data))
    p = Path(path)
    if not p.is_file():
        raise BadInputError(f"no such file: {p}")
    size = p.stat().st_size
    if size > MAX_FILE_BYTES:
        raise TooLargeError(f"{p.name} is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes")
    return parse_program(p.read_bytes(), p.name, fmt)


def _sniff(data: bytes) -> str:
    """The format of standard input: PDF/DOCX/XLSX by their magic bytes; JSON (including
    JSON-LD, which the json reader hands on) by its first character; otherwise text."""
    binary = sniff_binary(data)
    if binary:
        return binary
    head = data.lstrip()[:1]
    return "json" if head in (b"{", b"[") else "text"


def decode_text(content: bytes) -> str:
    """UTF-8 (with BOM) or, failing that, decoded with replacement characters."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("utf-8", errors="replace")
