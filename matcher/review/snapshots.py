"""Alignment snapshots: the matcher's alignment of one program version, the gaps of its top
occupations and the review subjects (occupations and skills employers decide on), stored with
the model and data versions that produced them. A snapshot is written once; a new alignment
(new version, new model) is a new snapshot, and reviews point at the snapshot they judged."""

from __future__ import annotations

import hashlib
import logging
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.align.signals import NO_MATCH_CODE
from matcher.db import Database
from matcher.errors import NotFoundError
from matcher.program import Program
from matcher.review import audit
from matcher.review.actor import Actor
from matcher.review.policy import Action
from matcher.review.programs import load_program
from matcher.review.tables import AlignmentSnapshot, ProgramVersion
from matcher.review.views import snapshot_dict
from matcher.review.vocab import valid_id

if TYPE_CHECKING:
    from matcher.engine import Matcher

log = logging.getLogger(__name__)

ALIGN_TOP = 5  # occupations kept in the snapshot's alignment
REVIEW_OCCUPATIONS = 3  # of those, the ones with gaps and review subjects
MAX_TAUGHT = 15  # taught competencies per occupation offered for review
MAX_PARTLY = 10  # partly taught ones
MAX_MISSING = 10  # most important not-taught ones
GRADE_LISTS = (
    ("taught", "covered", MAX_TAUGHT),
    ("partly", "partly", MAX_PARTLY),
    ("not taught", "missing", MAX_MISSING),
)


def subject_id(occupation: str, skill: str | None) -> str:
    """A short stable id of a review subject (used as a form field name in the web UI)."""
    return "s" + hashlib.sha1(f"{occupation}|{skill or ''}".encode()).hexdigest()[:12]


def build_subjects(gaps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each reviewed occupation, then its competencies grouped by grade: taught (with the
    shortest span that shows it), partly taught, and the most important not taught (with the
    closest span found)."""
    subjects: list[dict[str, Any]] = []
    for g in gaps:
        code, title = g["occupation"]["code"], g["occupation"]["title"]
        subjects.append(
            {
                "id": subject_id(code, None),
                "kind": "occupation",
                "occupation": code,
                "occupation_title": title,
                "skill": None,
                "label": f"{code} {title}",
                "coverage": g["coverage"],
            }
        )
        for grade, key, cap in GRADE_LISTS:
            for item in g.get(key, [])[:cap]:
                skill = f"{item['taxonomy']}:{item['id']}"
                where = item.get("closest" if grade == "not taught" else "evidence") or {}
                subjects.append(
                    {
                        "id": subject_id(code, skill),
                        "kind": "skill",
                        "occupation": code,
                        "occupation_title": title,
                        "skill": skill,
                        "label": item["label"],
                        "taxonomy": item["taxonomy"],
                        "grade": item.get("grade", grade),
                        "covered": grade != "not taught",
                        "importance": item["importance"],
                        "similarity": item["similarity"],
                        "evidence": where.get("text"),
                        "sentence": where.get("sentence"),
                        "source": where.get("source"),
                        "sources": len(item.get("sources", [])) or 1,
                    }
                )
    return subjects


def _version(session: Session, program_id: int, number: int | None) -> ProgramVersion:
    if number is not None and not valid_id(number):
        raise NotFoundError(f"program {program_id} has no version {number}")
    q = select(ProgramVersion).where(ProgramVersion.program_id == program_id)
    q = q.where(ProgramVersion.number == number) if number else q.order_by(ProgramVersion.number.desc())
    version = session.scalars(q.limit(1)).first()
    if version is None:
        raise NotFoundError(f"program {program_id} has no version {number}")
    return version


def align_program(
    matcher: Matcher, program: Program, *, occupations: int = REVIEW_OCCUPATIONS, client: str = ""
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A snapshot's alignment (top ``ALIGN_TOP``) and the gaps of its first ``occupations``
    occupations (the no-specific-occupation row skipped)."""
    alignment = matcher.align(program, top_k=ALIGN_TOP, client=client).to_dict()
    gaps: list[dict[str, Any]] = []
    for occ in alignment["occupations"]:
        if len(gaps) >= occupations:
            break
        if occ["code"] == NO_MATCH_CODE:
            continue
        gaps.append(matcher.gaps(program, occ["code"], limit_missing=MAX_MISSING).to_dict())
    return alignment, gaps


def store_snapshot(
    s: Session,
    actor: Actor,
    *,
    program_id: int,
    version_id: int,
    version_number: int,
    versions: dict[str, Any],
    alignment: dict[str, Any],
    gaps: list[Any],
    created_by: int | None,
) -> AlignmentSnapshot:
    """Add an alignment snapshot of a program version (``versions``: the matcher's, model
    included) with its employer-review subjects, and audit it."""
    snap = AlignmentSnapshot(
        program_id=program_id,
        version_id=version_id,
        version_number=version_number,
        model_version=str(versions.get("model", "")),
        data_versions={k: v for k, v in versions.items() if k != "model"},
        alignment=alignment,
        gaps=gaps,
        subjects=build_subjects(gaps),
        created_by=created_by,
    )
    s.add(snap)
    s.flush()
    audit.record(
        s,
        actor,
        "alignment_snapshot.create",
        snap,
        after=snapshot_dict(snap, full=False),
        program_id=program_id,
    )
    return snap


def compute_snapshot(
    db: Database,
    actor: Actor,
    program_id: int,
    matcher: Matcher,
    *,
    version: int | None = None,
    occupations: int = REVIEW_OCCUPATIONS,
) -> dict[str, Any]:
    """Align a program version (default: the newest) and store the result as a snapshot."""
    with db.session() as s:
        record = load_program(s, actor, program_id, Action.EDIT)
        v = _version(s, record.id, version)
        content, version_id, number = v.content, v.id, v.number
    program = Program.model_validate(content)
    alignment, gaps = align_program(matcher, program, occupations=occupations, client=f"user:{actor.user_id}")
    versions = matcher.versions
    with db.transaction() as s:
        load_program(s, actor, program_id, Action.EDIT)  # still allowed now that it is computed
        snap = store_snapshot(
            s,
            actor,
            program_id=program_id,
            version_id=version_id,
            version_number=number,
            versions=versions,
            alignment=alignment,
            gaps=gaps,
            created_by=actor.user_id,
        )
        out = snapshot_dict(snap)
    log.info(
        "snapshot %s of program %s v%s: %d subjects", out["id"], program_id, number, len(out["subjects"])
    )
    return out


def load_snapshot(session: Session, program_id: int, snapshot_id: int | None) -> AlignmentSnapshot | None:
    """The given snapshot of the program, or its newest one (None when it has none)."""
    if snapshot_id is not None and not valid_id(snapshot_id):
        return None
    q = select(AlignmentSnapshot).where(AlignmentSnapshot.program_id == program_id)
    if snapshot_id is not None:
        q = q.where(AlignmentSnapshot.id == snapshot_id)
    return session.scalars(q.order_by(AlignmentSnapshot.id.desc()).limit(1)).first()


def get_snapshot(
    db: Database, actor: Actor, program_id: int, snapshot_id: int | None = None
) -> dict[str, Any]:
    """A snapshot (default: the newest) of a program the actor can see."""
    with db.session() as s:
        load_program(s, actor, program_id, Action.READ)
        snap = load_snapshot(s, program_id, snapshot_id)
        if snap is None:
            what = f"snapshot {snapshot_id}" if snapshot_id is not None else "alignment snapshot"
            raise NotFoundError(f"program {program_id} has no {what}")
        return snapshot_dict(snap)
