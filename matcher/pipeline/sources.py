"""Input discovery and sharding: files (or folders, or glob patterns) -> :class:`ShardSpec` row
ranges that any worker can read on its own.

=========  ==================================================================================
format     how a file is cut into shards
=========  ==================================================================================
jsonl      byte offsets of every ``shard_size``-th line (one scan counting newlines)
csv / tsv  byte offsets of record starts found with a quote-aware scan (values may hold
           newlines inside quotes); every shard re-reads the header line
parquet    row ranges (from the file's metadata; nothing is scanned)
other      (JSON-LD, HTML, text) one shard per file, read whole by the postings readers
=========  ==================================================================================

A shard is read with the same readers as ``matcher postings import`` (column aliases, HTML
stripping, JSON-LD objects in JSON Lines), so line numbers in errors point into the input file.
"""

from __future__ import annotations

import glob
import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from matcher.errors import BadInputError, UnsupportedFormatError
from matcher.postings.readers import EXTENSIONS, parse_postings
from matcher.postings.record import ReadResult, RecordError
from matcher.postings.tabular import read_objects

log = logging.getLogger(__name__)

DEFAULT_SHARD_SIZE = 2000
SHARDED = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv", ".parquet": "parquet"}
_SCAN_BLOCK = 1 << 24


@dataclass(frozen=True)
class ShardSpec:
    """Rows ``[first_row, first_row + rows)`` of one input file (``rows`` = -1: the whole file)."""

    index: int
    path: str
    format: str  # jsonl | csv | tsv | parquet | jsonld | html | text
    first_row: int
    rows: int
    start: int = 0  # byte offset of the first row (jsonl, csv)
    end: int = -1  # byte offset after the last row (jsonl, csv)
    first_line: int = 1  # 1-based line number of the first row in the file

    @property
    def name(self) -> str:
        return f"shard-{self.index:05d}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class InputFile:
    path: str
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: Path) -> InputFile:
        st = path.stat()
        return cls(str(path.resolve()), st.st_size, st.st_mtime_ns)


def expand_inputs(inputs: Sequence[str | Path]) -> list[Path]:
    """Files named, files of the folders named (sorted, by known extension), glob matches."""
    out: list[Path] = []
    for item in inputs:
        p = Path(item).expanduser()
        if p.is_dir():
            found = sorted(f for f in p.iterdir() if f.is_file() and _format_of(f) is not None)
            if not found:
                raise BadInputError(f"{p} holds no postings files (.jsonl, .csv, .tsv, .parquet, ...)")
            out += found
        elif p.is_file():
            out.append(p)
        elif any(ch in str(item) for ch in "*?["):
            matches = sorted(Path(m) for m in glob.glob(str(p)) if Path(m).is_file())
            if not matches:
                raise BadInputError(f"no file matches {item}")
            out += matches
        else:
            raise BadInputError(f"no such file or folder: {item}")
    seen: set[Path] = set()
    unique = []
    for f in out:
        r = f.resolve()
        if r not in seen:
            seen.add(r)
            unique.append(f)
    if not unique:
        raise BadInputError("no input files given")
    return unique


def _format_of(path: Path) -> str | None:
    suffix = path.suffix.lower()
    return SHARDED.get(suffix) or EXTENSIONS.get(suffix)


def plan_shards(files: Sequence[Path], shard_size: int = DEFAULT_SHARD_SIZE) -> list[ShardSpec]:
    """Cut every file into shards of at most ``shard_size`` postings, numbered in input order."""
    if shard_size < 1:
        raise BadInputError("the shard size must be at least 1")
    specs: list[ShardSpec] = []
    for path in files:
        fmt = _format_of(path)
        if fmt is None:
            raise UnsupportedFormatError(
                f"cannot tell the format of {path.name}: use {', '.join(sorted(SHARDED))} (sharded) "
                f"or {', '.join(sorted(set(EXTENSIONS) - set(SHARDED)))} (one shard per file)"
            )
        if path.stat().st_size == 0:
            raise BadInputError(f"{path} is empty")
        if fmt == "jsonl":
            ranges = _jsonl_ranges(path, shard_size)
        elif fmt in ("csv", "tsv"):
            ranges = _csv_ranges(path, shard_size)
        elif fmt == "parquet":
            ranges = _parquet_ranges(path, shard_size)
        else:
            ranges = [(0, -1, 0, -1, 1)]
        for first_row, rows, start, end, line in ranges:
            specs.append(ShardSpec(len(specs), str(path.resolve()), fmt, first_row, rows, start, end, line))
    return specs


def _jsonl_ranges(path: Path, shard_size: int) -> list[tuple[int, int, int, int, int]]:
    """(first_row, rows, start, end, first_line) per shard; a row is a non-blank line."""
    ranges = []
    row = line = 0
    shard_start = shard_line = 0
    shard_rows = 0
    offset = 0
    with path.open("rb") as fh:
        for raw in fh:
            line += 1
            if raw.strip():
                if shard_rows == 0:
                    shard_start, shard_line = offset, line
                shard_rows += 1
                row += 1
                if shard_rows == shard_size:
                    ranges.append((row - shard_rows, shard_rows, shard_start, offset + len(raw), shard_line))
                    shard_rows = 0
            offset += len(raw)
    if shard_rows:
        ranges.append((row - shard_rows, shard_rows, shard_start, offset, shard_line))
    if not ranges:
        raise BadInputError(f"{path} has no records")
    return ranges


def _csv_ranges(path: Path, shard_size: int) -> list[tuple[int, int, int, int, int]]:
    """Record boundaries by quote parity (RFC 4180: a doubled quote keeps the parity)."""
    ranges = []
    with path.open("rb") as fh:
        header = fh.readline()
        if not header.strip():
            raise BadInputError(f"{path} has no header row")
        offset, line = len(header), 1
        row = shard_rows = 0
        shard_start = shard_line = 0
        in_quotes = False
        rec_start, rec_line = offset, line + 1
        for raw in fh:
            line += 1
            if not in_quotes:
                rec_start, rec_line = offset, line
            in_quotes ^= raw.count(b'"') % 2 == 1
            offset += len(raw)
            if in_quotes:
                continue
            if not raw.strip() and rec_start == offset - len(raw):
                continue  # a blank line between records
            if shard_rows == 0:
                shard_start, shard_line = rec_start, rec_line
            shard_rows += 1
            row += 1
            if shard_rows == shard_size:
                ranges.append((row - shard_rows, shard_rows, shard_start, offset, shard_line))
                shard_rows = 0
        if in_quotes:  # an unclosed quote: the reader reports it; keep the bytes in the last shard
            if shard_rows == 0:
                shard_start, shard_line = rec_start, rec_line
            shard_rows += 1
            row += 1
        if shard_rows:
            ranges.append((row - shard_rows, shard_rows, shard_start, offset, shard_line))
    if not ranges:
        raise BadInputError(f"{path} has a header but no rows")
    return ranges


def _parquet_ranges(path: Path, shard_size: int) -> list[tuple[int, int, int, int, int]]:
    import pyarrow.parquet as pq

    try:
        n = pq.ParquetFile(path).metadata.num_rows
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for damaged files
        raise BadInputError(f"{path} is not a readable Parquet file ({exc})") from None
    if n == 0:
        raise BadInputError(f"{path} has no rows")
    return [(s, min(shard_size, n - s), 0, -1, s + 1) for s in range(0, n, shard_size)]


def read_shard(spec: ShardSpec, mapping: dict[str, str] | None = None) -> ReadResult:
    """The records (with their line numbers in the input file) and errors of one shard."""
    path = Path(spec.path)
    if not path.is_file():
        raise BadInputError(f"input file {path} is gone (every worker must see the same files)")
    if spec.format == "parquet":
        return _read_parquet(path, spec, mapping)
    if spec.format in ("jsonl", "csv", "tsv"):
        with path.open("rb") as fh:
            header = fh.readline() if spec.format != "jsonl" else b""
            fh.seek(spec.start)
            body = fh.read(spec.end - spec.start)
        _, result = parse_postings(header + body, path.name, spec.format, mapping=mapping)
        shift = spec.first_line - (2 if header else 1)
    else:
        _, result = parse_postings(path.read_bytes(), path.name, spec.format, mapping=mapping)
        shift = 0
    if shift:
        result.records = [(None if ln is None else ln + shift, r) for ln, r in result.records]
        result.errors = [_shift(e, shift) for e in result.errors]
        result.warnings = [_shift(e, shift) for e in result.warnings]
    return result


def _shift(e: RecordError, by: int) -> RecordError:
    return RecordError(None if e.line is None else e.line + by, e.message, e.id)


def _read_parquet(path: Path, spec: ShardSpec, mapping: dict[str, str] | None) -> ReadResult:
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(path)
    groups: list[int] = []
    row0, first = 0, 0
    for g in range(pf.metadata.num_row_groups):  # read only the row groups the shard touches
        n = pf.metadata.row_group(g).num_rows
        if row0 + n > spec.first_row and row0 < spec.first_row + spec.rows:
            first = row0 if not groups else first
            groups.append(g)
        row0 += n
    table = pf.read_row_groups(groups).slice(spec.first_row - first, spec.rows)
    objects = [{k: _plain(v) for k, v in row.items()} for row in table.to_pylist()]
    result = read_objects(objects, mapping)
    shift = spec.first_row  # read_objects numbers rows from 1
    result.records = [(None if ln is None else ln + shift, r) for ln, r in result.records]
    result.errors = [_shift(e, shift) for e in result.errors]
    return result


def _plain(value: Any) -> Any:
    """Parquet values the readers understand (dates and timestamps as ISO strings)."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def plan_digest(
    inputs: Sequence[InputFile],
    shard_size: int,
    mapping: dict[str, str] | None,
    settings: dict[str, Any] | None = None,
) -> str:
    """A fingerprint of a run: the files (path, size, mtime), how they are cut and read, and the
    settings that change the results (model, backend, data)."""
    payload = {
        "inputs": [asdict(i) for i in inputs],
        "shard_size": shard_size,
        "mapping": mapping or {},
        "settings": settings or {},
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]
