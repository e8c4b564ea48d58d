"""Rows as plain dicts: what the API returns, the web UI renders and the audit log stores. Each is
built as its response model (:mod:`matcher.review.schemas`, the one declaration of its fields), so
a field the model does not declare, or one of the wrong type, fails here and in the type check."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from matcher.review.schemas import (
    ApiKeyOut,
    OrganisationOut,
    OrganisationRef,
    Person,
    ProgramBase,
    ProviderRef,
    ReviewOut,
    ShareOut,
    SnapshotOut,
    SnapshotSummary,
    UserOut,
    VersionOut,
)
from matcher.review.tables import (
    AlignmentSnapshot,
    ApiKey,
    Organisation,
    ProgramRecord,
    ProgramShare,
    ProgramVersion,
    Review,
    User,
)
from matcher.review.vocab import DECISION_LABELS, Decision


def _dict(model: BaseModel, mode: str = "python") -> dict[str, Any]:
    return model.model_dump(mode=mode, exclude_unset=True)


def _org(o: Organisation) -> OrganisationOut:
    return OrganisationOut(id=o.id, name=o.name, kind=o.kind, state=o.state)


def _person(u: User) -> Person:
    return Person(id=u.id, name=u.name, organisation=u.org.name)


def org_dict(o: Organisation) -> dict[str, Any]:
    return _dict(_org(o))


def user_dict(u: User) -> dict[str, Any]:
    return _dict(
        UserOut(id=u.id, email=u.email, name=u.name, role=u.role, active=u.active, organisation=_org(u.org))
    )


def person(u: User) -> dict[str, Any]:
    """Who did something, as other organisations see it (no email address)."""
    return _dict(_person(u))


def key_dict(k: ApiKey) -> dict[str, Any]:
    return _dict(
        ApiKeyOut(
            id=k.id,
            prefix=k.prefix,
            label=k.label,
            user_id=k.user_id,
            created_at=k.created_at.isoformat(),
            revoked_at=k.revoked_at.isoformat() if k.revoked_at else None,
        )
    )


def program_dict(p: ProgramRecord) -> dict[str, Any]:
    return _dict(
        ProgramBase(
            id=p.id,
            title=p.title,
            state=p.state,
            provider=ProviderRef(id=p.owner.id, name=p.owner.name),
            latest_version=p.latest_version,
            created_at=p.created_at.isoformat(),
        )
    )


def version_dict(v: ProgramVersion, *, content: bool = True) -> dict[str, Any]:
    out = VersionOut(
        number=v.number,
        title=v.title,
        note=v.note,
        content_sha256=v.content_sha256,
        created_at=v.created_at.isoformat(),
        created_by=v.created_by,
    )
    if content:
        out.program = v.content
    return _dict(out)


def share_dict(s: ProgramShare) -> dict[str, Any]:
    return _dict(
        ShareOut(
            program_id=s.program_id,
            organisation=_org(s.org),
            shared_by=s.shared_by,
            created_at=s.created_at.isoformat(),
        )
    )


def snapshot_dict(s: AlignmentSnapshot, *, full: bool = True) -> dict[str, Any]:
    summary = SnapshotSummary.model_validate(
        {
            "id": s.id,
            "program_id": s.program_id,
            "version": s.version_number,
            "model_version": s.model_version,
            "data_versions": s.data_versions,
            "created_at": s.created_at.isoformat(),
            "created_by": s.created_by,
            "occupations": [
                {"code": o["code"], "title": o["title"], "score": o["score"]}
                for o in s.alignment.get("occupations", [])
            ],
        }
    )
    if not full:
        return _dict(summary)
    return _dict(SnapshotOut(**dict(summary), alignment=s.alignment, gaps=s.gaps, subjects=s.subjects))


def review_dict(r: Review) -> dict[str, Any]:
    return _dict(
        ReviewOut(
            id=r.id,
            program_id=r.program_id,
            snapshot_id=r.snapshot_id,
            occupation=r.occupation_code,
            skill=r.skill_key or None,
            subject=r.subject_label,
            decision=Decision(r.decision),
            decision_label=DECISION_LABELS[Decision(r.decision)],
            comment=r.comment,
            version=r.version,
            organisation=OrganisationRef(id=r.org.id, name=r.org.name),
            created_by=_person(r.author),
            created_at=r.created_at.isoformat(),
            updated_by=_person(r.editor),
            updated_at=r.updated_at.isoformat(),
        ),
        mode="json",  # the decision as its plain string, as stored
    )
