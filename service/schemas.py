"""Request and response schemas of the HTTP API (documented in OpenAPI at /docs)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from matcher.program import Program


class ErrorDetail(BaseModel):
    status: int
    code: str
    message: str
    details: dict[str, Any] = Field(default_factory=dict)


class ErrorOut(BaseModel):
    """The one error shape of every 4xx/5xx response."""

    error: ErrorDetail


class Versions(BaseModel):
    model_config = ConfigDict(extra="allow")

    model: str
    data: dict[str, str]
    data_fingerprint: str


class HealthOut(BaseModel):
    status: str
    version: str
    versions: Versions | None = None
    error: str | None = None


class OccupationHit(BaseModel):
    code: str
    title: str
    score: float
    matched: str


class OccupationSearchOut(BaseModel):
    query: str
    results: list[OccupationHit]
    versions: Versions


class SkillHit(BaseModel):
    taxonomy: str
    id: str
    label: str
    score: float


class SkillSearchOut(BaseModel):
    query: str
    results: list[SkillHit]
    versions: Versions


class TechSkill(BaseModel):
    example: str
    hot: bool
    in_demand: bool


class CodeTitle(BaseModel):
    code: str
    title: str


class EscoLink(BaseModel):
    uri: str
    label: str
    match: str


class OccupationDetailOut(BaseModel):
    code: str
    soc: str
    title: str
    description: str
    job_zone: int | None
    tasks: list[str]
    technology_skills: list[TechSkill]
    cip: list[CodeTitle]
    esco: list[EscoLink]
    versions: Versions


class EvidenceOut(BaseModel):
    kind: str = Field(
        description=(
            "stated | title | task | dwa | cip | credential | keyword | similar_programs | entry "
            "(why a short program ranks it lower: BLS entry education and experience)"
        )
    )
    program_text: str | None = Field(description="The program sentence that matched.")
    source: str | None = Field(description="Where that sentence is in the program.")
    matched: str = Field(description="The taxonomy text it matched.")
    matched_id: str
    similarity: float
    note: str | None = None


class AlignedOccupationOut(BaseModel):
    code: str = Field(description="O*NET-SOC code, e.g. 51-4121.00")
    soc: str
    title: str
    score: float = Field(
        description="Estimated chance (0-1) that the program prepares people for this occupation."
    )
    job_zone: int | None
    signals: dict[str, float]
    evidence: list[EvidenceOut]


class CipOut(BaseModel):
    code: str
    title: str
    score: float
    stated: bool


class ProgramRef(BaseModel):
    title: str


class AlignOut(BaseModel):
    program: ProgramRef
    occupations: list[AlignedOccupationOut]
    cip: list[CipOut]
    method: str
    versions: dict[str, Any]
    notes: list[str] = Field(
        default_factory=list,
        description="E.g. an occupation code the program states that its text contradicts.",
    )


class GapsIn(BaseModel):
    """The earlier body of ``POST /gaps``, still accepted: the program wrapped with the occupation."""

    model_config = ConfigDict(extra="forbid")

    program: Program
    occupation: str | None = Field(
        default=None, min_length=1, max_length=20, description="O*NET-SOC code, e.g. 51-4121.00"
    )
    limit: int | None = Field(default=None, ge=1, le=1000, description="Cap on missing skills listed.")


class GapEvidence(BaseModel):
    sentence: str | None = Field(description="The curriculum sentence (or, for a gap, the closest one).")
    source: str | None = Field(description="Where the sentence is: file, page, course, field.")
    start: int | None = Field(default=None, description="Offset of the matched text in its text unit.")
    end: int | None = Field(default=None, description="End offset of the matched text.")
    text: str | None = Field(default=None, description="The matched text itself.")


class GapSource(BaseModel):
    taxonomy: str
    id: str
    label: str
    grade: str = Field(description="This source item's own grade: taught, partly or not taught.")


class GapItem(BaseModel):
    """One competency of the occupation (one or more source items that say the same thing)."""

    model_config = ConfigDict(extra="allow")

    taxonomy: str = Field(description="Taxonomy of the competency's lead item.")
    id: str
    label: str
    grade: str = Field(description="taught, partly or not taught.")
    confidence: float = Field(
        description="How sure the grader is of the grade: P(taught) for taught, P(at least partly taught) "
        "for partly, 1 - P(at least partly taught) for not taught."
    )
    p_taught: float
    p_partly: float = Field(description="Probability that it is at least partly taught.")
    importance: float
    basis: str = Field(description="Why it matters: O*NET task links, ESCO relation, ratings.")
    similarity: float
    sources: list[GapSource] = Field(description="Every source item (DWA, ESCO skill, ...) it stands for.")
    method: str | None = None
    evidence: GapEvidence | None = Field(default=None, description="The shortest span that shows it.")
    closest: GapEvidence | None = Field(default=None, description="For a gap: the closest span found.")
    held_by: str | None = Field(
        default=None,
        description="Why the grade is below the grader's, when a rule holds it down (a credential "
        "or the occupation's name alone is at most partly teaching; a requirement about leading "
        "people is not taught unless the program speaks of leading).",
    )
    hot_technology: bool | None = None
    in_demand: bool | None = None
    demand_share: float | None = None


class GapOccupation(BaseModel):
    code: str
    title: str


class GapsOut(BaseModel):
    program: ProgramRef
    occupation: GapOccupation
    coverage: float | None = Field(
        description="Importance-weighted share of competencies taught (partly taught count half), in %; "
        "null when the program has no curriculum text to read."
    )
    summary: str
    teachable_text: bool
    covered_count: int = Field(description="Competencies graded taught.")
    partly_count: int
    missing_count: int
    required_count: int
    covered: list[GapItem] = Field(description="Taught.")
    partly: list[GapItem] = Field(description="Partly taught.")
    missing: list[GapItem] = Field(
        description="Not taught: ranked by importance (or posting demand) times the confidence that it is "
        "not taught, so the important and sure gaps come first."
    )
    ranking: str
    requirement_sources: list[str]
    notes: list[str]
    grader: dict[str, Any]
    thresholds: dict[str, float | None]
    versions: dict[str, Any]
