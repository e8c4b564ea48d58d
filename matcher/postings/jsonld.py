"""schema.org ``JobPosting`` (JSON-LD) -> :class:`PostingRecord`, as job boards write it.

Accepted shapes: one object, an array of objects, an ``@graph``, any nesting of these, and the
``<script type="application/ld+json">`` blocks of an HTML page. Properties may be written plain
(``title``), prefixed (``schema:title``) or as full IRIs (``http://schema.org/title``).
Fields read (https://schema.org/JobPosting): ``title`` (else ``name``), ``description`` (HTML
stripped), ``hiringOrganization``, every ``jobLocation`` (``Place``/``PostalAddress``: locality,
region, postal code, country; the first fills the location fields, all are listed in
``location`` and ``extra["job_locations"]``), ``jobLocationType`` (``TELECOMMUTE`` is a remote
flag, never an area; ``applicantLocationRequirements`` then give the country),
``datePosted``, ``baseSalary`` (a number or text, a ``MonetaryAmount`` with a number or a
``QuantitativeValue``, a bare ``QuantitativeValue``, ``minValue``/``maxValue`` ranges,
``unitText``; ``salaryCurrency`` on the posting), ``employmentType``, ``occupationalCategory``
(text or ``CategoryCode``; also inside ``relevantOccupation``: an O*NET-SOC/SOC code in it
becomes the stated code), ``skills`` (text, ``DefinedTerm`` or lists), ``identifier``, ``url``.

A posting without a ``description`` is described by its other text (``responsibilities``,
``qualifications``, ``educationRequirements``, ``experienceRequirements``,
``employerOverview``, physical and sensory requirements, ``relevantOccupation``,
``industry``); a posting with only a title is kept and coded on its title, skills and stated
code. Everything else is kept in ``extra``. Malformed JSON is reported with its line and
column.
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
_PREFIXES = ("schema:", "sdo:", "http://schema.org/", "https://schema.org/")
_HANDLED = {
    "@context",
    "@type",
    "title",
    "description",
    "hiringOrganization",
    "jobLocation",
    "jobLocationType",
    "datePosted",
    "baseSalary",
    "salaryCurrency",
    "employmentType",
    "occupationalCategory",
    "skills",
    "identifier",
}
_PERIODS = {"HOUR", "DAY", "WEEK", "MONTH", "YEAR"}
# Other text of a posting, in the order it describes it when there is no description.
_TEXT_FIELDS = (
    ("responsibilities", "Responsibilities"),
    ("qualifications", "Qualifications"),
    ("educationRequirements", "Education"),
    ("experienceRequirements", "Experience"),
    ("physicalRequirement", "Physical requirements"),
    ("sensoryRequirement", "Sensory requirements"),
    ("relevantOccupation", "Occupation"),
    ("industry", "Industry"),
    ("employerOverview", "Employer"),
)


def _local(key: str) -> str:
    for p in _PREFIXES:
        if key.startswith(p):
            return key[len(p) :]
    return key


def normalise_keys(node: Any, depth: int = 0) -> Any:
    """``schema:title`` / ``http://schema.org/title`` -> ``title``, recursively (bounded depth)."""
    if depth > 64:
        raise ValueError("the JSON-LD is nested more than 64 levels deep")
    if isinstance(node, dict):
        return {
            (_local(k) if not k.startswith("@") else k): normalise_keys(v, depth + 1) for k, v in node.items()
        }
    if isinstance(node, list):
        return [normalise_keys(v, depth + 1) for v in node]
    return node


def _types(node: dict[str, Any]) -> set[str]:
    t = node.get("@type")
    values = t if isinstance(t, list) else [t]
    return {_local(str(v)).rsplit("/", 1)[-1] for v in values if v}


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
            for k in (key, f"schema:{key}", f"http://schema.org/{key}", f"https://schema.org/{key}"):
                if k in data:
                    yield from iter_job_postings(data[k])


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
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, dict):
        return _number(value.get("@value", value.get("value")))
    numbers = _amounts(str(value))
    return numbers[0] if numbers else None


_AMOUNT = re.compile(r"\d[\d,]*(?:\.\d+)?\s*[kK]?\b")


def _amounts(text: str) -> list[float]:
    """Every amount of a salary text: ``"$50,000 - $60,000"`` -> [50000, 60000], ``"45k"`` -> [45000]."""
    out = []
    for m in _AMOUNT.finditer(text):
        raw = m.group(0).strip()
        thousand = raw[-1] in "kK"
        raw = raw.rstrip("kK").replace(",", "")
        try:
            n = float(raw)
        except ValueError:
            continue
        out.append(n * 1000 if thousand else n)
    return out


def _range(rec: PostingRecord, node: dict[str, Any]) -> bool:
    """Fill the salary range from a QuantitativeValue-like node; False when it holds none."""
    lo, hi = _number(node.get("minValue")), _number(node.get("maxValue"))
    single = node.get("value")
    if isinstance(single, str):
        found = _amounts(single)
        if len(found) >= 2:
            lo, hi = lo if lo is not None else found[0], hi if hi is not None else found[1]
            single = None
    one = _number(single) if not isinstance(single, dict) else None
    if lo is None and hi is None and one is None:
        return False
    rec.salary_min = lo if lo is not None else one
    rec.salary_max = hi if hi is not None else one
    return True


def _salary(rec: PostingRecord, value: Any, currency: Any = None) -> None:
    """``baseSalary`` in every published shape (see the module docstring)."""
    if isinstance(value, list):
        value = value[0] if value else None
    rec.salary_currency = clean(currency) or rec.salary_currency
    if not isinstance(value, dict):
        found = _amounts(str(value)) if value is not None and not isinstance(value, int | float) else []
        if len(found) >= 2:
            rec.salary_min, rec.salary_max = found[0], found[1]
        else:
            rec.salary_min = rec.salary_max = _number(value)
        return
    rec.salary_currency = clean(value.get("currency")) or rec.salary_currency
    inner = value.get("value")
    unit = clean(value.get("unitText"))
    if isinstance(inner, dict):  # MonetaryAmount -> QuantitativeValue
        _range(rec, inner)
        unit = clean(inner.get("unitText")) or unit
    elif not _range(rec, value):  # MonetaryAmount with a number, or a bare QuantitativeValue
        rec.salary_min = rec.salary_max = _number(inner)
    if unit and unit.upper() in _PERIODS:
        rec.salary_period = unit.upper()
    elif unit:
        rec.salary_period = unit[:16]


def _place(value: Any) -> tuple[Location, str | None]:
    """Location of one ``jobLocation`` and its display text."""
    if isinstance(value, str):
        return parse_location(value), clean(value)
    if not isinstance(value, dict):
        return Location(), None
    address = value.get("address", value)
    if isinstance(address, list):
        address = address[0] if address else {}
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


def _places(rec: PostingRecord, value: Any) -> None:
    """Every ``jobLocation``: the first fills the location fields, all are listed."""
    values = value if isinstance(value, list) else [value] if value is not None else []
    shown: list[str] = []
    listed: list[dict[str, Any]] = []
    for i, v in enumerate(values):
        loc, display = _place(v)
        if i == 0:
            loc.merge_into(rec)
        if display and display not in shown:
            shown.append(display)
            listed.append(
                {k: getattr(loc, k) for k in ("city", "state", "postal_code", "country") if getattr(loc, k)}
            )
    if shown:
        rec.location = "; ".join(shown)
    if len(listed) > 1:
        rec.extra["job_locations"] = listed


_REMOTE = re.compile(r"telecommute|remote|work\s*from\s*home|virtual", re.I)


def _remote(rec: PostingRecord, node: dict[str, Any]) -> None:
    """``jobLocationType: TELECOMMUTE`` is a flag; the applicant's country is the area."""
    kind = node.get("jobLocationType")
    kinds = " ".join(clean(v) or "" for v in (kind if isinstance(kind, list) else [kind]))
    if not _REMOTE.search(kinds):
        return
    rec.remote = True
    rec.extra["remote"] = True
    reqs = node.get("applicantLocationRequirements")
    for req in reqs if isinstance(reqs, list) else [reqs]:
        name = _name(req) if isinstance(req, dict) else clean(req)
        country = normalise_country(name)
        if country and not rec.country:
            rec.country = country
        if name:
            rec.extra.setdefault("applicant_locations", []).append(name)


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


def _describe(value: Any) -> str | None:
    """Text of a posting property: a string, a DefinedTerm, a credential, an experience
    requirement, an Occupation, or a list of these."""
    if isinstance(value, list):
        parts = [_describe(v) for v in value]
        return "; ".join(p for p in parts if p) or None
    if not isinstance(value, dict):
        return maybe_html_to_text(str(value)) if value not in (None, "", True, False) else None
    types = _types(value)
    if "OccupationalExperienceRequirements" in types and value.get("monthsOfExperience"):
        return f"{clean(value.get('monthsOfExperience'))} months of experience"
    if "EducationalOccupationalCredential" in types:
        parts = [clean(value.get(k)) for k in ("name", "credentialCategory", "about", "educationalLevel")]
        about = value.get("about")
        if isinstance(about, dict):
            parts[2] = _name(about)
        return " ".join(p for p in parts if p) or None
    name, desc = clean(value.get("name")), clean(value.get("description"))
    if name and desc:
        return f"{name}: {desc}"
    return name or desc or clean(value.get("termCode"))


def _composed_description(node: dict[str, Any]) -> str:
    lines = []
    for key, label in _TEXT_FIELDS:
        if key in node and (text := _describe(node[key])):
            lines.append(f"{label}: {text}")
    return "\n".join(lines)


def from_job_posting(node: dict[str, Any]) -> PostingRecord:
    """A JobPosting node -> record. Raises ValueError on unusable values (e.g. a bad date)."""
    node = normalise_keys(node)
    description = maybe_html_to_text(str(node.get("description") or ""))
    rec = PostingRecord(
        title=clean(node.get("title") or node.get("name")) or "",
        description=description or _composed_description(node),
        employer=_name(node.get("hiringOrganization")),
        employment_type=_text(node.get("employmentType")),
        stated_skills=_text(node.get("skills")),
        structured=True,
    )
    _places(rec, node.get("jobLocation"))
    _remote(rec, node)
    rec.date_posted = parse_date(node.get("datePosted"))
    if "baseSalary" in node or "salaryCurrency" in node:
        _salary(rec, node.get("baseSalary"), node.get("salaryCurrency"))
    if "occupationalCategory" in node:
        _category(rec, node["occupationalCategory"])
    occupation = node.get("relevantOccupation")
    for occ in occupation if isinstance(occupation, list) else [occupation]:
        if isinstance(occ, dict) and "occupationalCategory" in occ and not rec.stated_code:
            _category(rec, occ["occupationalCategory"])
    ident = node.get("identifier")
    rec.external_id = _text(ident.get("value") if isinstance(ident, dict) else ident)
    rec.source_ref = clean(node.get("url"))
    rec.extra.update({k: v for k, v in node.items() if k not in _HANDLED and k not in rec.extra})
    return rec


def read_jsonld_text(text: str, *, first_line: int = 1, first_col: int = 0) -> ReadResult:
    """Parse a JSON-LD document; each JobPosting in it becomes a record (or an error)."""
    result = ReadResult()
    for line, node in _top_level_values(text, result, first_line, first_col):
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


def _malformed(exc: json.JSONDecodeError, first_line: int, first_col: int) -> str:
    """``malformed JSON-LD at line 12, column 5: Expecting ',' delimiter`` (page coordinates
    for a script block that starts at ``first_line``, ``first_col``)."""
    line = first_line + exc.lineno - 1
    col = exc.colno + (first_col if exc.lineno == 1 else 0)
    return f"malformed JSON-LD at line {line}, column {col}: {exc.msg}"


def _top_level_values(
    text: str, result: ReadResult, first_line: int, first_col: int = 0
) -> Iterator[tuple[int, Any]]:
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
            result.errors.append(
                RecordError(first_line + exc.lineno - 1, _malformed(exc, first_line, first_col))
            )
            return
        except RecursionError:
            result.errors.append(RecordError(first_line, "the JSON-LD is nested too deeply to read"))
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
                    f"{_malformed(exc, first_line, first_col)}; the rest of the array is skipped",
                )
            )
            return
        except RecursionError:
            result.errors.append(RecordError(line, "the JSON-LD is nested too deeply to read"))
            return
        yield line, value
