"""Employer reviews: a decision and comment per occupation and per skill of a snapshot, with
optimistic locking (a stale `version` gets 409 with the review's current state)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from matcher.review import reviews
from matcher.review.schemas import ListOut, ReviewCreateIn, ReviewOut, ReviewUpdateIn
from service.access import ActorDep, DbDep
from service.schemas import ErrorOut

router = APIRouter(tags=["reviews"])
READ_ERRORS: dict[int | str, dict[str, Any]] = {401: {"model": ErrorOut}, 404: {"model": ErrorOut}}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **READ_ERRORS,
    403: {"model": ErrorOut},
    409: {"model": ErrorOut},
    422: {"model": ErrorOut},
}


@router.get("/programs/{program_id}/reviews", response_model=ListOut[ReviewOut], responses=READ_ERRORS)
def list_reviews(
    program_id: int, actor: ActorDep, db: DbDep, snapshot_id: Annotated[int | None, Query()] = None
) -> dict:
    """Every employer's decisions on a snapshot (default: the newest): who, what, when.

    **Roles:** provider (own), employer (shared with it), reviewer (its state), admin."""
    data = reviews.list_reviews(db, actor, program_id, snapshot_id)
    return {"data": data, "count": len(data)}


@router.post(
    "/programs/{program_id}/reviews", status_code=201, response_model=ReviewOut, responses=WRITE_ERRORS
)
def create_review(program_id: int, body: ReviewCreateIn, actor: ActorDep, db: DbDep) -> dict:
    """Record the caller's organisation's decision on an occupation (no `skill`) or a skill of
    the snapshot. A second review of the same subject by the same organisation is 409 (update
    the first); unknown occupations or skills are 404; comments over 10,000 characters 422.

    **Roles:** employer (programs shared with it)."""
    return reviews.create_review(
        db,
        actor,
        program_id,
        occupation=body.occupation,
        skill=body.skill,
        decision=body.decision.value,
        comment=body.comment,
        snapshot_id=body.snapshot_id,
    )


@router.get("/reviews/{review_id}", response_model=ReviewOut, responses=READ_ERRORS)
def get_review(review_id: int, actor: ActorDep, db: DbDep) -> dict:
    """One review.

    **Roles:** anyone who may see its program."""
    return reviews.get_review(db, actor, review_id)


@router.patch("/reviews/{review_id}", response_model=ReviewOut, responses=WRITE_ERRORS)
def update_review(review_id: int, body: ReviewUpdateIn, actor: ActorDep, db: DbDep) -> dict:
    """Change a review's decision and/or comment. `version` must be the review's current
    version; otherwise (someone changed it since) the answer is 409 with the current review in
    `error.details.current`, and nothing is changed.

    **Roles:** employer (its organisation's own reviews; other employers' reviews are 403)."""
    return reviews.update_review(
        db,
        actor,
        review_id,
        version=body.version,
        decision=body.decision.value if body.decision else None,
        comment=body.comment,
    )
