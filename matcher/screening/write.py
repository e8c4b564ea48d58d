"""Storing one screened program in one transaction: its provider organisation (created on first
sight), the program and a version (new, or a new version when the ETPL row changed), the
alignment snapshot, and the screening result with its Pell checks. A killed run leaves every
program either fully stored or not at all."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matcher.db import Database
from matcher.db.base import utcnow
from matcher.errors import ConflictError
from matcher.evidence.checklist import CheckInputs, pell_checks
from matcher.evidence.labour import LabourData
from matcher.evidence.occupations import aligned_occupations
from matcher.evidence.rules import Status
from matcher.review import audit
from matcher.review.actor import Actor
from matcher.review.programs import version_content
from matcher.review.snapshots import store_snapshot
from matcher.review.tables import AlignmentSnapshot, Organisation, ProgramRecord, ProgramVersion, User
from matcher.review.views import org_dict, program_dict, snapshot_dict, version_dict
from matcher.review.vocab import OrgKind, Role
from matcher.screening.plan import Item
from matcher.screening.tables import ScreeningResult
from matcher.screening.triggers import Current
from matcher.settings import Settings

MAX_ORG_NAME = 200


@dataclass(frozen=True)
class Context:
    """What every stored result of a run shares."""

    db: Database
    actor: Actor
    creator: int  # user id written as created_by
    run_id: int
    state: str
    current: Current
    labour: LabourData
    settings: Settings


def screening_user(db: Database, actor: Actor, state: str) -> int:
    """The user id that creates programs of a command-line screening: the state's inactive
    "ETPL screening" user (no password, no key: it cannot sign in), made on first use."""
    email = f"etpl-screening-{state.lower()}@matcher.invalid"
    with db.transaction() as s:
        user = s.scalar(select(User).where(User.email == email))
        if user is not None:
            return user.id
        org = _org(s, actor, f"{state} ETPL screening", OrgKind.STATE, state)
        user = User(org_id=org.id, email=email, name=f"ETPL screening ({state})", role=Role.REVIEWER.value)
        user.active = False
        s.add(user)
        s.flush()
        audit.record(s, actor, "user.create", user, after={"id": user.id, "email": email})
        return user.id


def _org(s: Session, actor: Actor, name: str, kind: OrgKind, state: str) -> Organisation:
    name = " ".join(name.split())[:MAX_ORG_NAME]
    short = name[: MAX_ORG_NAME - 8]
    for candidate in (name, f"{short} ({state})", *(f"{short} ({state} {n})" for n in range(2, 10))):
        org = s.scalar(select(Organisation).where(Organisation.name == candidate))
        if org is None:
            org = Organisation(name=candidate, kind=kind.value, state=state)
            s.add(org)
            s.flush()
            audit.record(s, actor, "organisation.create", org, after=org_dict(org))
            return org
        if org.kind == kind.value and org.state == state:
            return org
    raise ConflictError(f"organisation name {name!r} is taken by other kinds of organisation")


def provider_name(item: Item, state: str) -> str:
    return item.provider or f"{state} ETPL: provider not stated"


def _program(s: Session, ctx: Context, item: Item) -> tuple[ProgramRecord, ProgramVersion]:
    content, title, digest = version_content(item.program)
    if item.program_id is None:
        owner = _org(s, ctx.actor, provider_name(item, ctx.state), OrgKind.PROVIDER, ctx.state)
        record = ProgramRecord(
            owner_org_id=owner.id, state=ctx.state, title=title, latest_version=1, created_by=ctx.creator
        )
        s.add(record)
        s.flush()
        s.refresh(record)
        audit.record(s, ctx.actor, "program.create", record, after=program_dict(record), program_id=record.id)
        number = 1
    else:
        record = s.get_one(ProgramRecord, item.program_id)
        if not item.new_version:
            version = s.scalars(
                select(ProgramVersion).where(
                    ProgramVersion.program_id == record.id, ProgramVersion.number == record.latest_version
                )
            ).one()
            return record, version
        before = program_dict(record)
        number = (
            s.scalar(select(func.max(ProgramVersion.number)).where(ProgramVersion.program_id == record.id))
            or 0
        ) + 1
        record.title, record.latest_version = title, number
        s.flush()
        audit.record(
            s,
            ctx.actor,
            "program.update",
            record,
            before=before,
            after=program_dict(record),
            program_id=record.id,
        )
    version = ProgramVersion(
        program_id=record.id,
        number=number,
        title=title,
        content=content,
        content_sha256=digest,
        note="ETPL screening",
        created_by=ctx.creator,
    )
    s.add(version)
    s.flush()
    audit.record(
        s, ctx.actor, "program_version.create", version, after=version_dict(version), program_id=record.id
    )
    return record, version


def _occupations(occupations: list[dict[str, Any]], alignment: dict[str, Any]) -> list[dict[str, Any]]:
    scores = {o["code"]: o["score"] for o in alignment.get("occupations", [])}
    return [
        {
            "code": o["code"],
            "soc": o["soc"],
            "title": o["title"],
            "score": scores.get(o["code"], o["score"]),
            "coverage": o["coverage"],
            "counted": o["counted"],
            "on_list": o["on_state_list"],
        }
        for o in occupations
    ]


def store_result(ctx: Context, item: Item, alignment: dict[str, Any], gaps: list[dict[str, Any]]) -> int:
    """Store the program, its snapshot and its screening result; returns the program id."""
    versions = ctx.current.versions
    with ctx.db.transaction() as s:
        record, version = _program(s, ctx, item)
        snap = store_snapshot(
            s,
            ctx.actor,
            program_id=record.id,
            version_id=version.id,
            version_number=version.number,
            versions=versions,
            alignment=alignment,
            gaps=gaps,
            created_by=ctx.creator,
        )
        snapshot = snapshot_dict(snap)
        coverage = {g["occupation"]["code"]: g["coverage"] for g in gaps}
        occ_list = ctx.current.occupation_list
        occupations = aligned_occupations(alignment, coverage, ctx.state, ctx.labour, occ_list)
        checks = pell_checks(
            CheckInputs(
                db=ctx.db,
                program_id=record.id,
                version=version_dict(version),
                program=item.program,
                state=ctx.state,
                snapshot=snapshot,
                decisions=[],  # a new snapshot has no employer decisions yet
                occupations=occupations,
                occupation_list=occ_list,
                labour=ctx.labour,
                settings=ctx.settings,
            )
        )
        _write_result(s, ctx, item, record, version, snap, occupations, checks, alignment)
    return record.id


def _write_result(
    s: Session,
    ctx: Context,
    item: Item,
    record: ProgramRecord,
    version: ProgramVersion,
    snap: AlignmentSnapshot,
    occupations: list[dict[str, Any]],
    checks: list[Any],
    alignment: dict[str, Any],
) -> None:
    top = occupations[0] if occupations else None
    values: dict[str, Any] = {
        "external_id": item.external_id,
        "state": ctx.state,
        "provider_org_id": record.owner_org_id,
        "run_id": ctx.run_id,
        "snapshot_id": snap.id,
        "version_number": version.number,
        "title": record.title,
        "clock_hours": item.program.clock_hours,
        "weeks": item.program.weeks,
        "top_code": top["code"] if top else "",
        "top_title": top["title"][:300] if top else "",
        "top_score": float(top["score"]) if top else None,
        "top_coverage": top["coverage"] if top else None,
        "occupations": _occupations(occupations, alignment),
        "checks": [
            {"id": c.id, "name": c.name, "status": c.status.value, "reason": c.reason} for c in checks
        ],
        "passed": sum(c.status is Status.PASS for c in checks),
        "failed": sum(c.status is Status.FAIL for c in checks),
        "unknown": sum(c.status is Status.UNKNOWN for c in checks),
        "flags": [],
        "flagged": False,
        "model_version": ctx.current.model,
        "data_versions": ctx.current.recorded(top["code"] if top else ""),
        "screened_at": utcnow(),
        "updated_at": utcnow(),
    }
    row = s.scalar(select(ScreeningResult).where(ScreeningResult.program_id == record.id))
    before = None
    if row is None:
        row = ScreeningResult(program_id=record.id, **values)
        s.add(row)
        action = "screening_result.create"
    else:
        before = {"snapshot_id": row.snapshot_id, "flags": row.flags, "checks": row.checks}
        for k, v in values.items():
            setattr(row, k, v)
        action = "screening_result.update"
    s.flush()
    after = {"snapshot_id": row.snapshot_id, "checks": row.checks}
    audit.record(s, ctx.actor, action, row, before=before, after=after, program_id=record.id)
