from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from service.deps import MatcherDep
from service.schemas import ErrorOut, SkillSearchOut

router = APIRouter(prefix="/skills", tags=["skills"])


@router.get("/search", response_model=SkillSearchOut, responses={422: {"model": ErrorOut}})
def search_skills(
    matcher: MatcherDep,
    q: Annotated[str, Query(min_length=1, max_length=1000)],
    k: Annotated[int, Query(ge=1, le=100)] = 10,
    taxonomy: Literal["esco", "onet-tech", "onet-tool", "onet-dwa"] | None = None,
) -> dict:
    """Skills (ESCO, O*NET technology, tools, detailed work activities) closest to the query."""
    return {
        "query": q,
        "results": matcher.search_skills(q, k=k, taxonomy=taxonomy),
        "versions": matcher.versions,
    }
