"""Read a file of program outcomes (CSV or XLSX) into validated rows, each bad row reported with
its line number and left out; the column mapping is documented in ``docs/outcomes.md``.

Rates are fractions (0.72) or percents (72, "72%"); a rate missing but its counts given is
computed from them (completion = completers / enrolled, placement = placed / completers).
"""

from __future__ import annotations

import csv
import io
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from matcher.errors import BadInputError, TooLargeError
from matcher.readers.zipcheck import check_zip
from matcher.review.vocab import text_ok

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
MAX_REPORTED_ERRORS = 200

# Field -> the column headers that name it (compared lower-cased, "_" read as a space).
COLUMNS: dict[str, tuple[str, ...]] = {
    "program_ref": ("program id", "program ref", "etpl id", "etpl program id", "program code", "id"),
    "provider": ("provider", "provider name", "institution", "training provider"),
    "period": ("period", "reporting period", "program year", "cohort", "year"),
    "completion_rate": ("completion rate", "completion", "completion %", "completion percent"),
    "placement_rate": ("placement rate", "job placement rate", "placement", "placement %", "employment rate"),
    "median_earnings": ("median earnings", "median annual earnings", "earnings median", "median wage"),
    "earnings_period": ("earnings period", "earnings year", "earnings measured"),
    "price_parity": ("price parity", "regional price parity", "rpp"),
    "tuition_and_fees": ("tuition and fees", "tuition & fees", "tuition", "total cost", "cost"),
    "enrolled": ("enrolled", "enrollees", "participants", "students"),
    "completers": ("completers", "completed"),
    "placed": ("placed", "employed", "employed completers"),
}
REQUIRED = ("program_ref", "period")
FIGURES = ("completion_rate", "placement_rate", "median_earnings")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


@dataclass
class OutcomeRows:
    """What a file gave: the good rows (field -> value, plus ``line``), and the bad lines."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    received: int = 0
    columns: dict[str, str] = field(default_factory=dict)  # field -> header used


def _key(header: str) -> str:
    return " ".join(header.replace("_", " ").strip().lower().split())


def map_header(header: list[str], mapping: dict[str, str] | None = None) -> dict[str, int]:
    """Field -> column index; ``mapping`` (field -> header) overrides the built-in names."""
    keys = [_key(h) for h in header]
    out: dict[str, int] = {}
    for name, column in (mapping or {}).items():
        if name not in COLUMNS:
            raise BadInputError(f"unknown field {name!r} in the column mapping; fields: {', '.join(COLUMNS)}")
        if _key(column) not in keys:
            raise BadInputError(f"the column mapping names {column!r}, which is not a column of the file")
        out[name] = keys.index(_key(column))
    for name, names in COLUMNS.items():
        if name in out:
            continue
        for candidate in (name.replace("_", " "), *names):
            if candidate in keys and keys.index(candidate) not in out.values():
                out[name] = keys.index(candidate)
                break
    missing = [f for f in REQUIRED if f not in out]
    if missing:
        raise BadInputError(
            "line 1: no column for " + " and ".join(missing) + " (name them, e.g. 'program_id' and "
            "'period', or map them with --map FIELD=COLUMN)",
            details={"line": 1, "header": header},
        )
    if not any(f in out for f in (*FIGURES, "completers", "placed")):
        raise BadInputError(
            "line 1: no outcome column (completion_rate, placement_rate, median_earnings, or the "
            "counts enrolled, completers, placed)",
            details={"line": 1, "header": header},
        )
    return out


def _money(text: str, what: str) -> float:
    cleaned = re.sub(r"[$,\s]", "", text)
    if not _NUMBER.match(cleaned) or float(cleaned) < 0:
        raise ValueError(f"{what} {text!r} is not an amount of dollars")
    return float(cleaned)


def _rate(text: str, what: str) -> float:
    cleaned = text.strip().replace(" ", "")
    percent = cleaned.endswith("%")
    cleaned = cleaned.rstrip("%")
    if not _NUMBER.match(cleaned):
        raise ValueError(f"{what} {text!r} is not a rate (0.72, 72 or 72%)")
    value = float(cleaned)
    value = value / 100 if percent or value > 1 else value
    if not 0 <= value <= 1:
        raise ValueError(f"{what} {text!r} is outside 0-100%")
    return value


def _count(text: str, what: str) -> int:
    cleaned = text.strip().replace(",", "")
    if not cleaned.isdigit():
        raise ValueError(f"{what} {text!r} is not a whole number")
    return int(cleaned)


def parse_row(cells: dict[str, str]) -> dict[str, Any]:
    """One row's fields, validated; ValueError with the reason."""
    out: dict[str, Any] = {}
    for name in ("program_ref", "provider", "period", "earnings_period"):
        out[name] = " ".join(cells.get(name, "").split())
    for name, limit in (("program_ref", 100), ("provider", 300), ("period", 100), ("earnings_period", 100)):
        if len(out[name]) > limit:
            raise ValueError(f"{name} is longer than {limit} characters")
    if not out["program_ref"]:
        raise ValueError("no program id")
    if not out["period"]:
        raise ValueError("no reporting period")
    for name in ("completion_rate", "placement_rate"):
        out[name] = _rate(cells[name], name) if cells.get(name, "").strip() else None
    for name in ("median_earnings", "tuition_and_fees", "price_parity"):
        out[name] = _money(cells[name], name) if cells.get(name, "").strip() else None
    if out["price_parity"] is not None and not 10 <= out["price_parity"] <= 1000:
        raise ValueError(f"price_parity {out['price_parity']:g} is not an index near 100")
    for name in ("enrolled", "completers", "placed"):
        out[name] = _count(cells[name], name) if cells.get(name, "").strip() else None
    enrolled, completers, placed = out["enrolled"], out["completers"], out["placed"]
    if enrolled is not None and completers is not None and completers > enrolled:
        raise ValueError(f"completers ({completers}) exceed enrolled ({enrolled})")
    if completers is not None and placed is not None and placed > completers:
        raise ValueError(f"placed ({placed}) exceed completers ({completers})")
    if out["completion_rate"] is None and enrolled and completers is not None:
        out["completion_rate"] = completers / enrolled
    if out["placement_rate"] is None and completers and placed is not None:
        out["placement_rate"] = placed / completers
    if all(out[f] is None for f in FIGURES):
        raise ValueError("no completion rate, placement rate or median earnings (nor counts to compute them)")
    return out


def _table_rows(content: bytes, filename: str) -> list[tuple[int, list[str]]]:
    """(line or sheet row number, cells) of a CSV or the first worksheet of an XLSX."""
    if filename.lower().endswith((".xlsx", ".xlsm")):
        return _xlsx_rows(content, filename)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("utf-8", errors="replace")  # bad rows are named below
    if not text_ok(text):
        raise BadInputError(f"{filename} contains a NUL character")
    reader = csv.reader(io.StringIO(text, newline=""))
    out: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            if len(out) > MAX_ROWS:
                raise TooLargeError(f"{filename} has more than {MAX_ROWS:,} rows")
            out.append((reader.line_num, row))
    except csv.Error as exc:
        raise BadInputError(f"{filename}: malformed CSV at line {reader.line_num}: {exc}") from None
    return out


def _xlsx_rows(content: bytes, filename: str) -> list[tuple[int, list[str]]]:
    check_zip(content, filename, kind="XLSX", required="xl/workbook.xml")
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types on damaged files
        log.info("openpyxl could not open %s: %r", filename, exc)
        raise BadInputError(f"{filename} is not a readable XLSX workbook") from None
    try:
        if not wb.worksheets:
            raise BadInputError(f"{filename} has no worksheets")
        out: list[tuple[int, list[str]]] = []
        for number, row in enumerate(wb.worksheets[0].iter_rows(max_col=50, values_only=True), start=1):
            if len(out) > MAX_ROWS:
                raise TooLargeError(f"{filename} has more than {MAX_ROWS:,} rows")
            out.append((number, ["" if v is None else str(v) for v in row]))
        return out
    finally:
        wb.close()


def read_outcomes(content: bytes, filename: str, mapping: dict[str, str] | None = None) -> OutcomeRows:
    """The rows of an outcomes file; a bad header refuses the file, a bad row is reported with
    its line number and the other rows are kept. A program and period given twice: the later
    line is reported."""
    if len(content) > MAX_FILE_BYTES:
        raise TooLargeError(f"{filename} is {len(content):,} bytes; the limit is {MAX_FILE_BYTES:,}")
    table = [(n, r) for n, r in _table_rows(content, filename) if any(c.strip() for c in r)]
    if not table:
        raise BadInputError(f"{filename} is empty; it needs a header row (see docs/outcomes.md)")
    (_, header), body = table[0], table[1:]
    columns = map_header(header, mapping)
    result = OutcomeRows(columns={f: header[i] for f, i in columns.items()})
    seen: dict[tuple[str, str], int] = {}
    for line, row in body:
        result.received += 1
        cells = {f: (row[i] if i < len(row) else "") for f, i in columns.items()}
        try:
            if any("\ufffd" in c for c in row):
                raise ValueError("not UTF-8 text (save the file as UTF-8)")
            parsed = parse_row(cells)
            key = (parsed["program_ref"], parsed["period"])
            if key in seen:
                raise ValueError(f"program {key[0]} period {key[1]} is also on line {seen[key]}")
        except ValueError as exc:
            result.errors.append(
                {"line": line, "program": cells.get("program_ref", "")[:100], "message": str(exc)}
            )
            continue
        seen[key] = line
        result.rows.append({**parsed, "line": line})
    return result
