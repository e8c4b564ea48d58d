"""schema.org ``JobPosting`` (JSON-LD) -> :class:`PostingRecord`.

Accepted shapes: one object, an array of objects, an ``@graph``, any nesting of these, and the
``<script type="application/ld+json">`` blocks of an HTML page. Fields read
(https://schema.org/JobPosting): ``title``, ``description`` (HTML stripped), ``hiringOrganization``,
``jobLocation`` (``Place``/``PostalAddress``: locality, region, postal code, country),
``jobLocationType``, ``datePosted``, ``validThrough``, ``baseSalary`` (``MonetaryAmount`` with a
``QuantitativeValue``: value or min/max, ``unitText``), ``employmentType``,
``occupationalCategory`` (text or ``CategoryCode``; an O*NET-SOC/SOC code in it becomes the
stated code), ``skills`` (text, ``DefinedTerm`` or lists), ``identifier``, ``url``,
``industry``, ``educationRequirements``, ``experienceRequirements``. Everything else is kept in
``extra``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from matcher.postings.html_text import maybe_html_to_text
from matcher.postings.location import Location, normalise_country, normalise_state, parse_location
from matcher.postings.record import PostingRecord, ReadResult, RecordError, clean

_SOC = re.compile(r"\b(\d{2}-\d{4}(?:\.\d{2})?)\b")
_HANDLED = {
    "@context",
    "@type",
    "title",
    "description",
    "hiringOrganization",
    "jobLocation",
    "datePosted",
    "baseSalary",
    "employmentType",
    "occupationalCategory",
    "skills",
    "identifier",
}
_PERIODS = {"HOUR", "DAY", "WEEK", "MONTH", "YEAR"}


def _types(node: dict[str, Any]) -> set[str]:
    t = node.get("@type")
    values = t if isinstance(t, list) else [t]
    return {str(v).rsplit("/", 1)[-1] for v in values if v}


def iter_job_postings(data: Any) -> Iterator[dict[str, Any]]:
    """Every JobPosting node in a parsed JSON-LD document (objects, arrays, @graph)."""
    if isinstance(data, list):
        for item in data:
            yield from iter_job_postings(item)
    elif isinstance(data, dict):
        if "JobPosting" in _types(data):
            yield data
            return
        for key in ("@graph", "itemListElement", "item", "mainEntity"):
            if key in data:
                yield from iter_job_postings(data[key])


def _name(value: Any) -> str | None:
    if isinstance(value, dict):
        return clean(value.get("name") or value.get("legalName") or value.get("@id"))
    if isinstance(value, list):
        return _name(value[0]) if value else None
    return clean(value)


def _text(value: Any) -> str | None:
    if isinstance(value, dict):
        return clean(
            value.get("name") or value.get("value") or value.get("description") or value.get("termCode")
        )
    if isinstance(value, list):
        parts = [_text(v) for v in value]
        return "; ".join(p for p in parts if p) or None
    return clean(value)


def parse_date(value: Any) -> date | None:
    """ISO dates and date-times; ``None`` when absent. Raises ValueError when unreadable."""
    text = clean(value)
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    for fmt in ("%m/%d/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d %B %Y", "%B %d, %Y", "%d %b %Y", "%b %d, %Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"unreadable date {text!r} (use ISO 8601, e.g. 2024-05-31)")


def _number(value: Any) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = re.sub(r"[^\d.\-]", "", str(value).replace(",", ""))
    try:
        return float(text) if text else None
    except ValueError:
        return None


def _salary(rec: PostingRecord, value: Any) -> None:
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, dict):
        amount = _number(value)
        rec.salary_min = rec.salary_max = amount
        return
    rec.salary_currency = clean(value.get("currency")) or rec.salary_currency
    inner = value.get("value", value)
    if isinstance(inner, dict):
        lo, hi = _number(inner.get("minValue")), _number(inner.get("maxValue"))
        single = _number(inner.get("value"))
        rec.salary_min = lo if lo is not None else single
        rec.salary_max = hi if hi is not None else single
        unit = clean(inner.get("unitText"))
    else:
        rec.salary_min = rec.salary_max = _number(inner)
        unit = clean(value.get("unitText"))
    if unit and unit.upper() in _PERIODS:
        rec.salary_period = unit.upper()
    elif unit:
        rec.salary_period = unit[:16]


def _place(value: Any) -> tuple[Location, str | None]:
    """Location of a ``jobLocation`` (the first Place when several) and its display text."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, str):
        return parse_location(value), clean(value)
    if not isinstance(value, dict):
        return Location(), None
    address = value.get("address", value)
    if isinstance(address, str):
        return parse_location(address), clean(address)
    if not isinstance(address, dict):
        return Location(), _name(value)
    country = address.get("addressCountry")
    loc = Location(
        city=clean(address.get("addressLocality")),
        state=normalise_state(clean(address.get("addressRegion"))),
        country=normalise_country(_name(country) if isinstance(country, dict) else clean(country)),
        postal_code=clean(address.get("postalCode")),
    )
    if loc.state and len(loc.state) == 2 and not loc.country:
        loc.country = "US"
    parts = [loc.city, loc.state, loc.postal_code, loc.country]
    return loc, ", ".join(p for p in parts if p) or _name(value)


def _category(rec: PostingRecord, value: Any) -> None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        code = clean(value.get("codeValue"))
        name = clean(value.get("name"))
        rec.stated_category = " ".join(p for p in (code, name) if p) or None
    else:
        rec.stated_category = clean(value)
    m = _SOC.search(rec.stated_category or "")
    if m:
        rec.stated_code = m.group(1)


def from_job_posting(node: dict[str, Any]) -> PostingRecord:
    """A JobPosting node -> record. Raises ValueError on unusable values (e.g. a bad date)."""
    rec = PostingRecord(
        title=clean(node.get("title") or node.get("name")) or "",
        description=maybe_html_to_text(str(node.get("description") or "")),
        employer=_name(node.get("hiringOrganization")),
        employment_type=_text(node.get("employmentType")),
        stated_skills=_text(node.get("skills")),
    )
    loc, display = _place(node.get("jobLocation"))
    rec.location = display
    loc.merge_into(rec)
    if not rec.location and node.get("jobLocationType"):
        rec.location = clean(node.get("jobLocationType"))
    rec.date_posted = parse_date(node.get("datePosted"))
    if "baseSalary" in node:
        _salary(rec, node["baseSalary"])
    if "occupationalCategory" in node:
        _category(rec, node["occupationalCategory"])
    ident = node.get("identifier")
    rec.external_id = _text(ident.get("value") if isinstance(ident, dict) else ident)
    rec.source_ref = clean(node.get("url"))
    rec.extra = {k: v for k, v in node.items() if k not in _HANDLED}
    return rec


def read_jsonld_text(text: str, *, first_line: int = 1) -> ReadResult:
    """Parse a JSON-LD document; each JobPosting in it becomes a record (or an error)."""
    result = ReadResult()
    for line, node in _top_level_values(text, result, first_line):
        postings = list(iter_job_postings(node))
        if not postings:
            result.errors.append(RecordError(line, "no schema.org JobPosting in this JSON-LD"))
        for p in postings:
            ident = _text(p.get("identifier")) if not isinstance(p.get("identifier"), dict) else None
            try:
                result.records.append((line, from_job_posting(p)))
            except ValueError as exc:
                result.errors.append(RecordError(line, str(exc), ident))
    return result


def _top_level_values(text: str, result: ReadResult, first_line: int) -> Iterator[tuple[int, Any]]:
    """The document, or each element of a top-level array with the line it starts on.

    A syntax error ends the parse with one error (at its line); elements before it are kept.
    """
    decoder = json.JSONDecoder()
    stripped = text.lstrip("\ufeff \t\r\n")
    offset = len(text) - len(stripped)
    if not stripped:
        result.errors.append(RecordError(first_line, "empty JSON-LD document"))
        return
    if not stripped.startswith("["):
        try:
            value, _ = decoder.raw_decode(text, offset)
        except json.JSONDecodeError as exc:
            result.errors.append(RecordError(first_line + exc.lineno - 1, f"malformed JSON-LD ({exc.msg})"))
            return
        yield first_line + text.count("\n", 0, offset), value
        return
    pos = offset + 1
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= len(text):
            result.errors.append(
                RecordError(first_line + text.count("\n"), "malformed JSON-LD (unclosed array)")
            )
            return
        if text[pos] == "]":
            return
        line = first_line + text.count("\n", 0, pos)
        try:
            value, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            result.errors.append(
                RecordError(
                    first_line + exc.lineno - 1,
                    f"malformed JSON-LD ({exc.msg}); the rest of the array is skipped",
                )
            )
            return
        yield line, value
