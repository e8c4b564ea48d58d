from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

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


@router.post(
    "/gaps",
    response_model=GapsOut,
    response_model_exclude_none=True,
    responses={404: {"model": ErrorOut}, 422: {"model": ErrorOut}, 429: {"model": ErrorOut}},
)
def gaps(request: Request, matcher: MatcherDep, body: GapsIn) -> dict:
    """Skills the occupation needs: covered ones with the sentence that covers each, missing ones
    ranked by importance, and the coverage percentage. Costs the program's text length from
    the caller's text budget (429 beyond)."""
    with costly_request(request, program_cost(body.program)):
        return matcher.gaps(body.program, body.occupation, limit_missing=body.limit).to_dict()
