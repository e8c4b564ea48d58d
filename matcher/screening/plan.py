"""What a screening run computes: each read row, compared with the stored result of the same
ETPL id. A row whose content and result are current is not computed again (this is what makes a
killed run resumable); a changed row becomes a new program version; a flagged result is
recomputed with ``--refresh`` only."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from matcher.db import Database
from matcher.program import Program
from matcher.review.programs import version_content
from matcher.review.tables import ProgramVersion
from matcher.screening.reader import Row
from matcher.screening.tables import ScreeningResult


@dataclass(frozen=True)
class Item:
    external_id: str
    provider: str
    program: Program
    program_id: int | None  # None: a new program
    new_version: bool  # store the content as a new version first
    reason: str  # new | changed | refresh


@dataclass
class Plan:
    todo: list[Item]
    done: int  # rows whose result is current
    flagged_kept: int  # rows flagged for re-review, left for --refresh


def _stored(db: Database, state: str) -> dict[str, tuple[int, bool, str, dict]]:
    """external id -> (program id, flagged, content sha256 of the screened version, content)."""
    with db.session() as s:
        rows = s.execute(
            select(
                ScreeningResult.external_id,
                ScreeningResult.program_id,
                ScreeningResult.flagged,
                ProgramVersion.content_sha256,
                ProgramVersion.content,
            )
            .join(
                ProgramVersion,
                (ProgramVersion.program_id == ScreeningResult.program_id)
                & (ProgramVersion.number == ScreeningResult.version_number),
            )
            .where(ScreeningResult.state == state)
        ).all()
    return {r[0]: (r[1], r[2], r[3], r[4]) for r in rows}


def plan_rows(db: Database, state: str, rows: list[Row], *, refresh: bool) -> Plan:
    stored = _stored(db, state)
    plan = Plan([], 0, 0)
    for row in rows:
        old = stored.get(row.external_id)
        if old is None:
            plan.todo.append(Item(row.external_id, row.provider, row.program, None, True, "new"))
            continue
        program_id, flagged, sha, _ = old
        if version_content(row.program)[2] != sha:
            plan.todo.append(Item(row.external_id, row.provider, row.program, program_id, True, "changed"))
        elif flagged and refresh:
            plan.todo.append(Item(row.external_id, row.provider, row.program, program_id, False, "refresh"))
        elif flagged:
            plan.flagged_kept += 1
        else:
            plan.done += 1
    return plan


def plan_refresh(db: Database, state: str) -> Plan:
    """Every flagged result of the state, from the version it was screened on."""
    plan = Plan([], 0, 0)
    for ext, (program_id, flagged, _, content) in sorted(_stored(db, state).items()):
        if flagged:
            program = Program.model_validate(content)
            plan.todo.append(Item(ext, program.provider or "", program, program_id, False, "refresh"))
        else:
            plan.done += 1
    return plan
