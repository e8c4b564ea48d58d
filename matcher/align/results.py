"""What alignment returns: occupations with scores, signals and evidence; CIP predictions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from matcher.program import SourceRef


@dataclass
class Evidence:
    kind: str  # stated | title | task | dwa | cip | credential | keyword | similar_programs | entry
    matched: str  # the taxonomy text that matched
    matched_id: str
    similarity: float
    program_text: str | None = None
    source: SourceRef | None = None
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "kind": self.kind,
            "program_text": self.program_text,
            "source": self.source.label() if self.source else None,
            "matched": self.matched,
            "matched_id": self.matched_id,
            "similarity": round(self.similarity, 4),
        }
        if self.note:
            d["note"] = self.note
        return d


@dataclass
class AlignedOccupation:
    code: str
    title: str
    score: float
    signals: dict[str, float]
    evidence: list[Evidence] = field(default_factory=list)
    job_zone: int | None = None

    @property
    def soc(self) -> str:
        return self.code[:7]

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "soc": self.soc,
            "title": self.title,
            "score": round(self.score, 4),
            "job_zone": self.job_zone,
            "signals": {k: round(v, 4) for k, v in self.signals.items()},
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass
class CipPrediction:
    code: str
    title: str
    score: float
    stated: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "title": self.title, "score": round(self.score, 4), "stated": self.stated}


@dataclass
class Alignment:
    program_title: str
    occupations: list[AlignedOccupation]
    cip: list[CipPrediction]
    method: str
    versions: dict[str, Any]
    notes: list[str] = field(default_factory=list)  # e.g. a stated code the text contradicts

    def to_dict(self) -> dict[str, Any]:
        return {
            "program": {"title": self.program_title},
            "occupations": [o.to_dict() for o in self.occupations],
            "cip": [c.to_dict() for c in self.cip],
            "method": self.method,
            "versions": self.versions,
            "notes": self.notes,
        }
