"""Competencies taught, partly taught and not taught, per reviewed occupation, with the share of
local job postings that ask for each missing one where coded postings exist (``matcher.postings``)."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from matcher.db import Database
from matcher.postings.demand import has_postings, occupation_demand

log = logging.getLogger(__name__)

MAX_TAUGHT = 15
MAX_PARTLY = 10
MAX_MISSING = 10


def _posting_shares(db: Database, code: str, state: str) -> tuple[dict[str, float], int]:
    try:
        if not has_postings(db, code, area=state):
            return {}, 0
        demand = occupation_demand(db, code, area=state)
    except SQLAlchemyError as exc:  # demand is optional: the table then ranks by importance
        log.warning("no posting demand for %s in %s (%s)", code, state, exc)
        return {}, 0
    return demand.shares(), demand.postings


def skill_tables(db: Database, gaps: list[dict[str, Any]], state: str) -> list[dict[str, Any]]:
    """For each occupation of the snapshot's gap analysis: coverage, the skills the curriculum
    teaches (with the sentence), and the most important (or most demanded) missing ones."""
    out = []
    for g in gaps:
        code = g["occupation"]["code"]
        missing = g.get("missing", [])
        if any(m.get("demand_share") is not None for m in missing):
            shares: dict[str, float] = {}
            postings = 0
            demand = "job postings stored when the alignment was computed"
        else:
            shares, postings = _posting_shares(db, code, state)
            demand = (
                f"{postings} coded job posting(s) in {state}"
                if postings
                else f"none: no coded job postings for this occupation in {state}"
            )
        rows = []
        for m in missing[:MAX_MISSING]:
            share = m.get("demand_share")
            if share is None and shares:
                share = shares.get(m["id"], shares.get(m["label"].lower(), 0.0))
            rows.append(
                {
                    "label": m["label"],
                    "taxonomy": m["taxonomy"],
                    "importance": m["importance"],
                    "demand_share": share,
                    "basis": m.get("basis", ""),
                    "closest": (m.get("closest") or {}).get("sentence"),
                }
            )
        if shares:
            rows.sort(key=lambda r: (-(r["demand_share"] or 0.0), -r["importance"]))
        out.append(
            {
                "code": code,
                "title": g["occupation"]["title"],
                "coverage": g["coverage"] or 0.0,
                "covered_count": g.get("covered_count", len(g.get("covered", []))),
                "required_count": g.get("required_count"),
                "ranking": g.get("ranking"),
                "demand_source": demand,
                "partly_count": g.get("partly_count", 0),
                "summary": g.get("summary"),
                "teachable_text": g.get("teachable_text", True),
                "taught": [
                    {
                        "label": m["label"],
                        "taxonomy": m["taxonomy"],
                        "id": m["id"],
                        "grade": m.get("grade", "taught"),
                        "importance": m["importance"],
                        "evidence": (m.get("evidence") or {}).get("text"),
                        "sentence": (m.get("evidence") or {}).get("sentence"),
                        "source": (m.get("evidence") or {}).get("source"),
                    }
                    for m in [*g.get("covered", [])[:MAX_TAUGHT], *g.get("partly", [])[:MAX_PARTLY]]
                ],
                "missing": rows,
            }
        )
    return out
