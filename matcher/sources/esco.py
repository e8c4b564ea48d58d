"""Typed loaders for ESCO v1.1 (English CSV release) and the ESCO–O*NET crosswalk."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from matcher.sources._table import read_rows, require_file

WHAT = "ESCO"


def _labels(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(x.strip() for x in value.split("\n") if x.strip())


@dataclass(frozen=True, slots=True)
class EscoOccupation:
    uri: str
    label: str
    alt_labels: tuple[str, ...]
    description: str
    isco_group: str
    code: str


@dataclass(frozen=True, slots=True)
class EscoSkill:
    uri: str
    label: str
    alt_labels: tuple[str, ...]
    description: str
    skill_type: str  # "skill/competence" or "knowledge"
    reuse_level: str  # transversal, cross-sector, sector-specific, occupation-specific


@dataclass(frozen=True, slots=True)
class OccupationSkill:
    occupation_uri: str
    relation: str  # essential | optional
    skill_uri: str


@dataclass(frozen=True, slots=True)
class CrosswalkRow:
    onet_code: str
    esco_uri: str
    match: str  # exactMatch, closeMatch, broadMatch, narrowMatch, exactISCO


class EscoRelease:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, name: str) -> Path:
        return self.root / name

    @functools.cached_property
    def version(self) -> str:
        # v1.1 files carry no version string; v1.2 renamed the relation files with `_en`.
        if (self.root / "occupationSkillRelations_en.csv").is_file():
            return "1.2"
        return "1.1.1" if (self.root / "checklist.chk").is_file() else "1.1"

    def _relations_file(self) -> Path:
        for name in ("occupationSkillRelations.csv", "occupationSkillRelations_en.csv"):
            if self._path(name).is_file():
                return self._path(name)
        return require_file(self._path("occupationSkillRelations.csv"), WHAT)

    def check(self) -> None:
        require_file(self._path("occupations_en.csv"), WHAT)
        require_file(self._path("skills_en.csv"), WHAT)
        self._relations_file()

    @functools.cached_property
    def occupations(self) -> list[EscoOccupation]:
        cols = ["conceptUri", "preferredLabel", "altLabels", "description", "iscoGroup"]
        rows = read_rows(self._path("occupations_en.csv"), cols, what=WHAT)
        return [
            EscoOccupation(
                r["conceptUri"],
                r["preferredLabel"],
                _labels(r["altLabels"]),
                r["description"],
                r["iscoGroup"],
                r.get("code", ""),
            )
            for r in rows
        ]

    @functools.cached_property
    def skills(self) -> list[EscoSkill]:
        cols = ["conceptUri", "preferredLabel", "altLabels", "description", "skillType"]
        rows = read_rows(self._path("skills_en.csv"), cols, what=WHAT)
        return [
            EscoSkill(
                r["conceptUri"],
                r["preferredLabel"],
                _labels(r["altLabels"]),
                r["description"],
                r["skillType"],
                r.get("reuseLevel", ""),
            )
            for r in rows
            if r.get("status", "released") == "released"
        ]

    @functools.cached_property
    def occupation_skills(self) -> list[OccupationSkill]:
        cols = ["occupationUri", "relationType", "skillUri"]
        rows = read_rows(self._relations_file(), cols, what=WHAT)
        return [OccupationSkill(r["occupationUri"], r["relationType"], r["skillUri"]) for r in rows]

    @functools.cached_property
    def onet_crosswalk(self) -> list[CrosswalkRow]:
        cols = ["O*NET Id", "ESCO or ISCO URI", "Type of Match"]
        path = self._path("esco_onet_crosswalk_v1_keys_via_ESCONET.csv")
        if not path.is_file():
            alt = sorted(self.root.glob("*onet*crosswalk*.csv")) + sorted(self.root.glob("ONET*.csv"))
            path = alt[0] if alt else path
        rows = read_rows(path, cols, what="ESCO–O*NET crosswalk")
        return [CrosswalkRow(r["O*NET Id"], r["ESCO or ISCO URI"], r["Type of Match"]) for r in rows]
