"""Workforce Pell evidence packets (HTML, PDF, JSON) and the program in CTDL and schema.org
JSON-LD. Thin: the packet is built and rendered by :mod:`matcher.evidence`."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

from matcher.evidence import build_packet, render_html, render_pdf, to_ctdl, to_schema_org
from service.access import ActorDep, DbDep
from service.deps import SettingsDep
from service.schemas import ErrorOut

router = APIRouter(prefix="/programs/{program_id}", tags=["evidence"])
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut},
    404: {"model": ErrorOut},
    406: {"model": ErrorOut},
    422: {"model": ErrorOut},
}
# The packet page is a standalone document: its own inline style and a data-URI chart, nothing else.
PACKET_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'none'; "
        "base-uri 'none'; form-action 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}
JSONLD = "application/ld+json"


class PacketFormat(StrEnum):
    JSON = "json"
    HTML = "html"
    PDF = "pdf"


VersionQuery = Annotated[int | None, Query(ge=1, description="Program version (default: the newest).")]


def _negotiate(fmt: PacketFormat | None, accept: str | None) -> PacketFormat:
    if fmt is not None:
        return fmt
    wanted = [part.split(";")[0].strip().lower() for part in (accept or "").split(",") if part.strip()]
    for media in wanted:
        if media == "application/pdf":
            return PacketFormat.PDF
        if media in ("text/html", "application/xhtml+xml"):
            return PacketFormat.HTML
        if media in ("application/json", "application/*", "*/*"):
            return PacketFormat.JSON
    if not wanted:
        return PacketFormat.JSON
    raise HTTPException(
        406, "this route answers application/json, text/html or application/pdf (or ?format=)"
    )


def _filename(packet: dict[str, Any], ext: str) -> str:
    prog = packet["program"]
    return f"evidence-program-{prog['id']}-v{prog['version']}.{ext}"


@router.get(
    "/evidence",
    responses={
        **ERRORS,
        200: {
            "description": "The packet as JSON, HTML or PDF.",
            "content": {"application/json": {}, "text/html": {}, "application/pdf": {}},
        },
    },
)
def evidence(
    program_id: int,
    actor: ActorDep,
    db: DbDep,
    settings: SettingsDep,
    format: Annotated[
        PacketFormat | None,
        Query(description="json, html or pdf; default: from the Accept header, else json."),
    ] = None,
    version: VersionQuery = None,
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Response:
    """The Workforce Pell evidence packet of a program version, from its newest alignment
    snapshot: eligibility checks (each pass, fail or unknown with its rule, value, source and
    vintage), aligned occupations with wages and outlook, skills taught and missing, employer
    decisions, method and data versions, limitations. 404 when the version has no snapshot.

    **Roles:** provider (own), employer (shared with it), reviewer (its state), admin."""
    fmt = _negotiate(format, accept)
    packet = build_packet(db, actor, program_id, settings, version=version)
    if fmt is PacketFormat.PDF:
        disposition = f'attachment; filename="{_filename(packet, "pdf")}"'
        return Response(
            render_pdf(packet),
            media_type="application/pdf",
            headers={"Content-Disposition": disposition, "Cache-Control": "no-store"},
        )
    if fmt is PacketFormat.HTML:
        return HTMLResponse(render_html(packet), headers=PACKET_HEADERS)
    return JSONResponse(packet, headers={"Cache-Control": "no-store"})


@router.get("/ctdl", responses={**ERRORS, 200: {"content": {JSONLD: {}}}})
def ctdl(
    program_id: int, actor: ActorDep, db: DbDep, settings: SettingsDep, version: VersionQuery = None
) -> Response:
    """The program version as CTDL JSON-LD (`ceterms:LearningProgram`: occupationType with SOC
    codes, instructionalProgramType with CIP, estimatedDuration, creditValue in clock hours,
    teaches).

    **Roles:** provider (own), employer (shared with it), reviewer (its state), admin."""
    packet = build_packet(db, actor, program_id, settings, version=version)
    return JSONResponse(to_ctdl(packet), media_type=JSONLD)


@router.get("/schema-org", responses={**ERRORS, 200: {"content": {JSONLD: {}}}})
def schema_org(
    program_id: int, actor: ActorDep, db: DbDep, settings: SettingsDep, version: VersionQuery = None
) -> Response:
    """The program version as a schema.org `EducationalOccupationalProgram` (JSON-LD):
    occupationalCategory, timeToComplete, timeRequired, educationalCredentialAwarded, teaches.

    **Roles:** provider (own), employer (shared with it), reviewer (its state), admin."""
    packet = build_packet(db, actor, program_id, settings, version=version)
    return JSONResponse(to_schema_org(packet), media_type=JSONLD)
