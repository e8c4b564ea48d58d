"""A gap report: every competency of an occupation graded against a program, with evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from matcher.gaps.evidence import EvidenceSpan
from matcher.gaps.grading import Grade
from matcher.gaps.requirements import Competency, Requirement, RequirementList
from matcher.program import SourceRef

PARTLY_CREDIT = 0.5  # a partly taught competency counts half in the coverage figure


@dataclass
class Assessment:
    """One requirement (or competency) graded against a program."""

    requirement: Requirement
    grade: Grade
    p_partly: float  # probability it is at least partly taught
    p_taught: float  # probability it is taught
    similarity: float
    span: EvidenceSpan | None
    source: SourceRef | None
    held_by: str | None = None  # why the grade is below the grader's, when a rule holds it down

    @property
    def confidence(self) -> float:
        """How sure the grader is of the grade it gave: P(taught) for taught, P(at least partly
        taught) for partly, 1 - P(at least partly taught) for not taught. A partly grade's
        confidence is that the program touches the requirement at all; it is not P(taught) taken
        from P(partly), which read 0.00-0.20 for half of the dev programs' partly grades (the two
        models are fitted apart, and a rule may hold a likely "taught" at partly)."""
        if self.grade is Grade.TAUGHT:
            return self.p_taught
        if self.grade is Grade.PARTLY:
            return self.p_partly
        return 1.0 - self.p_partly

    def evidence_dict(self) -> dict[str, Any]:
        s = self.span
        return {
            "sentence": s.sentence if s else None,
            "source": self.source.label() if self.source else None,
            "start": s.start if s else None,
            "end": s.end if s else None,
            "text": s.text if s else None,
        }


@dataclass
class GradedCompetency:
    competency: Competency
    assessment: Assessment  # the best-graded member's
    members: list[Assessment]

    @property
    def grade(self) -> Grade:
        return self.assessment.grade

    def to_dict(self) -> dict[str, Any]:
        r, a = self.competency.lead, self.assessment
        d: dict[str, Any] = {
            "taxonomy": r.taxonomy,
            "id": r.id,
            "label": r.label,
            "grade": a.grade.word,
            "confidence": round(a.confidence, 4),
            "p_taught": round(a.p_taught, 4),
            "p_partly": round(a.p_partly, 4),
            "importance": round(self.competency.importance, 4),
            "basis": r.basis,
            "similarity": round(a.similarity, 4),
            "sources": [
                {
                    "taxonomy": m.requirement.taxonomy,
                    "id": m.requirement.id,
                    "label": m.requirement.label,
                    "grade": m.grade.word,
                }
                for m in self.members
            ],
        }
        if a.held_by:
            d["held_by"] = a.held_by
        if r.hot:
            d["hot_technology"] = True
        if r.in_demand:
            d["in_demand"] = True
        if r.demand_share is not None:
            d["demand_share"] = round(r.demand_share, 4)
        if a.grade is Grade.NOT_TAUGHT:
            d["closest"] = a.evidence_dict()
        else:
            d["evidence"] = a.evidence_dict()
            d["matched_text"] = a.span.text if a.span else None
            d["method"] = "graded"
        return d


@dataclass
class GapReport:
    program_title: str
    code: str
    title: str
    graded: list[GradedCompetency]
    ranking: str
    versions: dict[str, Any]
    requirements: RequirementList
    grader: dict[str, Any] = field(default_factory=dict)
    teachable: bool = True
    limit_missing: int | None = None
    reading_notes: list[str] = field(default_factory=list)  # about how much of the program could be read

    def _of(self, grade: Grade) -> list[GradedCompetency]:
        return [g for g in self.graded if g.grade is grade]

    @property
    def covered(self) -> list[GradedCompetency]:
        return self._of(Grade.TAUGHT)

    @property
    def partly(self) -> list[GradedCompetency]:
        return self._of(Grade.PARTLY)

    @property
    def missing(self) -> list[GradedCompetency]:
        out = self._of(Grade.NOT_TAUGHT)
        return out[: self.limit_missing] if self.limit_missing is not None else out

    @property
    def coverage(self) -> float:
        """Importance-weighted share of the competencies taught (partly taught count half), in %."""
        total = sum(g.competency.importance for g in self.graded)
        got = sum(
            g.competency.importance * (1.0 if g.grade is Grade.TAUGHT else PARTLY_CREDIT)
            for g in self.graded
            if g.grade is not Grade.NOT_TAUGHT
        )
        return 100.0 * got / total if total else 0.0

    def to_dict(self) -> dict[str, Any]:
        summary = (
            f"{len(self.covered)} taught, {len(self.partly)} partly taught, "
            f"{len(self._of(Grade.NOT_TAUGHT))} not taught of {len(self.graded)} competencies"
        )
        if not self.teachable:
            summary = (
                "the program has no curriculum text to read (only a title or credential): "
                "coverage cannot be judged; add a description, courses or outcomes"
            )
        return {
            "program": {"title": self.program_title},
            "occupation": {"code": self.code, "title": self.title},
            "coverage": round(self.coverage, 1) if self.teachable else None,
            "summary": summary,
            "teachable_text": self.teachable,
            "covered_count": len(self.covered),
            "partly_count": len(self.partly),
            "missing_count": len(self._of(Grade.NOT_TAUGHT)),
            "required_count": len(self.graded),
            "covered": [g.to_dict() for g in self.covered],
            "partly": [g.to_dict() for g in self.partly],
            "missing": [g.to_dict() for g in self.missing],
            "ranking": self.ranking,
            "requirement_sources": self.requirements.sources,
            "notes": [*self.reading_notes, *self.requirements.notes],
            "grader": self.grader,
            "thresholds": {
                "partly": self.grader.get("threshold_partly"),
                "taught": self.grader.get("threshold_taught"),
            },
            "versions": self.versions,
        }
