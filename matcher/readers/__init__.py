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
    from matcher.readers import structured, text  # noqa: F401


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
    names = ", ".join(sorted({e for r in READERS.values() for e in r.extensions}))
    raise UnsupportedFormatError(
        f"cannot tell the format of {filename!r} from its extension; use --format (known extensions: {names})"
    )


def parse_program(content: bytes, filename: str, fmt: str | None = None) -> Program:
    """Parse already-read bytes (an upload, stdin) into a program."""
    if len(content) > MAX_FILE_BYTES:
        raise TooLargeError(f"{filename} is {len(content):,} bytes; the limit is {MAX_FILE_BYTES:,} bytes")
    if not content.strip():
        raise BadInputError(f"{filename} is empty")
    return reader_for(filename, fmt).read(content, filename)


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
    head = data.lstrip()[:1]
    return "json" if head in (b"{", b"[") else "text"


def decode_text(content: bytes) -> str:
    """UTF-8 (with BOM) or, failing that, decoded with replacement characters."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("utf-8", errors="replace")
