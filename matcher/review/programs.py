"""Programs under review: create, add a version (never overwriting an old one), list, read,
share with employer organisations."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from matcher.db import Database
from matcher.errors import BadInputError, ConflictError, NotFoundError
from matcher.program import Program
from matcher.review import audit
from matcher.review.accounts import normalise_state
from matcher.review.actor import Actor
from matcher.review.policy import Action, require_create_program, require_program, visible_programs
from matcher.review.tables import (
    AlignmentSnapshot,
    Organisation,
    ProgramRecord,
    ProgramShare,
    ProgramVersion,
    Review,
)
from matcher.review.views import program_dict, share_dict, snapshot_dict, version_dict
from matcher.review.vocab import OrgKind, text_ok, valid_id

MAX_TITLE_CHARS = 500
MAX_NOTE_CHARS = 1000


def shared_with(session: Session, program_id: int) -> set[int]:
    return set(session.scalars(select(ProgramShare.org_id).where(ProgramShare.program_id == program_id)))


def load_program(session: Session, actor: Actor, program_id: int, action: Action) -> ProgramRecord:
    """The program if the actor may ``action`` it (404 when unknown or invisible, else 403)."""
    program = session.get(ProgramRecord, program_id) if valid_id(program_id) else None
    shares = shared_with(session, program_id) if program is not None else set()
    return require_program(actor, program, shares, action, program_id)


def version_content(program: Program) -> tuple[dict[str, Any], str, str]:
    """(content JSON, title, SHA-256 of the content) of a new program version; refuses programs
    without text, over-long titles and NUL characters."""
    if not program.has_text():
        raise BadInputError("the program has no text: give at least a title or a description")
    title = " ".join(program.title.split()) or program.description.strip().split("\n")[0][:80]
    if len(title) > MAX_TITLE_CHARS:
        raise BadInputError(f"the title is longer than {MAX_TITLE_CHARS} characters")
    content = program.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    if not _all_text_ok(content):
        raise BadInputError("the program contains a NUL character")
    digest = hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()
    return content, title, digest


def _all_text_ok(value: Any) -> bool:
    if isinstance(value, str):
        return text_ok(value)
    if isinstance(value, dict):
        return all(_all_text_ok(k) and _all_text_ok(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_all_text_ok(v) for v in value)
    return True


def _note(note: str) -> str:
    note = (note or "").strip()
    if not text_ok(note):
        raise BadInputError("the version note contains a NUL character")
    if len(note) > MAX_NOTE_CHARS:
        raise BadInputError(f"the version note is longer than {MAX_NOTE_CHARS} characters")
    return note


def create_program(db: Database, actor: Actor, program: Program, *, note: str = "") -> dict[str, Any]:
    """A new program owned by the actor's (provider) organisation, with version 1."""
    require_create_program(actor)
    content, title, digest = version_content(program)
    note = _note(note)
    state = normalise_state(program.state) if program.state else actor.state
    with db.transaction() as s:
        record = ProgramRecord(
            owner_org_id=actor.org_id, state=state, title=title, latest_version=1, created_by=actor.user_id
        )
        s.add(record)
        s.flush()
        version = ProgramVersion(
            program_id=record.id,
            number=1,
            title=title,
            content=content,
            content_sha256=digest,
            note=note,
            created_by=actor.user_id,
        )
        s.add(version)
        s.flush()
        s.refresh(record)
        out = program_dict(record)
        audit.record(s, actor, "program.create", record, after=out, program_id=record.id)
        audit.record(
            s, actor, "program_version.create", version, after=version_dict(version), program_id=record.id
        )
    out["version"] = version_dict(version)
    return out


def add_version(
    db: Database, actor: Actor, program_id: int, program: Program, *, note: str = ""
) -> dict[str, Any]:
    """Version n+1 of a program; earlier versions (and their snapshots and reviews) stay."""
    content, title, digest = version_content(program)
    note = _note(note)
    try:
        with db.transaction() as s:
            record = load_program(s, actor, program_id, Action.EDIT)
            newest = s.scalar(
                select(func.max(ProgramVersion.number)).where(ProgramVersion.program_id == record.id)
            )
            before = program_dict(record)
            version = ProgramVersion(
                program_id=record.id,
                number=(newest or 0) + 1,
                title=title,
                content=content,
                content_sha256=digest,
                note=note,
                created_by=actor.user_id,
            )
            s.add(version)
            record.title = title
            record.latest_version = version.number
            s.flush()
            out = program_dict(record)
            audit.record(s, actor, "program.update", record, before=before, after=out, program_id=record.id)
            audit.record(
                s, actor, "program_version.create", version, after=version_dict(version), program_id=record.id
            )
    except IntegrityError:
        raise ConflictError("another version was added at the same time; reload and retry") from None
    out["version"] = version_dict(version)
    return out


def list_programs(db: Database, actor: Actor) -> list[dict[str, Any]]:
    with db.session() as s:
        rows = s.scalars(select(ProgramRecord).where(visible_programs(actor)).order_by(ProgramRecord.id))
        programs = [program_dict(p) for p in rows]
        ids = [p["id"] for p in programs]
        counts = dict(
            s.execute(
                select(Review.program_id, func.count())
                .where(Review.program_id.in_(ids))
                .group_by(Review.program_id)
            ).all()
        )
        for p in programs:
            p["review_count"] = counts.get(p["id"], 0)
        return programs


def get_program(db: Database, actor: Actor, program_id: int) -> dict[str, Any]:
    """The program with its versions (newest with content), shares and snapshots."""
    with db.session() as s:
        record = load_program(s, actor, program_id, Action.READ)
        versions = list(
            s.scalars(
                select(ProgramVersion)
                .where(ProgramVersion.program_id == record.id)
                .order_by(ProgramVersion.number)
            )
        )
        shares = s.scalars(
            select(ProgramShare).where(ProgramShare.program_id == record.id).order_by(ProgramShare.created_at)
        )
        snapshots = s.scalars(
            select(AlignmentSnapshot)
            .where(AlignmentSnapshot.program_id == record.id)
            .order_by(AlignmentSnapshot.id)
        )
        out = program_dict(record)
        out["versions"] = [version_dict(v, content=False) for v in versions]
        out["current"] = version_dict(versions[-1])
        out["shared_with"] = [share_dict(sh) for sh in shares]
        out["snapshots"] = [snapshot_dict(sn, full=False) for sn in snapshots]
        return out


def get_version(db: Database, actor: Actor, program_id: int, number: int) -> dict[str, Any]:
    with db.session() as s:
        record = load_program(s, actor, program_id, Action.READ)
        if not valid_id(number):
            raise NotFoundError(f"program {program_id} has no version {number}")
        version = s.scalar(
            select(ProgramVersion).where(
                ProgramVersion.program_id == record.id, ProgramVersion.number == number
            )
        )
        if version is None:
            raise NotFoundError(f"program {program_id} has no version {number}")
        return version_dict(version)


def share_program(db: Database, actor: Actor, program_id: int, org_id: int) -> tuple[dict[str, Any], bool]:
    """Share with an employer organisation: ``(share, created)``; sharing twice changes nothing."""
    try:
        with db.transaction() as s:
            record = load_program(s, actor, program_id, Action.SHARE)
            org = s.get(Organisation, org_id) if valid_id(org_id) else None
            if org is None:
                raise NotFoundError(f"unknown organisation id {org_id}")
            if org.kind != OrgKind.EMPLOYER.value:
                raise BadInputError(
                    "programs are shared with employer organisations; "
                    "state reviewers already see every program of their state"
                )
            existing = s.get(ProgramShare, (record.id, org.id))
            if existing is not None:
                return share_dict(existing), False
            share = ProgramShare(program_id=record.id, org_id=org.id, shared_by=actor.user_id, org=org)
            s.add(share)
            s.flush()
            out = share_dict(share)
            audit.record(s, actor, "program.share", share, after=out, program_id=record.id)
    except IntegrityError:
        raise ConflictError("the program was shared with that organisation at the same time") from None
    return out, True


def unshare_program(db: Database, actor: Actor, program_id: int, org_id: int) -> bool:
    """Stop sharing; the organisation's reviews stay on record. False when it was not shared."""
    with db.transaction() as s:
        record = load_program(s, actor, program_id, Action.SHARE)
        share = s.get(ProgramShare, (record.id, org_id)) if valid_id(org_id) else None
        if share is None:
            return False
        audit.record(s, actor, "program.unshare", share, before=share_dict(share), program_id=record.id)
        s.delete(share)
    return True
