"""Job postings: bulk import, stats, and regional skill demand per occupation.

``POST /postings`` takes at most :data:`~matcher.postings.store.MAX_BATCH` (1,000) postings per
request (20 MB), as JSON (an array, ``{"postings": [...]}``, a schema.org ``JobPosting`` or an
``@graph`` of them), JSON Lines (``application/x-ndjson``), CSV (``text/csv``) or HTML. Each
record is a flat object (``title``, ``description``, ``employer``, ``location``, ``date_posted``,
``salary_min``/``salary_max``, ``soc`` ...; the CSV header aliases apply) or a JobPosting.
Records that cannot be used are listed in ``error_details`` with their position (JSON) or line
(JSON Lines, CSV); the good ones are stored in one transaction.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Path, Query, Request
from pydantic import BaseModel, Field

from matcher.db import Database, get_database
from matcher.errors import BadInputError, TooLargeError
from matcher.postings.demand import occupation_demand, stats
from matcher.postings.readers import parse_postings
from matcher.postings.record import ReadResult, RecordError
from matcher.postings.store import MAX_BATCH, PostingStore
from matcher.postings.tabular import read_objects
from matcher.postings.wiring import coder_of, extractor_of
from matcher.review.policy import require_postings_import
from matcher.settings import Settings
from matcher.text import json_input
from service.access import ActorDep
from service.deps import MatcherDep
from service.schemas import ErrorOut

log = logging.getLogger(__name__)

router = APIRouter(tags=["postings"])
_FORMATS = {
    "application/json": "json",
    "application/ld+json": "jsonld",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/x-jsonlines": "jsonl",
    "text/csv": "csv",
    "text/tab-separated-values": "csv",
    "text/html": "html",
    "text/plain": "text",
}


def open_database(app: FastAPI, settings: Settings) -> Database | None:
    """Open (and migrate) the database at start-up; the service still starts if it cannot."""
    try:
        db = get_database(settings)
        db.ensure_schema()
        app.state.database = db
        log.info("database ready: %s", db.describe())
        return db
    except Exception as exc:  # noqa: BLE001 - reported on every database route instead
        app.state.database_error = str(getattr(exc, "message", exc))
        log.error("the service starts without its database: %s", app.state.database_error)
        return None


def get_db(request: Request) -> Database:
    db = getattr(request.app.state, "database", None)
    if db is None:
        db = get_database(request.app.state.settings)
        db.ensure_schema()
        request.app.state.database = db
    return db


DatabaseDep = Annotated[Database, Depends(get_db)]


class RecordErrorOut(BaseModel):
    line: int | None = Field(description="line in the body (JSON Lines, CSV) or position in a JSON batch")
    id: str | None = None
    message: str


class RecordOut(BaseModel):
    line: int | None = None
    status: str = Field(description="stored | near_duplicate | duplicate")
    posting_id: int | None = None
    cluster_id: int | None = None
    external_id: str | None = None
    code: str | None = None
    confidence: float | None = None
    needs_review: bool = False


class ImportOut(BaseModel):
    source: str
    format: str
    batches: list[int]
    received: int
    stored: int
    duplicates: int
    near_duplicates: int
    merged: int
    errors: int
    needs_review: int
    coded: dict[str, int]
    skills: int | None = Field(None, description="skill mentions stored; null while no extractor exists")
    seconds: float
    coder_version: str
    error_details: list[RecordErrorOut]
    records: list[RecordOut]


class SkillDemandOut(BaseModel):
    taxonomy: str
    id: str
    label: str
    postings: int
    share: float = Field(
        description="share of the occupation's postings (in the area and period) asking for it"
    )


class DemandOut(BaseModel):
    code: str
    title: str
    area: str | None
    since: date | None
    postings: int = Field(description="distinct postings (near duplicates count once)")
    stored: int
    postings_with_skills: int
    by_month: dict[str, int]
    by_area: list[dict[str, Any]]
    skills: list[SkillDemandOut]


def _read_body(content: bytes, content_type: str) -> tuple[str, ReadResult]:
    kind = _FORMATS.get(content_type.split(";")[0].strip().lower(), "json")
    if kind != "json":
        return parse_postings(content, f"request.{kind}", kind)
    data = json_input.loads(content)  # service.json_body has checked it already; this is the same path
    if isinstance(data, dict) and isinstance(data.get("postings"), list):
        items = data["postings"]
    elif isinstance(data, list):
        items = data
    elif isinstance(data, dict):
        items = [data]
    else:
        raise BadInputError('expected a JSON array of postings or {"postings": [...]}')
    if len(items) > MAX_BATCH:
        raise TooLargeError(
            f"{len(items):,} postings in one request; the limit is {MAX_BATCH:,}: send several requests",
            details={"limit": MAX_BATCH, "received": len(items)},
        )
    return "json", read_objects(items)


@router.post(
    "/postings",
    response_model=ImportOut,
    response_model_exclude_none=True,
    responses={
        401: {"model": ErrorOut},
        403: {"model": ErrorOut},
        413: {"model": ErrorOut},
        422: {"model": ErrorOut},
        503: {"model": ErrorOut},
    },
)
async def import_postings(
    request: Request,
    actor: ActorDep,
    matcher: MatcherDep,
    db: DatabaseDep,
    source: Annotated[str, Query(max_length=200, description="Where the postings come from.")] = "api",
) -> dict:
    """Import up to 1,000 postings: de-duplicate, code each to O*NET-SOC (or mark it "needs
    review"), extract skills, store in one transaction. Bad records are reported one by one
    (``error_details``) and never reject the good ones; 422 only when none could be used.

    **Roles:** admin (postings feed the demand ranking of every program's gaps)."""
    require_postings_import(actor)
    content = await request.body()  # bounded while it streams in (service.limits)
    limit = request.app.state.settings.max_upload_bytes
    if len(content) > limit:
        raise TooLargeError(f"the body is {len(content):,} bytes; the limit is {limit:,}")
    if not content.strip():
        raise BadInputError("the body is empty")
    fmt, result = _read_body(content, request.headers.get("content-type", "application/json"))
    if len(result.records) > MAX_BATCH:
        raise TooLargeError(
            f"{len(result.records):,} postings in one request; the limit is {MAX_BATCH:,}: "
            "send several requests",
            details={"limit": MAX_BATCH, "received": len(result.records)},
        )
    from starlette.concurrency import run_in_threadpool

    store = PostingStore(db, coder_of(matcher), extractor_of(matcher))
    report = await run_in_threadpool(store.import_result, result, source=source, fmt=fmt)
    body = report.to_dict()
    if not report.stored and not report.duplicates:
        raise BadInputError(
            f"none of the {report.received} postings could be imported",
            details={"errors": body["error_details"][:MAX_BATCH]},
        )
    return body


@router.get("/postings/stats", responses={503: {"model": ErrorOut}})
def postings_stats(db: DatabaseDep, top: Annotated[int, Query(ge=1, le=1000)] = 50) -> dict:
    """Stored postings by occupation and area, and how many need review."""
    return stats(db, top=top)


@router.get(
    "/occupations/{code}/demand",
    response_model=DemandOut,
    responses={404: {"model": ErrorOut}, 422: {"model": ErrorOut}},
)
def occupation_demand_route(
    matcher: MatcherDep,
    db: DatabaseDep,
    code: Annotated[str, Path(max_length=20, description="O*NET-SOC code, e.g. 15-1252.00")],
    area: Annotated[
        str | None,
        Query(max_length=200, description="State (NJ or New Jersey), county, metro, city or country"),
    ] = None,
    since: Annotated[date | None, Query(description="Only postings dated on or after this day")] = None,
    top: Annotated[int, Query(ge=1, le=200, description="Skills to list")] = 50,
) -> dict:
    """Posting counts for the occupation in the area and period (by month and area), and per
    skill the share of those postings that ask for it."""
    occ = matcher.catalog.occupation(code)
    demand = occupation_demand(db, occ.code, area=area, since=since, max_skills=top)
    return {**demand.to_dict(), "title": occ.title}


__all__ = ["DatabaseDep", "RecordError", "open_database", "router"]
