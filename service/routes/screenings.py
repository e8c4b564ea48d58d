"""List screening over HTTP: ``POST /screenings`` screens an ETPL export (JSON Lines, a JSON
list, or CSV) of one state; ``GET /screenings/results`` lists the stored results the caller may
see (JSON, CSV or XLSX); ``GET /screenings/{run_id}`` shows a run. Thin: the work is
:mod:`matcher.screening`."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy import select

from matcher.errors import BadInputError, ForbiddenError, NotFoundError, TooLargeError
from matcher.evidence.labour import labour_data
from matcher.review.accounts import normalise_state
from matcher.review.policy import require_screening
from matcher.review.vocab import Role
from matcher.screening.output import csv_bytes, xlsx_bytes
from matcher.screening.reader import read_exports
from matcher.screening.run import align_local, screen
from matcher.screening.store import get_result, list_results, results_for, run_dict
from matcher.screening.tables import ScreeningRun
from service.access import ActorDep, DbDep
from service.deps import MatcherDep
from service.schemas import ErrorOut

router = APIRouter(prefix="/screenings", tags=["screening"])
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut},
    403: {"model": ErrorOut},
    404: {"model": ErrorOut},
    413: {"model": ErrorOut},
    422: {"model": ErrorOut},
}
MAX_ROWS_PER_REQUEST = 100  # a request screens at most this many programs; send the rest after
_NAMES = {"text/csv": "export.csv", "text/tab-separated-values": "export.tsv"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TableFormat(StrEnum):
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


@router.post("", responses=ERRORS)
async def create(
    request: Request,
    actor: ActorDep,
    db: DbDep,
    matcher: MatcherDep,
    state: Annotated[str, Query(min_length=2, max_length=20, description="The list's state (NJ).")],
    refresh: Annotated[bool, Query(description="Also recompute the rows flagged for re-review.")] = False,
) -> dict:
    """Screen the programs of an ETPL export (the body: JSON Lines, a JSON list or CSV with a
    header; see docs/screening.md): each is stored under its provider, aligned and checked.
    Rows with problems are listed with their line (`errors`, `warnings`); the good rows are
    screened. At most 100 programs are computed per request; rows already screened are not
    computed again, so a longer list is sent again until `counts.screened` is 0.

    **Roles:** admin, reviewer (its state)."""
    code = normalise_state(state)
    if code is None:
        raise BadInputError(f"unknown state {state!r}")
    require_screening(actor, code)
    content = await request.body()
    if not content.strip():
        raise BadInputError("the body is empty: send the ETPL export")
    name = _NAMES.get(request.headers.get("content-type", "").split(";")[0].strip().lower(), "export.jsonl")
    from starlette.concurrency import run_in_threadpool

    def work() -> dict:
        export = read_exports([(name, content)], lambda c: matcher.catalog.cip(c) is not None)
        if not export.rows and export.errors:
            raise BadInputError(
                f"no row of the export can be screened ({len(export.errors)} error(s))",
                details={"errors": [p.to_dict() for p in export.errors[:100]]},
            )
        from matcher.screening.plan import plan_rows

        todo = len(plan_rows(db, code, export.rows, refresh=refresh).todo)
        if todo > MAX_ROWS_PER_REQUEST:
            raise TooLargeError(
                f"{todo} programs to compute; a request computes at most {MAX_ROWS_PER_REQUEST}: "
                "send the export in parts (rows already screened are skipped)",
                details={"limit": MAX_ROWS_PER_REQUEST, "to_compute": todo},
            )
        settings = request.app.state.settings
        outcome = screen(
            db,
            actor,
            export,
            code,
            versions=matcher.versions,
            aligner=align_local(matcher),
            settings=settings,
            labour=labour_data(settings.data_dir),
            refresh=refresh,
            source=f"POST /screenings ({name})",
        )
        with db.session() as s:
            programs = results_for(s, actor, code, outcome.external_ids)
        return {**outcome.run, "flagged_before_run": outcome.flagged, "programs": programs}

    return await run_in_threadpool(work)


@router.get("/results", responses=ERRORS, response_model=None)
def results(
    actor: ActorDep,
    db: DbDep,
    state: Annotated[str | None, Query(max_length=20)] = None,
    status: Annotated[str | None, Query(description="pass, fail or unknown")] = None,
    check: Annotated[str | None, Query(max_length=64, description="a check id, e.g. length_hours")] = None,
    flagged: bool | None = None,
    sort: str = "title",
    descending: bool = False,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    fmt: Annotated[TableFormat, Query(alias="format")] = TableFormat.JSON,
) -> Any:
    """Stored screening results the caller may see: a provider its own programs, an employer the
    programs shared with it, a reviewer its state's, an admin all. JSON, CSV or XLSX.

    **Roles:** any signed-in user."""
    with db.session() as s:
        rows, total = list_results(
            s,
            actor,
            state=normalise_state(state) if state else None,
            status=status,
            check=check,
            flagged=flagged,
            sort=sort,
            descending=descending,
            offset=offset,
            limit=limit,
        )
    if fmt is TableFormat.CSV:
        return Response(csv_bytes(rows), media_type="text/csv; charset=utf-8")
    if fmt is TableFormat.XLSX:
        return Response(xlsx_bytes(rows), media_type=XLSX)
    return {"total": total, "offset": offset, "limit": limit, "results": rows}


@router.get("/results/{program_id}", responses=ERRORS)
def result(program_id: int, actor: ActorDep, db: DbDep) -> dict:
    """The stored screening result of one program (404 when the caller may not see it).

    **Roles:** provider (own), employer (shared with it), reviewer (its state), admin."""
    with db.session() as s:
        return get_result(s, actor, program_id)


@router.get("/{run_id}", responses=ERRORS)
def get_run(run_id: int, actor: ActorDep, db: DbDep) -> dict:
    """One screening run: inputs, counts and the rows that could not be screened.

    **Roles:** admin, reviewer (its state)."""
    if actor.role not in (Role.ADMIN, Role.REVIEWER):
        raise ForbiddenError(f"a {actor.role.value} may not read screening runs")
    with db.session() as s:
        run = s.scalar(select(ScreeningRun).where(ScreeningRun.id == run_id))
        if run is None:
            raise NotFoundError(f"unknown screening run {run_id}")
        require_screening(actor, run.state)
        return run_dict(run)
