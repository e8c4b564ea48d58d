"""Reading stored screening results, with the review workflow's visibility rules: a provider
sees its own programs, an employer the programs shared with its organisation, a state
reviewer its state's, an admin everything (:func:`matcher.review.policy.visible_programs`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from matcher.errors import BadInputError, NotFoundError
from matcher.review.actor import Actor
from matcher.review.policy import visible_programs
from matcher.review.tables import Organisation, ProgramRecord
from matcher.screening.tables import ScreeningResult, ScreeningRun

SORT_KEYS = {
    "title": ScreeningResult.title,
    "provider": Organisation.name,
    "score": ScreeningResult.top_score,
    "coverage": ScreeningResult.top_coverage,
    "failed": ScreeningResult.failed,
    "unknown": ScreeningResult.unknown,
    "hours": ScreeningResult.clock_hours,
    "updated": ScreeningResult.updated_at,
    "id": ScreeningResult.program_id,
}
STATUSES = ("pass", "fail", "unknown")


def result_dict(r: ScreeningResult) -> dict[str, Any]:
    return {
        "program_id": r.program_id,
        "external_id": r.external_id,
        "state": r.state,
        "title": r.title,
        "provider": {"id": r.provider_org_id, "name": r.program.owner.name},
        "version": r.version_number,
        "snapshot_id": r.snapshot_id,
        "run_id": r.run_id,
        "clock_hours": r.clock_hours,
        "weeks": r.weeks,
        "top_occupation": {
            "code": r.top_code,
            "title": r.top_title,
            "score": r.top_score,
            "coverage": r.top_coverage,
        }
        if r.top_code
        else None,
        "occupations": r.occupations,
        "checks": r.checks,
        "summary": {"pass": r.passed, "fail": r.failed, "unknown": r.unknown},
        "flags": r.flags,
        "model_version": r.model_version,
        "data_versions": r.data_versions,
        "screened_at": r.screened_at.isoformat(),
        "updated_at": r.updated_at.isoformat(),
    }


def run_dict(run: ScreeningRun) -> dict[str, Any]:
    return {
        "id": run.id,
        "state": run.state,
        "source": run.source,
        "refresh": run.refresh,
        "status": run.status,
        "counts": run.counts,
        "errors": run.errors,
        "started_by": run.started_by,
        "started_at": run.started_at.isoformat(),
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
    }


def _query(actor: Actor) -> Select[ScreeningResult]:
    return (
        select(ScreeningResult)
        .join(ProgramRecord, ProgramRecord.id == ScreeningResult.program_id)
        .join(Organisation, Organisation.id == ScreeningResult.provider_org_id)
        .where(visible_programs(actor))
    )


def _check_status(r: ScreeningResult, check: str, status: str | None) -> bool:
    found = next((c for c in r.checks if c["id"] == check), None)
    return found is not None and (status is None or found["status"] == status)


def list_results(
    session: Session,
    actor: Actor,
    *,
    state: str | None = None,
    status: str | None = None,
    check: str | None = None,
    provider_org_id: int | None = None,
    occupation_group: str | None = None,
    flagged: bool | None = None,
    sort: str = "title",
    descending: bool = False,
    offset: int = 0,
    limit: int | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """``(page of result dicts, total matching)`` of the screening results the actor can see.

    ``status`` alone: ``fail``/``unknown`` = at least one check with that status, ``pass`` = every
    check passed. With ``check`` (a check id such as ``length_hours``): that check has ``status``
    (any status when None). ``occupation_group``: SOC major group of the top occupation ("47").
    """
    if status is not None and status not in STATUSES:
        raise BadInputError(f"unknown status {status!r}; choose one of: {', '.join(STATUSES)}")
    if sort not in SORT_KEYS:
        raise BadInputError(f"unknown sort key {sort!r}; choose one of: {', '.join(SORT_KEYS)}")
    q = _query(actor)
    if state:
        q = q.where(ScreeningResult.state == state.upper())
    if provider_org_id is not None:
        q = q.where(ScreeningResult.provider_org_id == provider_org_id)
    if occupation_group:
        q = q.where(ScreeningResult.top_code.like(f"{occupation_group[:2]}-%"))
    if flagged is not None:
        q = q.where(ScreeningResult.flagged == flagged)
    if status is not None and check is None:
        if status == "pass":
            q = q.where(ScreeningResult.failed == 0, ScreeningResult.unknown == 0)
        else:
            column = ScreeningResult.failed if status == "fail" else ScreeningResult.unknown
            q = q.where(column > 0)
    key = SORT_KEYS[sort]
    q = q.order_by(key.desc() if descending else key.asc(), ScreeningResult.program_id)
    if check is not None:  # the check list is JSON: filter in Python, then page
        rows = [r for r in session.scalars(q) if _check_status(r, check, status)]
        page = rows[offset : offset + limit if limit is not None else None]
        return [result_dict(r) for r in page], len(rows)
    total = session.scalar(select(func.count()).select_from(q.order_by(None).subquery())) or 0
    page_q = q.offset(offset).limit(limit) if limit is not None else q.offset(offset)
    return [result_dict(r) for r in session.scalars(page_q)], total


def get_result(session: Session, actor: Actor, program_id: int) -> dict[str, Any]:
    """The screening result of one program the actor can see (404 otherwise)."""
    row = session.scalars(_query(actor).where(ScreeningResult.program_id == program_id)).first()
    if row is None:
        raise NotFoundError(f"no screening result for program {program_id}")
    return result_dict(row)


def results_for(
    session: Session, actor: Actor, state: str, external_ids: list[str] | None
) -> list[dict[str, Any]]:
    """The visible results of the given ETPL ids, in their order (the rows of an export);
    every visible result of the state when ``external_ids`` is None."""
    rows, _ = list_results(session, actor, state=state, sort="id")
    if external_ids is None:
        return rows
    by_id = {r["external_id"]: r for r in rows}
    return [by_id[e] for e in dict.fromkeys(external_ids) if e in by_id]
