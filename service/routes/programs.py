"""Programs under review: create, add versions, list, read, share with employers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from matcher.review import programs
from matcher.review.schemas import (
    ListOut,
    ProgramDetailOut,
    ProgramIn,
    ProgramOut,
    ShareIn,
    ShareOut,
    VersionOut,
)
from service.access import ActorDep, DbDep
from service.schemas import ErrorOut

router = APIRouter(prefix="/programs", tags=["programs"])
READ_ERRORS: dict[int | str, dict[str, Any]] = {401: {"model": ErrorOut}, 404: {"model": ErrorOut}}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **READ_ERRORS,
    403: {"model": ErrorOut},
    422: {"model": ErrorOut},
}


@router.get("", response_model=ListOut[ProgramOut], responses={401: {"model": ErrorOut}})
def list_programs(actor: ActorDep, db: DbDep) -> dict:
    """The programs the caller may see, with their review counts.

    **Roles:** provider (its organisation's programs), employer (programs shared with it),
    reviewer (every program of its state), admin (all)."""
    data = programs.list_programs(db, actor)
    return {"data": data, "count": len(data)}


@router.post("", status_code=201, response_model=ProgramOut, responses=WRITE_ERRORS)
def create_program(body: ProgramIn, actor: ActorDep, db: DbDep) -> dict:
    """Create a program (version 1) owned by the caller's training provider. The program's
    state is its `state` field, else the provider's state.

    **Roles:** provider."""
    return programs.create_program(db, actor, body.program, note=body.note)


@router.get("/{program_id}", response_model=ProgramDetailOut, responses=READ_ERRORS)
def get_program(program_id: int, actor: ActorDep, db: DbDep) -> dict:
    """A program with its versions (the newest with its content), the organisations it is
    shared with and its alignment snapshots. Invisible programs are 404.

    **Roles:** provider (own), employer (shared with it), reviewer (its state), admin."""
    return programs.get_program(db, actor, program_id)


@router.post(
    "/{program_id}/versions",
    status_code=201,
    response_model=ProgramOut,
    responses={**WRITE_ERRORS, 409: {"model": ErrorOut}},
)
def add_version(program_id: int, body: ProgramIn, actor: ActorDep, db: DbDep) -> dict:
    """Add a new curriculum version. Earlier versions, their snapshots and reviews stay as they
    were.

    **Roles:** provider (own programs)."""
    return programs.add_version(db, actor, program_id, body.program, note=body.note)


@router.get("/{program_id}/versions/{number}", response_model=VersionOut, responses=READ_ERRORS)
def get_version(program_id: int, number: int, actor: ActorDep, db: DbDep) -> dict:
    """One version of a program, with its content.

    **Roles:** provider (own), employer (shared with it), reviewer (its state), admin."""
    return programs.get_version(db, actor, program_id, number)


@router.post("/{program_id}/shares", status_code=201, response_model=ShareOut, responses=WRITE_ERRORS)
def share(program_id: int, body: ShareIn, actor: ActorDep, db: DbDep, response: Response) -> dict:
    """Share a program with an employer organisation, which may then see and review it.
    Sharing again changes nothing (200).

    **Roles:** provider (own programs)."""
    out, created = programs.share_program(db, actor, program_id, body.organisation_id)
    if not created:
        response.status_code = 200
    return out


@router.delete("/{program_id}/shares/{organisation_id}", status_code=204, responses=WRITE_ERRORS)
def unshare(program_id: int, organisation_id: int, actor: ActorDep, db: DbDep) -> Response:
    """Stop sharing a program with an organisation (its reviews stay on record).

    **Roles:** provider (own programs)."""
    from matcher.errors import NotFoundError

    if not programs.unshare_program(db, actor, program_id, organisation_id):
        raise NotFoundError(f"program {program_id} is not shared with organisation {organisation_id}")
    return Response(status_code=204)
