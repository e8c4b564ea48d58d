"""``POST /titles/code``: job titles -> O*NET-SOC codes with confidence, needs-review flag and
evidence (the same coder as posting import and ``matcher code-titles``).

At most :data:`MAX_TITLES` titles per request (413 beyond). A title that cannot be coded (empty,
one character, numbers only, longer than 300 characters) gets an ``error`` with its position
(``line``, from 1) and the others are coded.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from matcher.errors import TooLargeError
from matcher.postings.title_batch import code_rows, make_row
from matcher.postings.wiring import coder_of
from service.deps import MatcherDep
from service.schemas import ErrorOut

router = APIRouter(tags=["postings"])
MAX_TITLES = 1000


class TitleIn(BaseModel):
    model_config = ConfigDict(extra="allow")

    title: str | None = Field(default=None, description="The job title as written.")
    description: str | None = Field(default=None, description="Optional: the posting's description.")
    industry: str | int | None = Field(
        default=None,
        description="Optional: 2022 Census industry code (4 digits), for the index's restrictions.",
    )


class TitlesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    titles: list[TitleIn | str] = Field(description=f"Titles (objects or strings); at most {MAX_TITLES}.")


class TitleCodeOut(BaseModel):
    line: int
    title: str | None
    code: str | None = None
    occupation: str | None = None
    confidence: float | None = None
    needs_review: bool | None = None
    candidates: list[dict[str, Any]] = Field(default_factory=list)
    evidence: list[dict[str, Any]] = Field(default_factory=list)
    error: str | None = None


class TitlesOut(BaseModel):
    coder: str
    count: int
    coded: int
    needs_review: int
    errors: int
    results: list[TitleCodeOut]


@router.post(
    "/titles/code",
    response_model=TitlesOut,
    responses={413: {"model": ErrorOut}, 422: {"model": ErrorOut}},
)
def code_titles(matcher: MatcherDep, body: TitlesIn) -> dict:
    """Code job titles to O*NET-SOC occupations (US federal title indexes, nearest coded titles,
    encoder; calibrated confidence; "needs review" below the threshold)."""
    if len(body.titles) > MAX_TITLES:
        raise TooLargeError(f"{len(body.titles)} titles in one request; at most {MAX_TITLES}")
    rows = []
    for n, item in enumerate(body.titles, 1):
        data = {"title": item} if isinstance(item, str) else item.model_dump()
        rows.append(make_row(n, data, "title"))
    coder = coder_of(matcher)
    results = []
    for c in code_rows(coder, rows):
        r = c.result
        if r is None:
            results.append({"line": c.row.line, "title": c.row.title or None, "error": c.row.error})
            continue
        results.append(
            {
                "line": c.row.line,
                "title": c.row.title,
                "code": r["code"],
                "occupation": r["title"],
                "confidence": r["confidence"],
                "needs_review": r["needs_review"],
                "candidates": r["candidates"],
                "evidence": r["evidence"],
            }
        )
    errors = sum(1 for r in results if r.get("error"))
    return {
        "coder": coder.version,
        "count": len(results),
        "coded": len(results) - errors,
        "needs_review": sum(1 for r in results if r.get("needs_review")),
        "errors": errors,
        "results": results,
    }
