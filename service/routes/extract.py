"""``POST /extract``: skills in a text, each with taxonomy, id, label, matched text, character
offsets, sentence, score and method."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from matcher.extract import MAX_TEXT_CHARS
from matcher.extract.extractor import resolve_kind
from service.deps import MatcherDep
from service.ratelimit import costly_request
from service.schemas import ErrorOut

router = APIRouter(tags=["skills"])


class ExtractIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(description=f"Any text; at most {MAX_TEXT_CHARS:,} characters (413 beyond).")
    kind: Literal["auto", "curriculum", "posting"] = Field(
        default="auto", description="curriculum, posting, or auto (guessed from cue words)."
    )


class ExtractedSkillOut(BaseModel):
    taxonomy: Literal["esco", "onet-tech", "onet-tool", "onet-dwa"]
    id: str
    label: str
    text: str = Field(description="The matched text: input[start:end].")
    start: int
    end: int
    sentence: str
    score: float
    method: Literal["exact", "pattern", "model", "semantic"]


class ExtractOut(BaseModel):
    kind: str
    count: int
    skills: list[ExtractedSkillOut]
    versions: dict[str, Any]


@router.post(
    "/extract",
    response_model=ExtractOut,
    responses={413: {"model": ErrorOut}, 422: {"model": ErrorOut}, 429: {"model": ErrorOut}},
)
def extract(request: Request, matcher: MatcherDep, body: ExtractIn) -> dict:
    """Extract skills (ESCO skills, O*NET technology, tools and detailed work activities) from a
    text. Boilerplate (equal-opportunity statements, benefits, curriculum framing) yields none;
    empty text yields an empty list. Costs the text's length from the caller's text budget (429
    beyond)."""
    extractor = matcher.extractor
    with costly_request(request, len(body.text)):
        skills = extractor.extract(body.text, kind=body.kind)
    return {
        "kind": resolve_kind(body.text, body.kind).value,
        "count": len(skills),
        "skills": [s.to_dict() for s in skills],
        "versions": {**matcher.versions, **extractor.versions},
    }
