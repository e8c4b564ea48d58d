"""Coding a batch of job titles (a state analyst's spreadsheet, or an API request): each row's
title, optional description and industry -> the row's O*NET-SOC code, occupation title,
confidence, needs-review flag and evidence; rows that cannot be coded get an error with their
line number and the rest are coded.

Files: CSV (a header row; the title column is ``title``, ``job_title``, ``job title`` or
``--title-column``) or JSON Lines (one object per line with a ``title``). Optional columns:
``description``, and ``industry`` (a 2022 Census industry code, four digits, as in the Census
index's restrictions). A CSV that is not UTF-8 is read anyway: the rows with undecodable bytes
are reported and skipped.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from matcher.errors import BadInputError

MAX_TITLE_CHARS = 300
MAX_DESCRIPTION_CHARS = 20_000
MAX_FILE_BYTES = 50 * 1024 * 1024
TITLE_COLUMNS = ("title", "job_title", "job title", "jobtitle", "position", "occupation title")
OUTPUT_COLUMNS = ("code", "occupation", "confidence", "needs_review", "evidence", "error")
_SURROGATE = re.compile(r"[\udc80-\udcff]")
_HAS_LETTERS = re.compile(r"[^\W\d_]{2,}")
CODE_BATCH = 2048


@dataclass
class TitleRow:
    line: int  # 1-based line of the file (or index in a request, from 1)
    title: str
    description: str = ""
    industry: int | None = None
    data: dict[str, Any] = field(default_factory=dict)  # the row as read
    error: str | None = None

    @property
    def stated_code(self) -> None:
        return None


@dataclass
class CodedRow:
    row: TitleRow
    result: dict[str, Any] | None  # Coded.to_dict(), None when the row has an error

    def flat(self) -> dict[str, Any]:
        """The output columns of one row (CSV)."""
        r = self.result
        if r is None:
            return dict.fromkeys(OUTPUT_COLUMNS[:-1], "") | {"error": self.row.error}
        best = r["candidates"][0] if r["candidates"] else {}
        evidence = "; ".join(_evidence_text(e) for e in r["evidence"] if e.get("kind") != "data")
        return {
            "code": r["code"] or "",
            "occupation": r["title"]
            or f"needs review (best guess {best.get('code', '-')} {best.get('title', '')})",
            "confidence": f"{r['confidence']:.4f}",
            "needs_review": "yes" if r["needs_review"] else "no",
            "evidence": evidence,
            "error": "",
        }


def _evidence_text(e: dict[str, Any]) -> str:
    if e["kind"] == "dictionary":
        return f"dictionary ({e['match']}): " + ", ".join(e["matched"])
    if e["kind"] == "similar_title":
        return f"similar title: {e['matched']} ({e['source']}, {e['similarity']:.2f})"
    return str(e.get("matched", ""))


def check_title(title: str) -> str | None:
    """Why ``title`` cannot be coded, or None."""
    text = " ".join(title.split())
    if not text:
        return "empty title"
    if len(text) > MAX_TITLE_CHARS:
        return f"title longer than {MAX_TITLE_CHARS} characters ({len(text):,})"
    if _SURROGATE.search(text):
        return "title is not UTF-8 text"
    if len(text) < 2:
        return "title of one character"
    if not _HAS_LETTERS.search(text):
        return "title has no word (numbers or symbols only)"
    return None


def parse_industry(value: Any) -> tuple[int | None, str | None]:
    """A 2022 Census industry code (``"0770"``, ``770``) -> (code, None), or (None, error)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    text = str(value).strip()
    if not re.fullmatch(r"\d{3,4}", text):
        return None, f"industry {text[:20]!r} is not a 2022 Census industry code (4 digits)"
    return int(text), None


def make_row(line: int, data: dict[str, Any], title_key: str) -> TitleRow:
    title = data.get(title_key)
    title = "" if title is None else str(title)
    description = data.get("description")
    description = "" if description is None else str(description)
    industry, error = parse_industry(data.get("industry"))
    row = TitleRow(line, " ".join(title.split()), description[:MAX_DESCRIPTION_CHARS], industry, data)
    row.error = check_title(title) or error
    if row.error is None and _SURROGATE.search(description):
        row.error = "description is not UTF-8 text"
    return row


def _title_key(columns: Sequence[str], wanted: str | None) -> str:
    lower = {c.strip().lower(): c for c in columns}
    if wanted:
        if wanted.strip().lower() in lower:
            return lower[wanted.strip().lower()]
        raise BadInputError(f"no column {wanted!r}; the columns are: {', '.join(columns)}")
    for name in TITLE_COLUMNS:
        if name in lower:
            return lower[name]
    raise BadInputError(f"no title column (one of {', '.join(TITLE_COLUMNS)}); use --title-column")


def read_title_file(
    path: Path, fmt: str | None = None, title_column: str | None = None
) -> tuple[str, list[str], list[TitleRow]]:
    """(format, columns, rows) of a CSV or JSON Lines file; see the module docstring."""
    path = Path(path)
    if not path.is_file():
        raise BadInputError(f"no such file: {path}")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise BadInputError(f"{path.name} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
    fmt = (fmt or ("jsonl" if path.suffix.lower() in (".jsonl", ".ndjson", ".json") else "csv")).lower()
    text = path.read_bytes().decode("utf-8", errors="surrogateescape").removeprefix("\ufeff")
    if fmt == "csv":
        columns, rows = read_csv_text(text, title_column)
    elif fmt in ("jsonl", "ndjson"):
        columns, rows = read_jsonl_text(text, title_column)
        fmt = "jsonl"
    else:
        raise BadInputError(f"unknown format {fmt!r}: use csv or jsonl")
    if not rows:
        raise BadInputError(f"{path.name} has no rows")
    return fmt, columns, rows


def read_csv_text(text: str, title_column: str | None = None) -> tuple[list[str], list[TitleRow]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise BadInputError("the file is empty") from None
    except csv.Error as exc:
        raise BadInputError(f"line 1: not a CSV header ({exc})") from None
    header = [h.strip() for h in header]
    key = _title_key(header, title_column)
    rows: list[TitleRow] = []
    line = reader.line_num + 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            rows.append(TitleRow(line, "", error=f"unreadable CSV row ({exc})"))
            line = reader.line_num + 1
            continue
        if values and any(v.strip() for v in values):
            rows.append(make_row(line, dict(zip(header, values, strict=False)), key))
        line = reader.line_num + 1
    return header, rows


def read_jsonl_text(text: str, title_column: str | None = None) -> tuple[list[str], list[TitleRow]]:
    rows: list[TitleRow] = []
    columns: dict[str, None] = {}
    for n, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        if _SURROGATE.search(raw):
            rows.append(TitleRow(n, "", error="line is not UTF-8 text"))
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            rows.append(TitleRow(n, "", error=f"invalid JSON ({exc.msg})"))
            continue
        if not isinstance(obj, dict):
            rows.append(TitleRow(n, "", error="expected a JSON object"))
            continue
        columns.update(dict.fromkeys(obj))
        key = title_column or next((k for k in obj if k.strip().lower() in TITLE_COLUMNS), "title")
        rows.append(make_row(n, obj, key))
    return list(columns), rows


def code_rows(coder: Any, rows: Sequence[TitleRow]) -> list[CodedRow]:
    """Code every row without an error (in batches); keep the order."""
    good = [r for r in rows if r.error is None]
    results: dict[int, dict[str, Any]] = {}
    for s in range(0, len(good), CODE_BATCH):
        chunk = good[s : s + CODE_BATCH]
        coded = coder.code(chunk, [r.industry for r in chunk])
        for r, c in zip(chunk, coded, strict=True):
            results[id(r)] = c.to_dict()
    return [CodedRow(r, results.get(id(r))) for r in rows]


def write_csv(columns: Sequence[str], coded: Sequence[CodedRow]) -> str:
    out = io.StringIO()
    extra = [c for c in OUTPUT_COLUMNS if c not in columns]
    writer = csv.DictWriter(
        out, fieldnames=["line", *columns, *extra], lineterminator="\n", extrasaction="ignore"
    )
    writer.writeheader()
    for c in coded:
        data = {k: _printable(v) for k, v in c.row.data.items()}
        writer.writerow({"line": c.row.line, **data, **c.flat()})
    return out.getvalue()


def write_jsonl(coded: Sequence[CodedRow]) -> str:
    lines = []
    for c in coded:
        data = {k: _printable(v) for k, v in c.row.data.items()}
        extra = {"coding": c.result} if c.result is not None else {"error": c.row.error}
        lines.append(json.dumps({"line": c.row.line, **data, **extra}, ensure_ascii=False))
    return "\n".join(lines) + ("\n" if lines else "")


def _printable(value: Any) -> Any:
    """Undecodable bytes (read as surrogates) shown as U+FFFD, so the output is valid UTF-8."""
    return _SURROGATE.sub("\ufffd", value) if isinstance(value, str) else value
