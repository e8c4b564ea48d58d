"""Readers turn files in many formats into :class:`~matcher.program.Program` s.

Each format lives in its own module and registers itself in :data:`READERS` by name and file
extensions. :func:`read_program` picks one by ``format`` or by the file's extension.

A file may hold several programs (a CTDL or schema.org list or ``@graph`` of unrelated records,
an ETPL JSON Lines file, a CSV of ETPL rows): :func:`parse_programs` returns them all;
:func:`parse_program` returns the one chosen by ``program_id`` or ``index`` (1-based) and
refuses to guess, listing what the file holds. Every program gets its length, schedule and
credential from its prose where no field states them (:mod:`matcher.readers.finish`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from matcher.errors import BadInputError, TooLargeError, UnsupportedFormatError
from matcher.program import Program

MAX_FILE_BYTES = 20 * 1024 * 1024  # documented upload/file limit
MAX_PROGRAMS = 1_000  # programs in one file (lists of records)
_LISTED = 25  # programs named in the message that asks to choose one


@dataclass(frozen=True)
class Reader:
    name: str
    extensions: tuple[str, ...]
    # (content, file name) -> one program, or every program of a file that lists several
    read: Callable[[bytes, str], Program | list[Program]]


READERS: dict[str, Reader] = {}


def register(reader: Reader) -> Reader:
    READERS[reader.name] = reader
    return reader


def load_builtin_readers() -> None:
    # Import for the side effect of registration; keep the list in one place.
    from matcher.readers import (  # noqa: F401
        docx,
        etpl,
        html,
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
    load_builtin_readers()
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


def parse_programs(content: bytes, filename: str, fmt: str | None = None) -> list[Program]:
    """Parse already-read bytes (an upload, stdin) into the program(s) they hold."""
    from matcher.readers.finish import complete

    if len(content) > MAX_FILE_BYTES:
        raise TooLargeError(f"{filename} is {len(content):,} bytes; the limit is {MAX_FILE_BYTES:,} bytes")
    if not content.strip():
        raise BadInputError(f"{filename} is empty")
    if not fmt and not _known_extension(filename):
        fmt = sniff_binary(content)  # a PDF/DOCX/XLSX under an unknown or missing extension
    read = reader_for(filename, fmt).read(content, filename)
    programs = read if isinstance(read, list) else [read]
    if not programs:
        raise BadInputError(f"{filename} holds no program")
    if len(programs) > MAX_PROGRAMS:
        raise TooLargeError(
            f"{filename} holds {len(programs):,} programs; the limit is {MAX_PROGRAMS:,} per file (split it)"
        )
    return [complete(p) for p in programs]


def program_label(program: Program) -> str:
    """``'Welding Certificate' [ce-1234...] (Example College)`` for listings."""
    label = repr(program.title or "(untitled)")
    if program.id:
        label += f" [{program.id}]"
    if program.provider:
        label += f" ({program.provider})"
    return label


def choose_program(
    programs: Sequence[Program], filename: str, *, program_id: str | None = None, index: int | None = None
) -> Program:
    """The program ``program_id`` or ``index`` (1-based) names; the only one when there is one.
    A file of several programs without a choice is refused with the list of what it holds."""
    n = len(programs)
    listing = [
        {"index": i, "id": p.id, "title": p.title, "provider": p.provider} for i, p in enumerate(programs, 1)
    ]
    if program_id is not None:
        for p in programs:
            if p.id == program_id:
                return p
        ids = ", ".join(str(p.id) for p in programs[:_LISTED] if p.id) or "none of them has an id"
        raise BadInputError(
            f"{filename} holds no program with id {program_id!r} (ids: {ids})", details={"programs": listing}
        )
    if index is not None:
        if 1 <= index <= n:
            return programs[index - 1]
        raise BadInputError(
            f"{filename} holds {n} program{'s' if n != 1 else ''}; --index must be 1 to {n}, not {index}",
            details={"programs": listing},
        )
    if n == 1:
        return programs[0]
    shown = "; ".join(f"{i}. {program_label(p)}" for i, p in enumerate(programs[:_LISTED], 1))
    more = f"; ... and {n - _LISTED} more" if n > _LISTED else ""
    raise BadInputError(
        f"{filename} holds {n} programs; choose one with --id ID or --index N (1-{n}): {shown}{more}",
        details={"programs": listing},
    )


def parse_program(
    content: bytes,
    filename: str,
    fmt: str | None = None,
    *,
    program_id: str | None = None,
    index: int | None = None,
) -> Program:
    """Parse already-read bytes into one program (see :func:`choose_program`)."""
    programs = parse_programs(content, filename, fmt)
    return choose_program(programs, filename, program_id=program_id, index=index)


def _known_extension(filename: str) -> bool:
    load_builtin_readers()
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


def read_programs(path: str | Path, fmt: str | None = None) -> list[Program]:
    """Every program of a file; ``-`` reads standard input (JSON/YAML/text, PDF/DOCX/XLSX)."""
    import sys

    if str(path) == "-":
        data = sys.stdin.buffer.read()
        return parse_programs(data, "stdin", fmt or _sniff(data))
    p = Path(path)
    if not p.is_file():
        raise BadInputError(f"no such file: {p}")
    size = p.stat().st_size
    if size > MAX_FILE_BYTES:
        raise TooLargeError(f"{p.name} is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes")
    return parse_programs(p.read_bytes(), p.name, fmt)


def read_program(
    path: str | Path, fmt: str | None = None, *, program_id: str | None = None, index: int | None = None
) -> Program:
    """Read one program from a file (see :func:`choose_program` for files that hold several)."""
    name = "stdin" if str(path) == "-" else Path(path).name
    return choose_program(read_programs(path, fmt), name, program_id=program_id, index=index)


def _sniff(data: bytes) -> str:
    """The format of standard input: PDF/DOCX/XLSX by their magic bytes; JSON (including
    JSON-LD, which the json reader hands on) by its first character; otherwise text."""
    binary = sniff_binary(data)
    if binary:
        return binary
    head = data.lstrip()[:1]
    if head in (b"{", b"["):
        return "json"
    start = data.lstrip()[:512].lower()
    if start.startswith((b"<!doctype html", b"<html")) or b"<script" in start:
        return "html"
    return "text"


def decode_text(content: bytes) -> str:
    """UTF-8 (with BOM) or, failing that, decoded with replacement characters."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("utf-8", errors="replace")
