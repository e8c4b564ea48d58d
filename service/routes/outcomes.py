"""Program outcomes for the Workforce Pell outcome checks: ``POST /outcomes`` imports a CSV or
XLSX of completion, placement and earnings figures (docs/outcomes.md). Thin:
:mod:`matcher.outcomes` reads, checks and stores."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, UploadFile
from starlette.concurrency import run_in_threadpool

from matcher.errors import BadInputError
from matcher.outcomes.store import import_outcomes
from service.access import ActorDep, DbDep
from service.schemas import ErrorOut

router = APIRouter(tags=["outcomes"])
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut},
    403: {"model": ErrorOut},
    413: {"model": ErrorOut},
    422: {"model": ErrorOut, "description": "bad header or mapping, or no row could be stored"},
}


def _mapping(text: str | None) -> dict[str, str]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise BadInputError(
            'mapping must be a JSON object of field -> column, e.g. {"completion_rate": "Done %"}'
        )
    return value


@router.post("/outcomes", responses=ERRORS)
async def import_file(
    actor: ActorDep,
    db: DbDep,
    file: Annotated[UploadFile, File(description="CSV or XLSX, one row per program and period.")],
    state: Annotated[str, Form(description="Two-letter state code of the programs.")],
    kind: Annotated[str, Form(description="etpl (the state's performance data) or provider.")] = "etpl",
    source: Annotated[str, Form(description="Where the figures come from (report, URL).")] = "",
    mapping: Annotated[str | None, Form(description="JSON object: field -> column header.")] = None,
) -> dict[str, Any]:
    """Import outcome figures (completion, placement within 180 days, median earnings of
    completers; column mapping in docs/outcomes.md): the good rows are stored together, each bad
    row comes back in `errors` with its line. 422 when no row could be stored.

    **Roles:** admin, reviewer (its own state)."""
    content = await file.read()
    name = file.filename or "outcomes.csv"
    report = await run_in_threadpool(
        lambda: import_outcomes(
            db, actor, state, content, filename=name, kind=kind, source=source, mapping=_mapping(mapping)
        )
    )
    if not report.stored:
        raise BadInputError(f"{name}: no row could be stored", details=report.to_dict())
    return report.to_dict()
