"""Reading ETPL exports for screening, row by row: a bad row is reported with its file and line
and the others are kept (the single-program readers stop at the first bad record instead).

Formats: JSON Lines (one object per line, as ``programs_nj_etpl.dev.jsonl``), a JSON list, or a
CSV/TSV with a header row. Columns are mapped by :data:`matcher.readers.etpl.ALIASES` (case,
spaces and underscores ignored): ``id`` (program id, record id), ``title``, ``provider``,
``description``, ``features``, ``prerequisites``, ``credential``, ``clock hours``, ``weeks``,
``cip``, ``soc``, ``state``; ``gold_*`` evaluation labels are ignored.

Errors (row not screened): not valid UTF-8, malformed JSON, no program id, a program id seen
before in the same input, no description, an unknown CIP code, a field the program model
refuses. Length, schedule and credential are filled from the prose where no field states them
(:func:`matcher.readers.finish.complete`, as for every reader). Warnings (row screened): no
clock hours (the length check is then ``unknown``), no provider (the program goes to the
state's "provider not stated" organisation).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from matcher.errors import BadInputError
from matcher.program import Program
from matcher.readers import fields as F
from matcher.readers.etpl import ALIASES, program_from_record
from matcher.readers.finish import complete

MAX_ROWS = 20_000


@dataclass(frozen=True)
class Row:
    file: str
    line: int | None
    external_id: str
    provider: str  # "" when the row names none
    program: Program


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    id: str
    error: str

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "id": self.id, "error": self.error}


@dataclass
class Export:
    rows: list[Row] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)  # rows not screened
    warnings: list[Problem] = field(default_factory=list)  # rows screened with a caveat
    sha256: str = ""  # of every file's bytes, in order


def _records_jsonl(content: bytes) -> list[tuple[int | None, Any, str]]:
    """(line, record, error) per non-empty line; a JSON list gives record numbers, not lines."""
    stripped = content.lstrip()
    if stripped.startswith(b"["):
        try:
            data = json.loads(content.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            return [(None, None, f"the JSON list cannot be read: {exc}")]
        return [(None, r, "") for r in data] if isinstance(data, list) else [(None, data, "")]
    out: list[tuple[int | None, Any, str]] = []
    for n, raw in enumerate(content.split(b"\n"), 1):
        if not raw.strip():
            continue
        try:
            text = raw.decode("utf-8-sig" if n == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            out.append((n, None, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1})"))
            continue
        try:
            out.append((n, json.loads(text), ""))
        except json.JSONDecodeError as exc:
            out.append((n, None, f"malformed JSON at column {exc.colno}: {exc.msg}"))
        except RecursionError:
            out.append((n, None, "the JSON is nested too deeply"))
    return out


def _records_csv(content: bytes, filename: str) -> list[tuple[int | None, Any, str]]:
    """(first line of the row, {header: cell}, error) per data row; rows holding bytes that are
    not UTF-8 are reported, the others kept."""
    text = content.decode("utf-8", errors="surrogateescape").removeprefix("\ufeff")
    delimiter = "\t" if filename.lower().endswith(".tsv") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    out: list[tuple[int | None, Any, str]] = []
    header: list[str] | None = None
    start = 1
    for row in reader:
        line, start = start, reader.line_num + 1
        if not any(c.strip() for c in row):
            continue
        bad = next((c for c in row if _not_utf8(c)), None)
        if header is None:
            if bad is not None:
                raise BadInputError(f"{filename}: line {line}: the header row is not valid UTF-8")
            header = row
            if not any(ALIASES.get(F.norm_key(h)) == "title" for h in header):
                found = ", ".join(repr(h) for h in header if h.strip()) or "none"
                raise BadInputError(f"{filename}: no title column (found columns: {found})")
            continue
        if bad is not None:
            out.append((line, None, "not valid UTF-8 (save the file as UTF-8)"))
            continue
        out.append((line, dict(zip(header, row, strict=False)), ""))
    return out


def _not_utf8(cell: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in cell)


def _field(record: dict[str, Any], name: str) -> str:
    for key, value in record.items():
        if ALIASES.get(F.norm_key(str(key))) == name and value not in (None, ""):
            return str(value).strip()
    return ""


def read_export(
    content: bytes, filename: str, known_cip: Callable[[str], bool], export: Export | None = None
) -> Export:
    """Add the rows of one file to ``export`` (a new one by default); see the module docstring."""
    export = export if export is not None else Export()
    is_json = content.lstrip()[:1] in (b"{", b"[") and not filename.lower().endswith((".csv", ".tsv"))
    records = _records_jsonl(content) if is_json else _records_csv(content, filename)
    seen = {r.external_id: r for r in export.rows}
    for n, (line, record, error) in enumerate(records, 1):
        if len(export.rows) >= MAX_ROWS:
            raise BadInputError(f"more than {MAX_ROWS:,} programs; split the export")
        if not error and not isinstance(record, dict):
            error = "a row must be an object with named fields"
        rid = _field(record, "id") if isinstance(record, dict) else ""
        where = line if line is not None else n
        if not error:
            error = _row_error(record, rid, seen, known_cip)
        if error:
            export.errors.append(Problem(filename, where, rid, error))
            continue
        try:
            program = complete(program_from_record(record, filename, line))
        except BadInputError as exc:
            export.errors.append(Problem(filename, where, rid, exc.message))
            continue
        row = Row(filename, where, rid, _field(record, "provider"), program)
        seen[rid] = row
        export.rows.append(row)
        if not program.clock_hours:
            export.warnings.append(
                Problem(filename, where, rid, "no clock hours: screened, the length check is unknown")
            )
        if not row.provider:
            export.warnings.append(
                Problem(filename, where, rid, "no provider: filed under 'provider not stated'")
            )
    return export


def _row_error(
    record: dict[str, Any], rid: str, seen: dict[str, Row], known_cip: Callable[[str], bool]
) -> str:
    if not rid:
        return "no program id (column id, program id or record id)"
    if rid in seen:
        first = seen[rid]
        return f"duplicate program id {rid!r} (first on line {first.line} of {first.file})"
    if not _field(record, "description"):
        return "no description"
    cip = _field(record, "cip")
    if cip:
        code = F.parse_cip(cip)
        if code is None or not known_cip(code):
            return f"unknown CIP code {cip!r} (not in CIP 2020)"
    return ""


def read_exports(files: list[tuple[str, bytes]], known_cip: Callable[[str], bool]) -> Export:
    """Every row of every file (name, bytes), with one SHA-256 over all of them."""
    export = Export()
    digest = hashlib.sha256()
    for name, content in files:
        digest.update(hashlib.sha256(content).digest())
        read_export(content, name, known_cip, export)
    export.sha256 = digest.hexdigest()
    return export
