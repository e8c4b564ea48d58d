"""JSON Lines and CSV postings with a column mapping.

Each posting field is read from the first column (or JSON key) whose name, compared without
case, spaces, dashes or underscores, is one of its aliases below; ``mapping`` overrides them
(``{"title": "Job Name"}``; CLI ``--map title="Job Name"``; a mapped column the file does not
have falls back to the aliases). ``title`` and ``description`` are required: a CSV whose header
has no column for either is rejected with one error at line 1.

=================  ==========================================================================
field              aliases
=================  ==========================================================================
title              title, job_title, jobtitle, position, position_title, name
description        description, job_description, full_description, body, text, summary
employer           employer, company, company_name, hiring_organization, organization
location           location, job_location, location_raw, place
city / county      city, town, locality / county
metro              metro, msa, cbsa, metro_area
state              state, state_code, region, address_region
country            country, country_code
postal_code        postal_code, zip, zipcode, postcode
date_posted        date_posted, date, posted, posted_date, created, created_at
salary_min / max   salary_min, min_salary, salary_from / salary_max, max_salary, salary_to
salary             salary, salary_raw, pay (a single amount or "30,000 - 35,000")
salary_currency    salary_currency, currency
salary_period      salary_period, pay_period, salary_unit
employment_type    employment_type, contract_time, job_type, schedule
stated_code        soc, soc_code, onet, onet_code, onet_soc_code, occupation_code
stated_category    occupational_category, occupation
stated_skills      skills
external_id        id, job_id, posting_id, external_id, reference
source             source, source_board, board, site
source_ref         url, link, job_url
=================  ==========================================================================

Other columns are kept verbatim in the posting's ``extra``.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from matcher.postings.html_text import maybe_html_to_text
from matcher.postings.jsonld import from_job_posting as _from_job_posting
from matcher.postings.jsonld import iter_job_postings, parse_date
from matcher.postings.location import normalise_country, normalise_state, parse_location
from matcher.postings.record import PostingRecord, ReadResult, RecordError, clean, has_bad_bytes
from matcher.text import json_input

ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "job_title", "jobtitle", "position", "position_title", "name"),
    "description": ("description", "job_description", "full_description", "body", "text", "summary"),
    "employer": (
        "employer",
        "company",
        "company_name",
        "hiring_organization",
        "organization",
        "organisation",
    ),
    "location": ("location", "job_location", "location_raw", "place"),
    "city": ("city", "town", "locality"),
    "county": ("county",),
    "metro": ("metro", "msa", "cbsa", "metro_area"),
    "state": ("state", "state_code", "region", "address_region"),
    "country": ("country", "country_code"),
    "postal_code": ("postal_code", "zip", "zipcode", "postcode"),
    "date_posted": ("date_posted", "date", "posted", "posted_date", "created", "created_at"),
    "salary_min": ("salary_min", "min_salary", "salary_from"),
    "salary_max": ("salary_max", "max_salary", "salary_to"),
    "salary": ("salary", "salary_raw", "pay"),
    "salary_currency": ("salary_currency", "currency"),
    "salary_period": ("salary_period", "pay_period", "salary_unit"),
    "employment_type": ("employment_type", "contract_time", "job_type", "schedule"),
    "stated_code": ("soc", "soc_code", "onet", "onet_code", "onet_soc_code", "occupation_code"),
    "stated_category": ("occupational_category", "occupation"),
    "stated_skills": ("skills",),
    "external_id": ("id", "job_id", "posting_id", "external_id", "reference"),
    "source": ("source", "source_board", "board", "site"),
    "source_ref": ("url", "link", "job_url"),
}
REQUIRED = ("title", "description")
_SOC = re.compile(r"\b(\d{2}-\d{4}(?:\.\d{2})?)\b")
_AMOUNT = re.compile(r"\d[\d,]*(?:\.\d+)?\s*[kK]?")


def _key(name: str) -> str:
    return re.sub(r"[\s_\-.]+", "", name.strip().lower())


def resolve_columns(columns: list[str], mapping: dict[str, str] | None = None) -> dict[str, str]:
    """field -> column name found in ``columns`` (mapping first, then aliases)."""
    by_key = {_key(c): c for c in columns}
    out: dict[str, str] = {}
    mapping = mapping or {}
    for field, column in mapping.items():
        if field not in ALIASES:
            from matcher.errors import BadInputError

            raise BadInputError(
                f"unknown posting field {field!r} in the column mapping; known: {', '.join(ALIASES)}"
            )
        if column in columns:
            out[field] = column
        elif _key(column) in by_key:
            out[field] = by_key[_key(column)]
    for field, aliases in ALIASES.items():
        if field in out:  # a mapped column that is absent falls back to the aliases
            continue
        for alias in aliases:
            if _key(alias) in by_key:
                out[field] = by_key[_key(alias)]
                break
    return out


def _amounts(text: str) -> list[float]:
    values = []
    for m in _AMOUNT.findall(text):
        m = m.strip()
        mult = 1000.0 if m[-1] in "kK" else 1.0
        try:
            values.append(float(m.rstrip("kK ").replace(",", "")) * mult)
        except ValueError:
            continue
    return values


def from_row(row: dict[str, Any], columns: dict[str, str]) -> PostingRecord:
    """A CSV row / JSON object -> record (raises ValueError on unusable values)."""

    def get(field: str) -> Any:
        col = columns.get(field)
        return row.get(col) if col else None

    rec = PostingRecord(
        title=clean(get("title")) or "",
        description=maybe_html_to_text(str(get("description") or "")),
    )
    for field in ("employer", "location", "city", "county", "metro", "employment_type", "stated_category"):
        setattr(rec, field, clean(get(field)))
    rec.stated_skills = clean(get("stated_skills"))
    rec.state = normalise_state(clean(get("state")))
    rec.country = normalise_country(clean(get("country")))
    rec.postal_code = clean(get("postal_code"))
    parse_location(rec.location).merge_into(rec)
    rec.date_posted = parse_date(get("date_posted"))
    lo, hi = get("salary_min"), get("salary_max")
    rec.salary_min = float(_amounts(str(lo))[0]) if lo not in (None, "") and _amounts(str(lo)) else None
    rec.salary_max = float(_amounts(str(hi))[0]) if hi not in (None, "") and _amounts(str(hi)) else None
    raw_salary = clean(get("salary"))
    if raw_salary and rec.salary_min is None and rec.salary_max is None:
        amounts = _amounts(raw_salary)
        if amounts:
            rec.salary_min, rec.salary_max = min(amounts), max(amounts)
    rec.salary_currency = clean(get("salary_currency"))
    period = clean(get("salary_period"))
    rec.salary_period = period.upper()[:16] if period else None
    code = clean(get("stated_code"))
    if code:
        m = _SOC.search(code)
        rec.stated_code = m.group(1) if m else code
    elif rec.stated_category:
        m = _SOC.search(rec.stated_category)
        rec.stated_code = m.group(1) if m else None
    ext = get("external_id")
    rec.external_id = clean(ext) if ext is not None else None
    rec.source = clean(get("source"))
    rec.source_ref = clean(get("source_ref"))
    used = set(columns.values())
    rec.extra = {k: v for k, v in row.items() if k not in used and k is not None and v not in (None, "")}
    return rec


def _bad_bytes(row: dict[str, Any]) -> bool:
    return any(isinstance(v, str) and has_bad_bytes(v) for v in row.values())


def read_jsonl_text(text: str, mapping: dict[str, str] | None = None) -> ReadResult:
    """One JSON object per line: a flat record (column mapping applies) or a JobPosting."""
    result = ReadResult()
    cache: dict[tuple[str, ...], dict[str, str]] = {}
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        if has_bad_bytes(line):
            result.errors.append(RecordError(n, "not valid UTF-8 text"))
            continue
        try:
            obj = json_input.loads(line, what="the line")
        except json_input.JsonTextError as exc:
            result.errors.append(RecordError(n, f"invalid JSON ({exc.reason})"))
            continue
        if not isinstance(obj, dict):
            result.errors.append(RecordError(n, "expected a JSON object"))
            continue
        ident = (
            clean(obj.get("id") or obj.get("identifier"))
            if not isinstance(obj.get("identifier"), dict)
            else None
        )
        try:
            postings = list(iter_job_postings(obj)) if "@type" in obj or "@graph" in obj else []
            if postings:
                result.records += [(n, _from_job_posting(p)) for p in postings]
                continue
            keys = tuple(obj)
            columns = cache.get(keys) or cache.setdefault(keys, resolve_columns(list(obj), mapping))
            result.records.append((n, from_row(obj, columns)))
        except ValueError as exc:
            result.errors.append(RecordError(n, str(exc), ident))
    return result


def read_csv_text(
    text: str, mapping: dict[str, str] | None = None, *, delimiter: str | None = None
) -> ReadResult:
    """A CSV (or TSV) file with a header row; see the module docstring for the columns."""
    result = ReadResult()
    text = text.lstrip("\ufeff")
    if not text.strip():
        result.errors.append(RecordError(1, "the file is empty"))
        return result
    if delimiter is None:
        first = text.split("\n", 1)[0]
        delimiter = "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        result.errors.append(RecordError(1, f"unreadable CSV header ({exc})"))
        return result
    header = [h.strip() for h in header]
    columns = resolve_columns(header, mapping)
    missing = [f for f in REQUIRED if f not in columns]
    if missing:
        mapping = mapping or {}
        wanted = "; ".join(
            f"{f} (mapped to {mapping[f]!r})" if f in mapping else f"{f} (one of: {', '.join(ALIASES[f])})"
            for f in missing
        )
        result.errors.append(
            RecordError(
                1,
                f"no column for {wanted}; the header has: {', '.join(header)}. "
                "Map one with --map FIELD=COLUMN",
            )
        )
        return result
    line = reader.line_num + 1
    while True:
        start = line
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            result.errors.append(RecordError(start, f"malformed CSV ({exc})"))
            line = reader.line_num + 1
            continue
        line = reader.line_num + 1
        if not any(v.strip() for v in values):
            continue
        row = dict(zip(header, values, strict=False))
        ident = clean(row.get(columns.get("external_id", ""), None))
        if len(values) < len(header):
            absent = [h for h in header[len(values) :] if h in columns.values()]
            if any(columns[f] in absent for f in REQUIRED):
                result.errors.append(
                    RecordError(
                        start,
                        f"the row has {len(values)} of {len(header)} columns (missing {', '.join(absent)})",
                        ident,
                    )
                )
                continue
        if _bad_bytes(row):
            result.errors.append(RecordError(start, "not valid UTF-8 text", ident))
            continue
        try:
            result.records.append((start, from_row(row, columns)))
        except ValueError as exc:
            result.errors.append(RecordError(start, str(exc), ident))
    return result


def read_objects(objects: list[Any], mapping: dict[str, str] | None = None) -> ReadResult:
    """Records of an API batch: each a flat object (aliases apply) or a schema.org JobPosting.
    Errors carry the record's 1-based position in the batch as their ``line``."""
    result = ReadResult()
    cache: dict[tuple[str, ...], dict[str, str]] = {}
    for n, obj in enumerate(objects, 1):
        if not isinstance(obj, dict):
            result.errors.append(RecordError(n, "expected a JSON object"))
            continue
        raw_id = obj.get("id") or obj.get("identifier")
        ident = clean(raw_id) if not isinstance(raw_id, dict) else clean(raw_id.get("value"))
        try:
            postings = list(iter_job_postings(obj)) if "@type" in obj or "@graph" in obj else []
            if postings:
                result.records += [(n, _from_job_posting(p)) for p in postings]
                continue
            if "@type" in obj:
                result.errors.append(
                    RecordError(n, "a JSON-LD object that is not a schema.org JobPosting", ident)
                )
                continue
            keys = tuple(obj)
            columns = cache.get(keys) or cache.setdefault(keys, resolve_columns(list(obj), mapping))
            result.records.append((n, from_row(obj, columns)))
        except ValueError as exc:
            result.errors.append(RecordError(n, str(exc), ident))
    return result
