from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from service.deps import MatcherDep
from service.schemas import ErrorOut, OccupationDetailOut, OccupationSearchOut

router = APIRouter(prefix="/occupations", tags=["occupations"])
Q = Annotated[str, Query(min_length=1, max_length=1000, description="Free text, e.g. 'welder'.")]
K = Annotated[int, Query(ge=1, le=100)]


@router.get("/search", response_model=OccupationSearchOut, responses={422: {"model": ErrorOut}})
def search_occupations(matcher: MatcherDep, q: Q, k: K = 10) -> dict:
    """O*NET occupations closest in meaning to the query (titles, alternate titles, descriptions)."""
    return {"query": q, "results": matcher.search_occupations(q, k=k), "versions": matcher.versions}


@router.get("/{code}", response_model=OccupationDetailOut, responses={404: {"model": ErrorOut}})
def get_occupation(
    matcher: MatcherDep, code: Annotated[str, Path(max_length=20, description="e.g. 51-4121.00")]
) -> dict:
    """One occupation with its tasks, technology skills, CIP programs and ESCO matches.
    Unknown codes get a 404 that suggests the closest codes."""
    return matcher.occupation_detail(code)
