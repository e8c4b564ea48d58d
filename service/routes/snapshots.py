"""Alignment snapshots: compute a program version's alignment with the matcher and store it,
with the model and data versions, as what employers review."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from matcher.review import snapshots
from matcher.review.schemas import SnapshotIn, SnapshotOut
from service.access import ActorDep, DbDep
from service.deps import MatcherDep
from service.schemas import ErrorOut

router = APIRouter(prefix="/programs/{program_id}/snapshots", tags=["alignment snapshots"])
READ_ERRORS: dict[int | str, dict[str, Any]] = {401: {"model": ErrorOut}, 404: {"model": ErrorOut}}


@router.post(
    "",
    status_code=201,
    response_model=SnapshotOut,
    responses={**READ_ERRORS, 403: {"model": ErrorOut}, 422: {"model": ErrorOut}, 503: {"model": ErrorOut}},
)
def compute(
    program_id: int, actor: ActorDep, db: DbDep, matcher: MatcherDep, body: SnapshotIn | None = None
) -> dict:
    """Align a program version (default: the newest) with the loaded matcher, compute the gaps
    of its top occupations and store the result, with the model and data versions, as a new
    snapshot. Its `subjects` are what employers review.

    **Roles:** provider (own programs)."""
    return snapshots.compute_snapshot(db, actor, program_id, matcher, version=body.version if body else None)


@router.get("/latest", response_model=SnapshotOut, responses=READ_ERRORS)
def latest(program_id: int, actor: ActorDep, db: DbDep) -> dict:
    """The program's newest snapshot.

    **Roles:** provider (own), employer (shared with it), reviewer (its state), admin."""
    return snapshots.get_snapshot(db, actor, program_id)


@router.get("/{snapshot_id}", response_model=SnapshotOut, responses=READ_ERRORS)
def get(program_id: int, snapshot_id: int, actor: ActorDep, db: DbDep) -> dict:
    """One snapshot of the program.

    **Roles:** provider (own), employer (shared with it), reviewer (its state), admin."""
    return snapshots.get_snapshot(db, actor, program_id, snapshot_id)
