"""Reading the audit trail, filtered by what the actor may see (see ``policy``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from matcher.db import Database
from matcher.review import audit
from matcher.review.actor import Actor
from matcher.review.policy import Action, may_read_all_audit, visible_programs
from matcher.review.programs import load_program
from matcher.review.tables import ProgramRecord
from matcher.review.vocab import text_ok


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
    programs they may see (an invisible ``program_id`` is 404)."""
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
        return [audit.entry_dict(e) for e in rows]
