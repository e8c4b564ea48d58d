"""Reading the audit trail, filtered by what the actor may see (see ``policy``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from matcher.db import Database
from matcher.review import audit
from matcher.review.actor import Actor
from matcher.review.policy import Action, may_read_all_audit, visible_programs
from matcher.review.programs import load_program
from matcher.review.tables import AuditEntry, ProgramRecord, User
from matcher.review.vocab import Role, text_ok


def read_audit(
    db: Database,
    actor: Actor,
    *,
    program_id: int | None = None,
    entity: str | None = None,
    entity_id: str | None = None,
    after_id: int = 0,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """Audit entries in writing order. Admins read everything; others read the entries about
    programs they may see (an invisible ``program_id`` is 404), with other organisations'
    actors by name, role and organisation (:func:`shown_actor`)."""
    if not text_ok(f"{entity or ''}{entity_id or ''}"):
        return []
    with db.session() as s:
        if program_id is not None:
            load_program(s, actor, program_id, Action.READ)
            scope: Any = [program_id]
            everything = False
        else:
            everything = may_read_all_audit(actor)
            scope = select(ProgramRecord.id).where(visible_programs(actor))
        rows = audit.entries(
            s,
            program_ids=scope,
            all_programs=everything,
            entity=entity,
            entity_id=entity_id,
            after_id=min(max(after_id, 0), 2**63 - 1),
            limit=limit,
        )
        ids = {e.actor_user_id for e in rows if e.actor_user_id is not None}
        users = {u.id: u for u in s.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
        return [{**audit.entry_dict(e), "actor": shown_actor(e, actor, users)} for e in rows]


def shown_actor(entry: AuditEntry, viewer: Actor, users: dict[int, User]) -> str:
    """Who made an entry, as ``viewer`` may see it: admins and the actor's own organisation
    read the label as written ("name <email> (role, organisation)"); other organisations read
    the name, role and organisation only, never the email address (as ``/reviews`` shows them)."""
    if entry.actor_user_id is None or viewer.role is Role.ADMIN or entry.actor_org_id == viewer.org_id:
        return entry.actor
    user = users.get(entry.actor_user_id)
    if user is None:
        return "a user of another organisation"
    label = entry.actor.replace(f" <{user.email}>", "")
    return (
        label
        if user.email not in label and "<" not in label
        else f"{user.name} ({user.role}, {user.org.name})"
    )
