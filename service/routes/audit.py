"""The audit log: every write, who made it and when, with the state before and after."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from matcher.review.history import read_audit
from matcher.review.schemas import AuditEntryOut, ListOut
from service.access import ActorDep, DbDep
from service.schemas import ErrorOut

router = APIRouter(tags=["audit"])


@router.get(
    "/audit",
    response_model=ListOut[AuditEntryOut],
    responses={401: {"model": ErrorOut}, 404: {"model": ErrorOut}},
)
def audit_log(
    actor: ActorDep,
    db: DbDep,
    program_id: Annotated[int | None, Query(description="Only entries about this program.")] = None,
    entity: Annotated[str | None, Query(max_length=32, description="e.g. review, program")] = None,
    entity_id: Annotated[str | None, Query(max_length=64)] = None,
    after_id: Annotated[int, Query(ge=0, description="Entries after this id (paging).")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict:
    """Audit entries in the order they were written (page with `after_id`).

    **Roles:** admin (everything); provider, employer and reviewer (entries about the programs
    they may see)."""
    data = read_audit(
        db, actor, program_id=program_id, entity=entity, entity_id=entity_id, after_id=after_id, limit=limit
    )
    return {"data": data, "count": len(data)}
