"""Rows as plain dicts: what the API returns, the web UI renders and the audit log stores."""

from __future__ import annotations

from typing import Any

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


def org_dict(o: Organisation) -> dict[str, Any]:
    return {"id": o.id, "name": o.name, "kind": o.kind, "state": o.state}


def user_dict(u: User) -> dict[str, Any]:
    return {
        "id": u.id,
        "email": u.email,
        "name": u.name,
        "role": u.role,
        "active": u.active,
        "organisation": org_dict(u.org),
    }


def person(u: User) -> dict[str, Any]:
    """Who did something, as other organisations see it (no email address)."""
    return {"id": u.id, "name": u.name, "organisation": u.org.name}


def key_dict(k: ApiKey) -> dict[str, Any]:
    return {
        "id": k.id,
        "prefix": k.prefix,
        "label": k.label,
        "user_id": k.user_id,
        "created_at": k.created_at.isoformat(),
        "revoked_at": k.revoked_at.isoformat() if k.revoked_at else None,
    }


def program_dict(p: ProgramRecord) -> dict[str, Any]:
    return {
        "id": p.id,
        "title": p.title,
        "state": p.state,
        "provider": {"id": p.owner.id, "name": p.owner.name},
        "latest_version": p.latest_version,
        "created_at": p.created_at.isoformat(),
    }


def version_dict(v: ProgramVersion, *, content: bool = True) -> dict[str, Any]:
    d: dict[str, Any] = {
        "number": v.number,
        "title": v.title,
        "note": v.note,
        "content_sha256": v.content_sha256,
        "created_at": v.created_at.isoformat(),
        "created_by": v.created_by,
    }
    if content:
        d["program"] = v.content
    return d


def share_dict(s: ProgramShare) -> dict[str, Any]:
    return {
        "program_id": s.program_id,
        "organisation": org_dict(s.org),
        "shared_by": s.shared_by,
        "created_at": s.created_at.isoformat(),
    }


def snapshot_dict(s: AlignmentSnapshot, *, full: bool = True) -> dict[str, Any]:
    d: dict[str, Any] = {
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
    if full:
        d["alignment"] = s.alignment
        d["gaps"] = s.gaps
        d["subjects"] = s.subjects
    return d


def review_dict(r: Review) -> dict[str, Any]:
    return {
        "id": r.id,
        "program_id": r.program_id,
        "snapshot_id": r.snapshot_id,
        "occupation": r.occupation_code,
        "skill": r.skill_key or None,
        "subject": r.subject_label,
        "decision": r.decision,
        "decision_label": DECISION_LABELS[Decision(r.decision)],
        "comment": r.comment,
        "version": r.version,
        "organisation": {"id": r.org.id, "name": r.org.name},
        "created_by": person(r.author),
        "created_at": r.created_at.isoformat(),
        "updated_by": person(r.editor),
        "updated_at": r.updated_at.isoformat(),
    }
