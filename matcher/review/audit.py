"""The append-only audit log: one entry per write, in the same transaction as the write.

:func:`record` adds the entry. Three guards make "a write without its entry" impossible rather
than merely unlikely:

- ``after_flush`` notes every inserted, updated or deleted row of an :class:`Audited` table and
  every new :class:`AuditEntry`;
- ``before_commit`` flushes, then refuses to commit (the transaction rolls back) when a written
  row has no entry naming it;
- ``before_flush`` refuses updates and deletes of audit entries, program versions and
  snapshots (written once). The migration also installs database triggers that reject
  ``UPDATE`` and ``DELETE`` on ``audit_log``.
"""

from __future__ import annotations

import logging
from datetime import datetime
from itertools import chain
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from matcher.errors import MatcherError
from matcher.review.actor import Actor
from matcher.review.schemas import AuditEntryOut
from matcher.review.tables import IMMUTABLE, Audited, AuditEntry

log = logging.getLogger(__name__)

_WRITTEN = "review_audit_written"
_LOGGED = "review_audit_logged"
MAX_LIST = 1000


class AuditIntegrityError(MatcherError):
    """A programming error: a write was about to be committed without its audit entry."""


def record(
    session: Session,
    actor: Actor,
    action: str,
    obj: Audited,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    program_id: int | None = None,
) -> AuditEntry:
    """Add the audit entry of a write to ``obj`` (flushes first, so new rows have their id)."""
    session.flush()
    entity, entity_id = obj.audit_key()
    entry = AuditEntry(
        actor_user_id=actor.user_id,
        actor_org_id=actor.org_id,
        actor=actor.label[:300],
        action=action,
        entity=entity,
        entity_id=entity_id,
        program_id=program_id,
        before=_jsonable(before),
        after=_jsonable(after),
    )
    session.add(entry)
    return entry


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def entry_dict(e: AuditEntry) -> dict[str, Any]:
    return AuditEntryOut(
        id=e.id,
        at=e.at.isoformat(),
        actor=e.actor,
        actor_user_id=e.actor_user_id,
        actor_org_id=e.actor_org_id,
        action=e.action,
        entity=e.entity,
        entity_id=e.entity_id,
        program_id=e.program_id,
        before=e.before,
        after=e.after,
    ).model_dump()


def entries(
    session: Session,
    *,
    program_ids: Any = None,
    all_programs: bool = False,
    entity: str | None = None,
    entity_id: str | None = None,
    after_id: int = 0,
    limit: int = 100,
) -> list[AuditEntry]:
    """Entries in order of writing. ``program_ids`` (ids or a subquery) restricts them to those
    programs unless ``all_programs`` (admins, who also see entries about no program)."""
    q = select(AuditEntry).where(AuditEntry.id > after_id)
    if not all_programs:
        q = q.where(AuditEntry.program_id.in_(program_ids))
    if entity:
        q = q.where(AuditEntry.entity == entity)
    if entity_id:
        q = q.where(AuditEntry.entity_id == entity_id)
    q = q.order_by(AuditEntry.id).limit(max(1, min(limit, MAX_LIST)))
    return list(session.scalars(q))


# -- guards -----------------------------------------------------------------------------------------
@event.listens_for(Session, "before_flush")
def _refuse_rewrites(session: Session, _ctx: Any, _instances: Any) -> None:
    for obj in chain(session.dirty, session.deleted):
        if isinstance(obj, IMMUTABLE) and (obj in session.deleted or session.is_modified(obj)):
            raise AuditIntegrityError(f"{type(obj).__name__} rows are written once and never changed")


@event.listens_for(Session, "after_flush")
def _note_writes(session: Session, _ctx: Any) -> None:
    written = session.info.get(_WRITTEN)
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, AuditEntry) and obj in session.new:
            session.info.setdefault(_LOGGED, set()).add((obj.entity, obj.entity_id))
        elif isinstance(obj, Audited) and (obj not in session.dirty or session.is_modified(obj)):
            if written is None:
                written = session.info[_WRITTEN] = {}
            written[obj.audit_key()] = type(obj).__name__


@event.listens_for(Session, "before_commit")
def _require_entries(session: Session) -> None:
    if session.new or session.dirty or session.deleted:
        session.flush()  # commit would flush after this hook; the check must see those writes
    if not session.info.get(_WRITTEN):
        return
    written: dict[tuple[str, str], str] = session.info.get(_WRITTEN, {})
    logged: set[tuple[str, str]] = session.info.get(_LOGGED, set())
    missing = [key for key in written if key not in logged]
    if missing:
        _forget(session)
        log.error("refused to commit writes without audit entries: %s", missing)
        raise AuditIntegrityError(f"writes without an audit entry: {missing}")


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_WRITTEN, None)
    session.info.pop(_LOGGED, None)
