"""State ETPL (Eligible Training Provider List) program rows: JSON objects (one, or a list),
JSON Lines (``.jsonl``, one record per line) or a CSV with a header and one row per program
(``--format etpl``). A file of several records is several programs (see
:func:`matcher.readers.parse_programs`); each keeps its line.

Columns (case, spaces and underscores ignored): ``title`` (program name, program title),
``provider`` (provider name, school), ``description``, ``features``, ``prerequisites``,
``credential``, ``clock hours`` (total clock hours, hours), ``weeks``, ``cip`` (cip code),
``soc`` (soc code, onet code: the occupation codes the list states), ``id``. Fields named
``gold_*`` (evaluation labels) and unknown columns are ignored. A list of courses in
``features`` or ``description`` ("WLD111A Welding and Cutting Fundamentals;" one per line or
separated by ``;``) becomes the program's courses.
"""

from __future__ import annotations

import json
import re
from typing import Any

from matcher.errors import BadInputError
from matcher.program import Program, SourceRef, program_from_dict
from matcher.readers import Reader, decode_text, register
from matcher.readers import fields as F
from matcher.readers.tabular import read_csv_rows

ALIASES: dict[str, str] = {
    **dict.fromkeys(["title", "program title", "program name", "program", "name"], "title"),
    **dict.fromkeys(["provider", "provider name", "school", "institution", "training provider"], "provider"),
    **dict.fromkeys(["description", "program description"], "description"),
    **dict.fromkeys(["features", "program features", "special features"], "features"),
    **dict.fromkeys(["prerequisites", "prerequisite", "entry requirements"], "prerequisites"),
    **dict.fromkeys(["credential", "credential earned", "credential awarded", "credentials"], "credential"),
    **dict.fromkeys(["clock hours", "total clock hours", "hours", "contact hours"], "clock_hours"),
    **dict.fromkeys(["weeks", "length in weeks", "duration weeks", "program length"], "weeks"),
    **dict.fromkeys(["cip", "cip code", "cipcode", "cip 2020"], "cip"),
    **dict.fromkeys(
        ["soc", "soc code", "soc codes", "onet code", "o*net-soc", "occupation codes"], "occupations"
    ),
    **dict.fromkeys(["id", "program id", "record id"], "id"),
    **dict.fromkeys(["state"], "state"),
}
_LISTING_SPLIT = re.compile(r";\s*|\r?\n+")


def extract_course_list(text: str) -> tuple[list[tuple[str, str]], str]:
    """(code, title) pairs listed in ``text`` and the text without them; pairs only when at
    least two lines/items name a course, so prose that mentions one code is left alone."""
    pieces = [p.strip() for p in _LISTING_SPLIT.split(text or "")]
    found: list[tuple[str, str]] = []
    rest: list[str] = []
    for p in pieces:
        heading = F.course_heading(p.rstrip(".;"))
        if heading is not None and heading.code and not heading.code.lower().startswith(("course", "module")):
            found.append((heading.code, heading.title))
        elif p:
            rest.append(p)
    if len(found) < 2:
        return [], text
    return found, "\n".join(rest)


def program_from_record(record: dict[str, Any], filename: str, line: int | None = None) -> Program:
    data: dict[str, Any] = {}
    for key, value in record.items():
        k = F.norm_key(str(key))
        if k.startswith("gold "):
            continue
        fld = ALIASES.get(k)
        if fld is None or fld in data or value in (None, ""):
            continue
        data[fld] = value
    if "clock_hours" in data:
        data["clock_hours"] = F.parse_number(data["clock_hours"])
    if "weeks" in data:
        stated = str(data["weeks"])
        data["weeks"] = F.parse_length(data["weeks"])[0]
        if data["weeks"] is not None:
            where = SourceRef(file=filename, line=line, field="weeks")
            data["read_from"] = {"weeks": {"text": f"weeks: {stated}", "source": where}}
    if "cip" in data:
        data["cip"] = F.parse_cip(data["cip"]) or str(data["cip"])
    if "occupations" in data:
        data["occupations"] = F.parse_socs(data["occupations"])
    courses: list[dict[str, Any]] = []
    for fld in ("features", "description"):
        if isinstance(data.get(fld), str):
            listed, rest = extract_course_list(data[fld])
            if listed:
                data[fld] = rest
                courses += [
                    {"code": code, "title": title, "source": SourceRef(file=filename, line=line, field=fld)}
                    for code, title in listed
                ]
    if courses:
        data["courses"] = courses
    if line is not None:
        data["description_spans"] = [
            {"start": 0, "end": len(str(data.get("description", ""))), "source": SourceRef(line=line)}
        ]
    return program_from_dict(data, source_file=filename)


def _records(records: list[tuple[int | None, Any]], filename: str) -> list[Program]:
    if not records:
        raise BadInputError(f"{filename} holds no ETPL record")
    out = []
    for n, (line, rec) in enumerate(records, 1):
        if not isinstance(rec, dict):
            where = f"line {line}" if line else f"record {n}"
            raise BadInputError(f"{filename}: {where}: an ETPL record must be an object with named fields")
        try:
            out.append(program_from_record(rec, filename, line))
        except BadInputError as exc:
            where = f"line {line}" if line else f"record {n}"
            raise BadInputError(f"{filename}: {where}: {exc.message}", details=exc.details) from None
    return out


def _read_etpl(content: bytes, filename: str) -> list[Program]:
    text = decode_text(content).strip()
    records: list[tuple[int | None, Any]] = []
    if text.startswith(("{", "[")):
        try:
            data = json.loads(text)
            records = [(None, r) for r in data] if isinstance(data, list) else [(None, data)]
        except json.JSONDecodeError:
            for n, raw in enumerate(text.splitlines(), 1):  # JSON Lines
                if not raw.strip():
                    continue
                try:
                    records.append((n, json.loads(raw)))
                except json.JSONDecodeError as exc:
                    raise BadInputError(
                        f"{filename}: malformed JSON on line {n}, column {exc.colno}: {exc.msg}"
                    ) from None
        except RecursionError:
            raise BadInputError(f"{filename}: the JSON is nested too deeply to read") from None
    else:
        rows = [r for r in read_csv_rows(content, filename) if any(c.strip() for c in r)]
        if not rows:
            raise BadInputError(f"{filename} is empty")
        header = rows[0]
        if not any(ALIASES.get(F.norm_key(h)) == "title" for h in header):
            raise BadInputError(
                f"{filename}: missing required column(s): title (accepted headers — "
                f"{', '.join(k for k, v in ALIASES.items() if v == 'title')}). "
                f"Found columns: {', '.join(repr(h) for h in header if h.strip()) or 'none'}",
                details={"missing_columns": ["title"], "found_columns": [h for h in header if h.strip()]},
            )
        records = [(i + 2, dict(zip(header, r, strict=False))) for i, r in enumerate(rows[1:])]
    return _records(records, filename)


register(Reader("etpl", (".jsonl", ".ndjson"), _read_etpl))
