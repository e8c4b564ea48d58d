"""Regional skill demand: per occupation x area x period, how many postings, and for each skill
the share of those postings that ask for it.

A posting counts once per near-duplicate cluster (a re-post or the same advert on two boards is
one posting). Postings the coder abstained on (``needs_review``) count only once a reviewer sets
their code. ``area`` matches the state (``NJ`` or ``New Jersey``), county, metro area, city or
country as the source gave them; ``since`` keeps postings dated on or after that day.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from matcher.db import Database
from matcher.db.tables import Posting, PostingSkill
from matcher.postings.location import area_values

MAX_SKILLS = 200


@dataclass
class SkillDemand:
    taxonomy: str
    id: str
    label: str
    postings: int
    share: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "taxonomy": self.taxonomy,
            "id": self.id,
            "label": self.label,
            "postings": self.postings,
            "share": round(self.share, 4),
        }


@dataclass
class Demand:
    code: str
    area: str | None
    since: date | None
    postings: int  # distinct clusters
    stored: int  # stored rows, near duplicates included
    by_month: dict[str, int] = field(default_factory=dict)
    by_area: list[dict[str, Any]] = field(default_factory=list)
    skills: list[SkillDemand] = field(default_factory=list)
    skills_extracted: int = 0  # postings that have skill rows

    def shares(self) -> dict[str, float]:
        """{skill id: share} plus {lower-cased label: share}, as GapAnalyzer expects."""
        out: dict[str, float] = {}
        for s in self.skills:
            out[s.id] = max(out.get(s.id, 0.0), s.share)
            key = s.label.lower()
            out[key] = max(out.get(key, 0.0), s.share)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "area": self.area,
            "since": self.since.isoformat() if self.since else None,
            "postings": self.postings,
            "stored": self.stored,
            "postings_with_skills": self.skills_extracted,
            "by_month": self.by_month,
            "by_area": self.by_area,
            "skills": [s.to_dict() for s in self.skills],
        }


def _area_filter(area: str) -> ColumnElement[bool]:
    values = area_values(area)
    cols = (Posting.state, Posting.county, Posting.metro, Posting.city, Posting.country, Posting.location)
    return or_(*(func.lower(c).in_(values) for c in cols))


def _filters(code: str, area: str | None, since: date | None) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [Posting.occupation_code == code, Posting.needs_review.is_(False)]
    if area:
        where.append(_area_filter(area))
    if since:
        where.append(Posting.date_posted >= since)
    return where


def occupation_demand(
    db: Database,
    code: str,
    *,
    area: str | None = None,
    since: date | None = None,
    max_skills: int = MAX_SKILLS,
) -> Demand:
    """Demand for one O*NET-SOC occupation; see the module docstring."""
    where = _filters(code, area, since)
    cluster = func.coalesce(Posting.cluster_id, Posting.id)
    with db.session() as s:
        rows = s.execute(
            select(
                cluster, Posting.date_posted, Posting.state, Posting.county, Posting.metro, Posting.city
            ).where(*where)
        ).all()
        demand = Demand(
            code=code, area=area, since=since, postings=len({r[0] for r in rows}), stored=len(rows)
        )
        months: dict[str, set[int]] = defaultdict(set)
        areas: dict[tuple[str, str], set[int]] = defaultdict(set)
        for cid, day, state, county, metro, city in rows:
            months[day.strftime("%Y-%m") if day else "undated"].add(cid)
            for kind, value in (("state", state), ("county", county), ("metro", metro), ("city", city)):
                if value:
                    areas[(kind, value)].add(cid)
        demand.by_month = {k: len(v) for k, v in sorted(months.items())}
        demand.by_area = [
            {"kind": k, "area": a, "postings": len(v)}
            for (k, a), v in sorted(areas.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:50]
        ]
        if demand.postings:
            demand.skills, demand.skills_extracted = _skills(s, where, cluster, demand.postings, max_skills)
    return demand


def _skills(
    s: Session, where: list[ColumnElement[bool]], cluster: Any, total: int, max_skills: int
) -> tuple[list[SkillDemand], int]:
    q = (
        select(
            PostingSkill.taxonomy,
            PostingSkill.skill_id,
            func.min(PostingSkill.label),
            func.count(cluster.distinct()),
        )
        .join(Posting, Posting.id == PostingSkill.posting_id)
        .where(*where)
        .group_by(PostingSkill.taxonomy, PostingSkill.skill_id)
        .order_by(func.count(cluster.distinct()).desc(), PostingSkill.taxonomy, PostingSkill.skill_id)
        .limit(max_skills)
    )
    skills = [SkillDemand(t, i, label, n, n / total) for t, i, label, n in s.execute(q)]
    with_skills = s.scalar(
        select(func.count(cluster.distinct()))
        .join(PostingSkill, PostingSkill.posting_id == Posting.id)
        .where(*where)
    )
    return skills, int(with_skills or 0)


def has_postings(db: Database, code: str, *, area: str | None = None, since: date | None = None) -> int:
    """How many (distinct) postings there are for the occupation in the area and period."""
    with db.session() as s:
        cluster = func.coalesce(Posting.cluster_id, Posting.id)
        return int(s.scalar(select(func.count(cluster.distinct())).where(*_filters(code, area, since))) or 0)


def stats(db: Database, *, top: int = 50) -> dict[str, Any]:
    """Counts by occupation, by area and needs-review, over every stored posting."""
    cluster = func.coalesce(Posting.cluster_id, Posting.id)
    with db.session() as s:
        total = s.scalar(select(func.count(Posting.id))) or 0
        clusters = s.scalar(select(func.count(cluster.distinct()))) or 0
        review = s.scalar(select(func.count(Posting.id)).where(Posting.needs_review.is_(True))) or 0
        by_occ = s.execute(
            select(
                Posting.occupation_code, func.min(Posting.occupation_title), func.count(cluster.distinct())
            )
            .where(Posting.occupation_code.is_not(None))
            .group_by(Posting.occupation_code)
            .order_by(func.count(cluster.distinct()).desc(), Posting.occupation_code)
            .limit(top)
        ).all()
        by_state = s.execute(
            select(
                func.coalesce(Posting.state, Posting.country, Posting.location),
                func.count(cluster.distinct()),
            )
            .group_by(func.coalesce(Posting.state, Posting.country, Posting.location))
            .order_by(func.count(cluster.distinct()).desc())
            .limit(top)
        ).all()
        methods = Counter(
            dict(
                s.execute(
                    select(Posting.coding_method, func.count(Posting.id)).group_by(Posting.coding_method)
                ).all()
            )
        )
        skills = s.scalar(select(func.count(PostingSkill.id))) or 0
    return {
        "postings": int(total),
        "distinct_postings": int(clusters),
        "needs_review": int(review),
        "coded": {str(k): int(v) for k, v in methods.items() if k},
        "skills": int(skills),
        "by_occupation": [{"code": c, "title": t, "postings": int(n)} for c, t, n in by_occ],
        "by_area": [{"area": a or "(none)", "postings": int(n)} for a, n in by_state],
    }
