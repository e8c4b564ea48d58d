"""One job posting as read from any source, before it is stored; and what went wrong reading one.

Readers produce :class:`ReadResult`: the good records, each with the line it starts on, and
:class:`RecordError` for every record that could not be used (with its line number), so one bad
record never stops the others.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

MAX_TITLE_CHARS = 500
MAX_DESCRIPTION_CHARS = 100_000
_SURROGATE = re.compile(r"[\udc80-\udcff]")


@dataclass
class PostingRecord:
    title: str
    description: str
    employer: str | None = None
    location: str | None = None  # as given
    city: str | None = None
    county: str | None = None
    metro: str | None = None
    state: str | None = None
    country: str | None = None
    postal_code: str | None = None
    date_posted: date | None = None
    salary_min: float | None = None
    salary_max: float | None = None
    salary_currency: str | None = None
    salary_period: str | None = None
    employment_type: str | None = None
    stated_code: str | None = None  # SOC / O*NET-SOC code given by the source
    stated_category: str | None = None  # occupationalCategory as given
    stated_skills: str | None = None  # JobPosting.skills as given
    external_id: str | None = None
    source: str | None = None  # overrides the import's source (e.g. the job board)
    source_ref: str | None = None  # line number, URL, ...
    remote: bool = False  # remote work (schema.org jobLocationType TELECOMMUTE), not an area
    # Read from structured markup (schema.org JobPosting), where a title alone is a posting:
    # it is coded on its title, skills and stated code.
    structured: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        if self.date_posted:
            d["date_posted"] = self.date_posted.isoformat()
        return d


@dataclass(frozen=True)
class RecordError:
    line: int | None  # 1-based line in the file (or index in an API batch)
    message: str
    id: str | None = None  # the record's own id, when it has one

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "id": self.id, "message": self.message}

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line is not None else "record"
        return f"{where}{f' ({self.id})' if self.id else ''}: {self.message}"


@dataclass
class ReadResult:
    records: list[tuple[int | None, PostingRecord]] = field(default_factory=list)  # (line, record)
    errors: list[RecordError] = field(default_factory=list)
    warnings: list[RecordError] = field(default_factory=list)

    def extend(self, other: ReadResult) -> None:
        self.records += other.records
        self.errors += other.errors
        self.warnings += other.warnings

    @property
    def received(self) -> int:
        return len(self.records) + len(self.errors)


def check_record(rec: PostingRecord) -> str | None:
    """Why ``rec`` cannot be stored, or None. Trims title and description in place.

    A posting without a title is kept (coded from its description; see ``coding_title``):
    real job-board exports have them. An empty description is an error, except for a titled
    posting read from schema.org markup (boards publish title-only JobPostings)."""
    rec.title = " ".join((rec.title or "").split())
    rec.description = (rec.description or "").strip()
    for name in ("title", "description", "employer", "location"):
        value = getattr(rec, name)
        if isinstance(value, str) and _SURROGATE.search(value):
            return f"{name} is not valid UTF-8 text"
    if not rec.description and not (rec.structured and rec.title):
        if rec.structured:
            return (
                "the JobPosting has neither a title nor a description "
                "(nor responsibilities, qualifications or skills)"
            )
        return "the posting has an empty description"
    if len(rec.title) > MAX_TITLE_CHARS:
        return f"the title is {len(rec.title):,} characters; the limit is {MAX_TITLE_CHARS:,}"
    if len(rec.description) > MAX_DESCRIPTION_CHARS:
        return (
            f"the description is {len(rec.description):,} characters; the limit is {MAX_DESCRIPTION_CHARS:,}"
        )
    return None


def has_bad_bytes(text: str) -> bool:
    """True when ``text`` was decoded with ``surrogateescape`` from bytes that are not UTF-8."""
    return bool(_SURROGATE.search(text))


def clean(value: Any) -> str | None:
    """A trimmed string, or None for empty/missing values."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        parts = [clean(v) for v in value]
        value = ", ".join(p for p in parts if p)
    text = " ".join(str(value).split())
    return text or None
