"""A screening run: read the exports, plan (skip what is already current), align the programs
in this process or on the Dask pipeline's workers, store each as it completes, and finish the
run row. A run over the same inputs that did not finish is continued, not started again."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from matcher.db import Database
from matcher.db.base import utcnow
from matcher.evidence.labour import LabourData
from matcher.evidence.state_lists import list_for
from matcher.review import audit
from matcher.review.accounts import normalise_state
from matcher.review.actor import Actor
from matcher.review.policy import require_screening
from matcher.review.snapshots import align_program
from matcher.runtime.progress import NULL_PROGRESS, Progress
from matcher.screening.plan import Item, Plan, plan_refresh, plan_rows
from matcher.screening.reader import Export
from matcher.screening.store import run_dict
from matcher.screening.tables import ScreeningRun
from matcher.screening.triggers import Current, demand_counts, flag_changes
from matcher.screening.write import Context, screening_user, store_result
from matcher.settings import Settings

if TYPE_CHECKING:
    from matcher.engine import Matcher
    from matcher.pipeline.worker import RuntimeConfig

log = logging.getLogger(__name__)

Aligned = tuple[dict[str, Any], list[dict[str, Any]]]
# Gaps are computed for the top occupation only (its coverage is what the table shows; the
# checks read the alignment): the gap analysis is most of a program's cost. A provider's
# "Align again" computes the full snapshot (three occupations) for employer review.
GAP_OCCUPATIONS = 1


@dataclass
class Outcome:
    run: dict[str, Any]
    external_ids: list[str] | None  # the rows of the inputs; None: no files, the whole state
    flagged: dict[str, int] = field(default_factory=dict)  # triggers fired before the run


def _open_run(db: Database, actor: Actor, state: str, export: Export, source: str, refresh: bool) -> int:
    with db.transaction() as s:
        run = s.scalars(
            select(ScreeningRun)
            .where(
                ScreeningRun.state == state,
                ScreeningRun.inputs_sha256 == export.sha256,
                ScreeningRun.refresh == refresh,
                ScreeningRun.status == "running",
            )
            .order_by(ScreeningRun.id.desc())
        ).first()
        if run is not None:
            log.info("continuing screening run %s", run.id)
            return run.id
        run = ScreeningRun(
            state=state,
            source=source[:1000],
            inputs_sha256=export.sha256,
            refresh=refresh,
            status="running",
            counts={"rows": len(export.rows) + len(export.errors)},
            errors=[p.to_dict() for p in export.errors],
            started_by=actor.label[:300],
        )
        s.add(run)
        s.flush()
        audit.record(s, actor, "screening_run.create", run, after=run_dict(run))
        return run.id


def _finish_run(db: Database, actor: Actor, run_id: int, counts: dict[str, Any], export: Export) -> dict:
    with db.transaction() as s:
        run = s.get_one(ScreeningRun, run_id)
        before = run_dict(run)
        run.counts = {**run.counts, **counts}
        run.errors = [p.to_dict() for p in export.errors]
        run.status = "finished"
        run.finished_at = utcnow()
        audit.record(s, actor, "screening_run.finish", run, before=before, after=run_dict(run))
        return run_dict(run)


def align_local(matcher: Matcher) -> Callable[[list[Item]], Iterator[tuple[Item, Aligned]]]:
    def run(items: list[Item]) -> Iterator[tuple[Item, Aligned]]:
        for item in items:
            yield item, align_program(matcher, item.program, occupations=GAP_OCCUPATIONS, client="screening")

    return run


def _align_task(config: RuntimeConfig, content: dict[str, Any]) -> Aligned:
    """Runs on a Dask worker, with the worker's loaded matcher."""
    from matcher.pipeline.worker import get_runtime
    from matcher.program import Program

    program = Program.model_validate(content)
    return align_program(
        get_runtime(config).matcher, program, occupations=GAP_OCCUPATIONS, client="screening"
    )


def align_dask(client: Any, config: RuntimeConfig) -> Callable[[list[Item]], Iterator[tuple[Item, Aligned]]]:
    """Align on the workers of a Dask client (the pipeline's runtime per worker); results come
    back in completion order."""

    def run(items: list[Item]) -> Iterator[tuple[Item, Aligned]]:
        from distributed import as_completed

        futures = {
            client.submit(_align_task, config, it.program.model_dump(mode="json"), pure=False): it
            for it in items
        }
        for fut in as_completed(list(futures)):
            yield futures[fut], fut.result()

    return run


def screen(
    db: Database,
    actor: Actor,
    export: Export | None,
    state: str,
    *,
    versions: dict[str, Any],
    aligner: Callable[[list[Item]], Iterator[tuple[Item, Aligned]]],
    settings: Settings,
    labour: LabourData,
    refresh: bool = False,
    source: str = "",
    progress: Progress = NULL_PROGRESS,
) -> Outcome:
    """Screen ``export``. Without one: with ``refresh`` recompute the state's flagged programs,
    else only update the flags."""
    state = normalise_state(state) or state
    require_screening(actor, state)
    files = export is not None
    export = export if export is not None else Export(sha256="refresh")
    current = Current(versions, list_for(db, state, labour), demand_counts(db, state), settings.demand_shift)
    flagged = flag_changes(db, actor, state, current)
    run_id = _open_run(db, actor, state, export, source or "refresh", refresh)
    plan: Plan = plan_rows(db, state, export.rows, refresh=refresh) if files else plan_refresh(db, state)
    if not files and not refresh:  # flags only: report what is flagged, compute nothing
        plan = Plan([], plan.done, len(plan.todo))
    creator = actor.user_id if actor.user_id is not None else screening_user(db, actor, state)
    ctx = Context(db, actor, creator, run_id, state, current, labour, settings)
    screened = 0
    with progress.stage(f"Screening {len(plan.todo)} program(s) of {state}", len(plan.todo)) as bar:
        for item, (alignment, gaps) in aligner(plan.todo):
            store_result(ctx, item, alignment, gaps)
            screened += 1
            bar.advance()
    counts = {
        "screened": screened,
        "already_done": plan.done,
        "flagged_left": plan.flagged_kept,
        "errors": len(export.errors),
        "warnings": len(export.warnings),
        "by_reason": {r: sum(i.reason == r for i in plan.todo) for r in ("new", "changed", "refresh")},
    }
    run = _finish_run(db, actor, run_id, counts, export)
    run["warnings"] = [p.to_dict() for p in export.warnings]
    return Outcome(run, [r.external_id for r in export.rows] if files else None, flagged)
