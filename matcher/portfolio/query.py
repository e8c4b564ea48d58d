"""One page of the portfolio, and the choices its filters offer (providers, SOC major groups,
checks), all within what the actor may see (:func:`matcher.review.policy.visible_programs`)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from matcher.db import Database
from matcher.errors import BadInputError
from matcher.review.actor import Actor
from matcher.review.policy import visible_programs
from matcher.review.tables import Organisation, ProgramRecord, Review
from matcher.screening.store import SORT_KEYS, STATUSES, list_results, result_dict
from matcher.screening.tables import ScreeningResult

MAX_PER_PAGE = 200
MAX_EXPORT_ROWS = 20_000
_CHECK_ID = re.compile(r"^[a-z_]{1,40}$")
# SOC 2018 major groups (the first two digits of an occupation code).
SOC_MAJOR_GROUPS = {
    "11": "Management",
    "13": "Business and Financial Operations",
    "15": "Computer and Mathematical",
    "17": "Architecture and Engineering",
    "19": "Life, Physical, and Social Science",
    "21": "Community and Social Service",
    "23": "Legal",
    "25": "Educational Instruction and Library",
    "27": "Arts, Design, Entertainment, Sports, and Media",
    "29": "Healthcare Practitioners and Technical",
    "31": "Healthcare Support",
    "33": "Protective Service",
    "35": "Food Preparation and Serving Related",
    "37": "Building and Grounds Cleaning and Maintenance",
    "39": "Personal Care and Service",
    "41": "Sales and Related",
    "43": "Office and Administrative Support",
    "45": "Farming, Fishing, and Forestry",
    "47": "Construction and Extraction",
    "49": "Installation, Maintenance, and Repair",
    "51": "Production",
    "53": "Transportation and Material Moving",
    "55": "Military Specific",
}


@dataclass(frozen=True)
class PortfolioQuery:
    """Filters (``status`` with an optional ``check``; ``group``: SOC major group; ``provider``:
    organisation id; ``flagged``), the sort and the page."""

    status: str | None = None
    check: str | None = None
    group: str | None = None
    provider: int | None = None
    flagged: bool | None = None
    sort: str = "title"
    descending: bool = False
    page: int = 1
    per_page: int = 50

    def validate(self) -> PortfolioQuery:
        if self.status is not None and self.status not in STATUSES:
            raise BadInputError(f"unknown status {self.status!r}; choose one of: {', '.join(STATUSES)}")
        if self.check is not None and not _CHECK_ID.match(self.check):
            raise BadInputError(f"unknown check {self.check!r}")
        if self.group is not None and self.group not in SOC_MAJOR_GROUPS:
            raise BadInputError(f"unknown occupation group {self.group!r}; give a SOC major group such as 47")
        if self.sort not in SORT_KEYS:
            raise BadInputError(f"unknown sort key {self.sort!r}; choose one of: {', '.join(SORT_KEYS)}")
        if self.page < 1 or not 1 <= self.per_page <= MAX_PER_PAGE:
            raise BadInputError(f"page must be at least 1 and per_page 1 to {MAX_PER_PAGE}")
        return self

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _check_matches(s: Session, actor: Actor, q: PortfolioQuery) -> list[int]:
    """Program ids of the view, in its order, whose check ``q.check`` has ``q.status``: read from
    the ids and check lists alone (``list_results`` loads every full row to filter the JSON)."""
    key = SORT_KEYS[q.sort]
    stmt = (
        select(ScreeningResult.program_id, ScreeningResult.checks)
        .join(ProgramRecord, ProgramRecord.id == ScreeningResult.program_id)
        .join(Organisation, Organisation.id == ScreeningResult.provider_org_id)
        .where(visible_programs(actor))
        .order_by(key.desc() if q.descending else key.asc(), ScreeningResult.program_id)
    )
    if q.provider is not None:
        stmt = stmt.where(ScreeningResult.provider_org_id == q.provider)
    if q.group:
        stmt = stmt.where(ScreeningResult.top_code.like(f"{q.group}-%"))
    if q.flagged is not None:
        stmt = stmt.where(ScreeningResult.flagged == q.flagged)
    return [
        pid
        for pid, checks in s.execute(stmt)
        if any(c["id"] == q.check and q.status in (None, c["status"]) for c in checks)
    ]


def _by_ids(s: Session, ids: list[int]) -> list[dict[str, Any]]:
    found: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        rows = s.scalars(
            select(ScreeningResult).where(ScreeningResult.program_id.in_(ids[start : start + 500]))
        )
        found.update({r.program_id: result_dict(r) for r in rows})
    return [found[i] for i in ids if i in found]


def _results(
    s: Session, actor: Actor, q: PortfolioQuery, *, offset: int, limit: int | None
) -> tuple[list[dict[str, Any]], int]:
    if q.check is not None:
        ids = _check_matches(s, actor, q)
        return _by_ids(s, ids[offset : offset + limit if limit is not None else None]), len(ids)
    return list_results(
        s,
        actor,
        status=q.status,
        check=q.check,
        provider_org_id=q.provider,
        occupation_group=q.group,
        flagged=q.flagged,
        sort=q.sort,
        descending=q.descending,
        offset=offset,
        limit=limit,
    )


def _add_reviews(s: Session, rows: list[dict[str, Any]]) -> None:
    """Each row's employer reviews of its screened snapshot: how many employer organisations,
    how many decisions."""
    ids = [r["snapshot_id"] for r in rows]
    counts: dict[int, tuple[int, int]] = {}
    for start in range(0, len(ids), 500):
        found = s.execute(
            select(Review.snapshot_id, func.count(distinct(Review.org_id)), func.count(Review.id))
            .where(Review.snapshot_id.in_(ids[start : start + 500]))
            .group_by(Review.snapshot_id)
        )
        counts.update({sid: (orgs, n) for sid, orgs, n in found})
    for r in rows:
        employers, decisions = counts.get(r["snapshot_id"], (0, 0))
        r["reviews"] = {"employers": employers, "decisions": decisions}


def facets(s: Session, actor: Actor) -> dict[str, Any]:
    """What the filters can choose from: providers, occupation groups and checks present."""
    base = (
        select(ScreeningResult)
        .join(ProgramRecord, ProgramRecord.id == ScreeningResult.program_id)
        .where(visible_programs(actor))
        .subquery()
    )
    providers = s.execute(
        select(Organisation.id, Organisation.name, func.count())
        .join(base, base.c.provider_org_id == Organisation.id)
        .group_by(Organisation.id, Organisation.name)
        .order_by(Organisation.name)
    )
    group = func.substr(base.c.top_code, 1, 2)
    groups = s.execute(
        select(group, func.count()).where(base.c.top_code != "").group_by(group).order_by(group)
    )
    first = s.execute(select(base.c.checks).limit(1)).scalar()
    return {
        "providers": [{"id": i, "name": n, "programs": c} for i, n, c in providers],
        "groups": [{"code": g, "title": SOC_MAJOR_GROUPS.get(g, ""), "programs": c} for g, c in groups],
        "checks": [{"id": c["id"], "name": c["name"]} for c in first or []],
    }


def portfolio_page(db: Database, actor: Actor, q: PortfolioQuery) -> dict[str, Any]:
    """The page ``q.page`` of the actor's portfolio, with totals and the filters' choices."""
    q = q.validate()
    with db.session() as s:
        rows, total = _results(s, actor, q, offset=(q.page - 1) * q.per_page, limit=q.per_page)
        _add_reviews(s, rows)
        return {
            "query": q.to_dict(),
            "total": total,
            "pages": max(1, -(-total // q.per_page)),
            "rows": rows,
            "facets": facets(s, actor),
        }


def portfolio_rows(db: Database, actor: Actor, q: PortfolioQuery) -> list[dict[str, Any]]:
    """Every row of the view ``q`` describes (its filters and sort, all pages), for export."""
    q = q.validate()
    with db.session() as s:
        rows, total = _results(s, actor, q, offset=0, limit=MAX_EXPORT_ROWS + 1)
        if total > MAX_EXPORT_ROWS:
            raise BadInputError(
                f"the view has {total:,} programs; export at most {MAX_EXPORT_ROWS:,} (filter it)"
            )
        _add_reviews(s, rows)
        return rows
