"""Refuse damaged ZIP containers (DOCX, XLSX) and zip bombs before any parser opens them."""

from __future__ import annotations

import io
import zipfile

from matcher.errors import BadInputError, TooLargeError

MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024  # all members together, as declared in the archive
MAX_MEMBER_RATIO = 200  # uncompressed / compressed size of any member over 1 MB
MAX_MEMBERS = 5_000


def check_zip(content: bytes, filename: str, *, kind: str, required: str) -> None:
    """Raise :class:`BadInputError` unless ``content`` is a readable ZIP holding ``required``;
    :class:`TooLargeError` if it would unpack beyond the limits above."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise BadInputError(f"{filename} is not a valid {kind} file (damaged or not a ZIP archive)") from None
    if len(infos) > MAX_MEMBERS:
        raise TooLargeError(f"{filename} holds {len(infos):,} files; the limit is {MAX_MEMBERS:,}")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise TooLargeError(
            f"{filename} unpacks to {total:,} bytes; the limit is {MAX_UNCOMPRESSED_BYTES:,} bytes"
        )
    for i in infos:
        if i.file_size > 1024 * 1024 and i.file_size > MAX_MEMBER_RATIO * max(i.compress_size, 1):
            raise TooLargeError(
                f"{filename}: member {i.filename!r} expands {i.file_size // max(i.compress_size, 1):,}-fold "
                f"(limit {MAX_MEMBER_RATIO}); refusing a possible zip bomb"
            )
    if required not in {i.filename for i in infos}:
        raise BadInputError(f"{filename} is not a valid {kind} file ({required} is missing)")
