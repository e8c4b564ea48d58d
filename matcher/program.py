"""The structured training program the matcher aligns, and the text units it is made of.

Every piece of text keeps a :class:`SourceRef` (file, page, course, field) so evidence can point
back to where a sentence came from ("syllabus.pdf, p. 3, course WLD-110").
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from matcher.errors import BadInputError
from matcher.text.normalise import join_wrapped_lines

MAX_TEXT_CHARS = 200_000
MAX_COURSES = 500


class SourceRef(BaseModel):
    """Where a text unit came from."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    file: str | None = None
    page: int | None = None
    course: str | None = None
    field: str | None = None
    line: int | None = None
    # Inside a structured record: the property the text was read from ("ceterms:subject").
    path: str | None = None

    def label(self) -> str:
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.page is not None:
            parts.append(f"p. {self.page}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.course:
            parts.append(f"course {self.course}")
        if self.field:
            parts.append(self.field)
        if self.path:
            parts.append(self.path)
        return ", ".join(parts)


class Provenance(BaseModel):
    """What a reader read for a program field and where: the phrase as written and its source
    ("a 10-week evening certificate", syllabus.md, line 3)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    text: str
    source: SourceRef | None = None


class TextSpan(BaseModel):
    """Where a stretch of a longer text came from: ``text[start:end]`` was read at ``source``.

    Readers of paged or line-numbered documents (PDF, DOCX, Markdown) record these for the
    program description, so evidence from it can still say "catalog.pdf, p. 2".
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    source: SourceRef


class Outcome(BaseModel):
    """One learning outcome (or competency) with its source."""

    model_config = ConfigDict(extra="ignore")

    text: str
    source: SourceRef | None = None


def _coerce_outcomes(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, str):
        return [{"text": line.strip(" -•*\t")} for line in value.splitlines() if line.strip()]
    if isinstance(value, list):
        return [{"text": v} if isinstance(v, str) else v for v in value]
    return value


class Course(BaseModel):
    model_config = ConfigDict(extra="ignore")

    code: str | None = None
    title: str = ""
    description: str = ""
    outcomes: list[Outcome] = Field(default_factory=list)
    hours: float | None = None
    source: SourceRef | None = None

    _coerce = field_validator("outcomes", mode="before")(_coerce_outcomes)

    @field_validator("title", "description", mode="before")
    @classmethod
    def _none_to_empty(cls, v: Any) -> Any:
        return "" if v is None else v

    _unwrap = field_validator("description")(join_wrapped_lines)


class TextUnit(BaseModel):
    """A piece of program text with its origin; the unit of evidence."""

    model_config = ConfigDict(frozen=True)

    text: str
    source: SourceRef
    weight: float = 1.0


class Program(BaseModel):
    """A training program: the input of alignment and gap analysis.

    Accepts the fields of the ETPL dev records (``title``, ``provider``, ``description``,
    ``features``, ``prerequisites``, ``credential``, ``clock_hours``, ``cip``) and ignores
    unknown fields.
    """

    model_config = ConfigDict(extra="ignore")

    id: str | None = None
    title: str = ""
    provider: str | None = None
    description: str = ""
    # Optional: which pages/lines each stretch of ``description`` came from (see TextSpan).
    description_spans: list[TextSpan] = Field(default_factory=list)
    features: str = ""
    prerequisites: str = ""
    credential: str | None = None
    credentials: list[str] = Field(default_factory=list)
    courses: list[Course] = Field(default_factory=list, max_length=MAX_COURSES)
    outcomes: list[Outcome] = Field(default_factory=list)
    clock_hours: float | None = None
    credit_hours: float | None = None
    weeks: float | None = None
    # A length stated as a range ("12-14 weeks"); ``weeks`` stays empty then.
    weeks_range: tuple[float, float] | None = None
    hours_per_week: float | None = None
    schedule: str | None = None  # "Mon–Thu 6–10 pm", "evenings", "weekends"
    cip: str | None = None
    # Published tuition and fees of the whole program, US dollars (the outcome checks compare
    # value-added earnings against it).
    tuition_and_fees: float | None = Field(default=None, ge=0)
    # Occupation codes (SOC / O*NET-SOC) the source itself states, e.g. CTDL occupationType or
    # schema.org occupationalCategory. Informational: alignment ranks occupations on its own.
    occupations: list[str] = Field(default_factory=list)
    # Occupations the source names without a code (CTDL occupationType by name only).
    occupation_names: list[str] = Field(default_factory=list)
    state: str | None = None
    source_file: str | None = None
    # Lists the document gives that are not curriculum (materials, textbooks, supplies,
    # attendance rules, clinical sites): shown, never text units, so never evidence for a skill.
    not_curriculum: list[Outcome] = Field(default_factory=list)
    # Where fields were read from: field name ("weeks", "credential", "title", ...) -> phrase.
    read_from: dict[str, Provenance] = Field(default_factory=dict)

    _coerce = field_validator("outcomes", mode="before")(_coerce_outcomes)
    _coerce_other = field_validator("not_curriculum", mode="before")(_coerce_outcomes)

    @field_validator("title", "description", "features", "prerequisites", mode="before")
    @classmethod
    def _none_to_empty(cls, v: Any) -> Any:
        return "" if v is None else str(v)

    # a paragraph wrapped by hand is read as whole sentences (same length: spans keep their offsets)
    _unwrap = field_validator("description", "features")(join_wrapped_lines)

    @field_validator("credentials", mode="before")
    @classmethod
    def _credentials_list(cls, v: Any) -> Any:
        if v is None:
            return []
        if isinstance(v, str):
            return [v]
        return v

    @field_validator("cip", mode="before")
    @classmethod
    def _cip_text(cls, v: Any) -> Any:
        if v is None or v == "":
            return None
        return str(v).strip()

    @field_validator(
        "clock_hours", "credit_hours", "weeks", "hours_per_week", "tuition_and_fees", mode="before"
    )
    @classmethod
    def _number_or_none(cls, v: Any) -> Any:
        if v in (None, "", "n/a", "N/A"):
            return None
        return v

    @model_validator(mode="after")
    def _check_size(self) -> Program:
        total = sum(len(u.text) for u in self.iter_units()) + sum(len(o.text) for o in self.not_curriculum)
        if total > MAX_TEXT_CHARS:
            raise ValueError(f"program text is {total:,} characters; the limit is {MAX_TEXT_CHARS:,}")
        return self

    def all_credentials(self) -> list[str]:
        out = list(self.credentials)
        if self.credential and self.credential not in out:
            out.insert(0, self.credential)
        return out

    def iter_units(self) -> Iterator[TextUnit]:
        """Every text unit of the program, in reading order, with its source."""
        f = self.source_file

        def unit(text: str | None, field: str, weight: float = 1.0, **src: Any) -> TextUnit | None:
            if text and text.strip():
                ref = SourceRef(file=f, field=field, **src)
                return TextUnit(text=text.strip(), source=ref, weight=weight)
            return None

        candidates: list[TextUnit | None] = [unit(self.title, "title", 2.0)]
        candidates += self._description_units()
        candidates.append(unit(self.features, "features", 0.5))
        candidates += [unit(c, "credential", 1.0) for c in self.all_credentials()]
        candidates += [
            TextUnit(text=o.text.strip(), source=o.source or SourceRef(file=f, field="outcome"))
            for o in self.outcomes
            if o.text.strip()
        ]
        for c in self.courses:
            base = c.source or SourceRef(file=f)
            label = c.code or c.title or None
            for text, field in ((c.title, "course title"), (c.description, "course description")):
                if text.strip():
                    ref = base.model_copy(update={"course": label, "field": field})
                    candidates.append(TextUnit(text=text.strip(), source=ref))
            for o in c.outcomes:
                if o.text.strip():
                    ref = o.source or base.model_copy(update={"course": label, "field": "outcome"})
                    candidates.append(TextUnit(text=o.text.strip(), source=ref))
        yield from (u for u in candidates if u is not None)

    def _description_units(self) -> list[TextUnit | None]:
        """The description as one unit, or one unit per recorded span (text outside every span
        keeps the plain ``description`` source)."""
        text, f = self.description, self.source_file

        def piece(start: int, end: int, ref: SourceRef | None) -> TextUnit | None:
            chunk = text[start:end].strip()
            if not chunk:
                return None
            ref = ref or SourceRef(file=f)
            ref = ref.model_copy(update={"file": ref.file or f, "field": ref.field or "description"})
            return TextUnit(text=chunk, source=ref)

        if not self.description_spans:
            return [piece(0, len(text), None)]
        out: list[TextUnit | None] = []
        pos = 0
        for span in sorted(self.description_spans, key=lambda s: (s.start, s.end)):
            start, end = max(span.start, pos), min(span.end, len(text))
            if start > pos:
                out.append(piece(pos, start, None))
            if end > start:
                out.append(piece(start, end, span.source))
                pos = end
        if pos < len(text):
            out.append(piece(pos, len(text), None))
        return out

    def has_text(self) -> bool:
        return any(u.text.strip() for u in self.iter_units())


def program_from_dict(data: Any, *, source_file: str | None = None) -> Program:
    """Validate a mapping into a :class:`Program`, with a user-readable error."""
    from pydantic import ValidationError

    if not isinstance(data, dict):
        raise BadInputError("a program must be a JSON/YAML object with at least a title")
    if source_file and not data.get("source_file"):
        data = {**data, "source_file": source_file}
    try:
        program = Program.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "program"
        raise BadInputError(f"invalid program: {where}: {first.get('msg')}") from None
    if not program.has_text():
        raise BadInputError("the program has no text: give at least a title or a description")
    return program
