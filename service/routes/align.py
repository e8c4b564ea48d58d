from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query, Request

from matcher.errors import BadInputError
from matcher.program import Program
from service.deps import MatcherDep
from service.ratelimit import costly_request, program_cost
from service.schemas import AlignOut, ErrorOut, GapsIn, GapsOut

router = APIRouter(tags=["alignment"])


@router.post(
    "/align",
    response_model=AlignOut,
    responses={422: {"model": ErrorOut}, 413: {"model": ErrorOut}, 429: {"model": ErrorOut}},
)
def align(
    request: Request, matcher: MatcherDep, program: Program, top_k: Annotated[int, Query(ge=1, le=100)] = 10
) -> dict:
    """Rank the O*NET-SOC occupations a program prepares for, each with its evidence: the
    program sentences that matched tasks and work activities, title matches, the CIP route and
    named credentials. The body is a program (the ETPL fields suffice: title, description,
    credential, clock_hours, optional cip; unknown fields are ignored). Costs the program's
    text length from the caller's text budget (429 beyond)."""
    with costly_request(request, program_cost(program)) as client:
        return matcher.align(program, top_k=top_k, client=client.key).to_dict()


Occupation = Annotated[
    str | None,
    Query(min_length=1, max_length=20, description="O*NET-SOC code, e.g. 51-4121.00."),
]
Limit = Annotated[int | None, Query(ge=1, le=1000, description="Cap on missing skills listed.")]
GapsBody = Annotated[
    Program | GapsIn,
    Body(
        description="The program, as `POST /align` takes it, with the occupation as the query "
        'parameter `occupation`. The earlier wrapped shape `{"program": ..., "occupation": ..., '
        '"limit": ...}` is still accepted.'
    ),
]


@router.post(
    "/gaps",
    response_model=GapsOut,
    response_model_exclude_none=True,
    responses={404: {"model": ErrorOut}, 422: {"model": ErrorOut}, 429: {"model": ErrorOut}},
)
def gaps(
    request: Request, matcher: MatcherDep, body: GapsBody, occupation: Occupation = None, limit: Limit = None
) -> dict:
    """Skills the occupation needs: covered ones with the sentence that covers each, missing ones
    ranked by importance times the confidence that they are missing, and the coverage
    percentage. ``POST /gaps?occupation=51-4121.00``
    with the same program body as ``POST /align``. Costs the program's text length from the
    caller's text budget (429 beyond)."""
    if isinstance(body, GapsIn):
        if occupation and body.occupation and occupation != body.occupation:
            raise BadInputError(
                f"occupation: the query says {occupation!r} and the body {body.occupation!r}; give one"
            )
        program, occupation, limit = body.program, occupation or body.occupation, limit or body.limit
    else:
        program = body
    if not occupation:
        raise BadInputError(
            "occupation: missing; give the O*NET-SOC code as a query parameter, "
            "e.g. POST /gaps?occupation=51-4121.00"
        )
    with costly_request(request, program_cost(program)):
        return matcher.gaps(program, occupation, limit_missing=limit).to_dict()
