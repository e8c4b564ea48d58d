"""Re-review triggers. Each screening result records what it was computed with
(``data_versions``): the reference data fingerprint and versions, the model, the state's
occupation list (a hash of its codes) and the demand share of its top occupation. When any of
them changes, :func:`flag_changes` flags the affected programs with the reason:

- ``data``: the data folder fingerprint changed (a new O*NET, ESCO or CIP release): every program.
- ``model``: the embedding model changed: every program.
- ``state_list``: the state's list changed and one of the program's counted occupations (score
  at least 0.5, entry education below a bachelor's) went on or off it; programs whose counted
  occupations are not touched by the change are not flagged.
- ``demand``: the top occupation's share of the state's coded postings moved by at least
  ``MATCHER_DEMAND_SHIFT`` (default 0.02) since the screening.

``matcher screen --refresh`` recomputes the flagged programs, which clears their flags.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select

from matcher.db import Database
from matcher.db.base import utcnow
from matcher.db.tables import Posting
from matcher.evidence.state_lists import OccupationList
from matcher.postings.location import area_values
from matcher.review import audit
from matcher.review.actor import Actor
from matcher.screening.tables import ScreeningResult


@dataclass(frozen=True)
class DemandCounts:
    """Distinct postings (near-duplicate clusters) per coded occupation in one state."""

    by_code: dict[str, int]
    total: int

    def entry(self, code: str) -> dict[str, Any]:
        n = self.by_code.get(code, 0)
        return {
            "code": code,
            "postings": n,
            "total": self.total,
            "share": round(n / self.total, 4) if self.total else None,
        }


def demand_counts(db: Database, state: str) -> DemandCounts:
    cluster = func.coalesce(Posting.cluster_id, Posting.id)
    values = area_values(state)
    where = [
        Posting.needs_review.is_(False),
        Posting.occupation_code.is_not(None),
        or_(func.lower(Posting.state).in_(values), func.lower(Posting.location).in_(values)),
    ]
    with db.session() as s:
        rows = s.execute(
            select(Posting.occupation_code, func.count(cluster.distinct()))
            .where(*where)
            .group_by(Posting.occupation_code)
        ).all()
        total = s.scalar(select(func.count(cluster.distinct())).where(*where)) or 0
    return DemandCounts({code: n for code, n in rows if code}, total)


def list_identity(occupation_list: OccupationList) -> dict[str, Any]:
    """The state list as a result records it: which list, and a hash of its content."""
    codes = json.dumps(sorted(occupation_list.codes), separators=(",", ":"))
    return {
        "id": occupation_list.list_id,
        "name": occupation_list.name,
        "vintage": occupation_list.vintage,
        "derived": occupation_list.derived,
        "codes_sha256": hashlib.sha256(codes.encode()).hexdigest(),
    }


@dataclass(frozen=True)
class Current:
    """What a screening would use now."""

    versions: dict[str, Any]  # Matcher.versions
    occupation_list: OccupationList
    demand: DemandCounts
    demand_shift: float

    @property
    def model(self) -> str:
        return str(self.versions.get("model", ""))

    def recorded(self, top_code: str) -> dict[str, Any]:
        """The ``data_versions`` a result computed now stores."""
        out = {k: v for k, v in self.versions.items() if k != "model"}
        out["state_list"] = list_identity(self.occupation_list)
        out["demand"] = self.demand.entry(top_code) if top_code else None
        return out


def _list_flag(row: ScreeningResult, current: Current) -> str:
    old = (row.data_versions or {}).get("state_list") or {}
    new = list_identity(current.occupation_list)
    if old.get("codes_sha256") == new["codes_sha256"]:
        return ""
    moved = []
    for o in row.occupations:
        if not o.get("counted"):
            continue
        now = current.occupation_list.find(o["soc"]) is not None
        if now != bool(o.get("on_list")):
            moved.append(f"{o['soc']} {o['title']} {'added to' if now else 'removed from'} the list")
    if not moved:
        return ""
    name = f"{new['name']} ({new['vintage']})" if new["vintage"] else new["name"]
    return f"state list changed to {name}: " + "; ".join(moved)


def _demand_flag(row: ScreeningResult, current: Current) -> str:
    old = (row.data_versions or {}).get("demand") or None
    if not old or not row.top_code:
        return ""
    new = current.demand.entry(row.top_code)
    before, after = old.get("share") or 0.0, new["share"] or 0.0
    if abs(after - before) < current.demand_shift:
        return ""
    return (
        f"demand for {row.top_code} {row.top_title} moved from {before:.1%} to {after:.1%} of the "
        f"state's coded postings ({old.get('postings', 0)} -> {new['postings']} postings)"
    )


def reasons(row: ScreeningResult, current: Current) -> dict[str, str]:
    """{kind: reason} of every trigger that fires for ``row`` now."""
    old = row.data_versions or {}
    out: dict[str, str] = {}
    if old.get("data_fingerprint") != current.versions.get("data_fingerprint"):
        out["data"] = (
            f"reference data changed (fingerprint {str(old.get('data_fingerprint'))[:12]} -> "
            f"{str(current.versions.get('data_fingerprint'))[:12]})"
        )
    if row.model_version != current.model:
        out["model"] = f"model changed ({row.model_version} -> {current.model})"
    if why := _list_flag(row, current):
        out["state_list"] = why
    if why := _demand_flag(row, current):
        out["demand"] = why
    return out


def flag_changes(db: Database, actor: Actor, state: str, current: Current) -> dict[str, int]:
    """Flag (or re-word the flags of) the state's results whose triggers fire; returns how
    many programs each kind flagged. Existing flags stay until the program is recomputed."""
    counts: dict[str, int] = {}
    now = utcnow()
    with db.transaction() as s:
        for row in s.scalars(select(ScreeningResult).where(ScreeningResult.state == state)):
            found = reasons(row, current)
            if not found:
                continue
            kept = {f["kind"]: f for f in row.flags}
            flags = dict(kept)
            for kind, why in found.items():
                counts[kind] = counts.get(kind, 0) + 1
                since = kept[kind]["since"] if kind in kept else now.isoformat(timespec="seconds")
                flags[kind] = {"kind": kind, "reason": why, "since": since}
            if flags == kept:
                continue
            before = {"flags": row.flags}
            row.flags = list(flags.values())
            row.flagged = True
            row.updated_at = now
            audit.record(
                s,
                actor,
                "screening_result.flag",
                row,
                before=before,
                after={"flags": row.flags},
                program_id=row.program_id,
            )
    return counts
