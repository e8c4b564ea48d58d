"""Store imported outcome rows and find the figures of one program.

A row names its program by the id its file uses: the ETPL or provider id of the program record
(``Program.id``, e.g. ``nj-257``) or the skills-matcher program id. The figures of a program are
its row of the latest reporting period; within a period the newest import wins.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from matcher.db import Database
from matcher.errors import BadInputError, ForbiddenError
from matcher.outcomes.reader import MAX_REPORTED_ERRORS, read_outcomes
from matcher.outcomes.tables import OutcomeImport, ProgramOutcome
from matcher.review import Actor, Role, audit
from matcher.review.accounts import normalise_state
from matcher.review.tables import ProgramRecord, ProgramVersion
from matcher.review.vocab import text_ok

log = logging.getLogger(__name__)

KINDS = {"provider": "provider-reported", "etpl": "the state's ETPL performance data"}


@dataclass
class ImportReport:
    import_id: int | None
    state: str
    file_name: str
    kind: str
    source: str
    received: int
    stored: int
    errors: list[dict[str, Any]] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "import_id": self.import_id,
            "state": self.state,
            "file": self.file_name,
            "kind": self.kind,
            "source": self.source,
            "received": self.received,
            "stored": self.stored,
            "errors": self.errors,
            "columns": self.columns,
        }


def import_outcomes(
    db: Database,
    actor: Actor,
    state: str,
    content: bytes,
    *,
    filename: str,
    kind: str = "etpl",
    source: str = "",
    mapping: dict[str, str] | None = None,
) -> ImportReport:
    """Read ``content`` (CSV or XLSX) and store its good rows in one transaction (all of them
    or none); bad rows come back in ``errors`` with their line numbers. An admin, or a state
    reviewer for its own state, may import."""
    state = normalise_state(state)
    if actor.role is not Role.ADMIN and not (actor.role is Role.REVIEWER and actor.state == state):
        raise ForbiddenError("only an admin or the state's reviewer may import program outcomes")
    if kind not in KINDS:
        raise BadInputError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if len(source) > 1000 or not text_ok(source):
        raise BadInputError("the source must be at most 1000 characters without NUL")
    parsed = read_outcomes(content, filename, mapping)
    source = source.strip() or f"{KINDS[kind]} ({filename})"
    report = ImportReport(
        None, state, filename[:300], kind, source, parsed.received, 0, parsed.errors, parsed.columns
    )
    if not parsed.rows:
        return report
    with db.transaction() as s:
        batch = OutcomeImport(
            state=state,
            kind=kind,
            source=source,
            file_name=filename[:300],
            file_sha256=hashlib.sha256(content).hexdigest(),
            received=parsed.received,
            stored=len(parsed.rows),
            errors=len(parsed.errors),
            error_report=parsed.errors[:MAX_REPORTED_ERRORS],
            imported_by=actor.label[:300],
        )
        s.add(batch)
        s.flush()
        s.add_all(ProgramOutcome(import_id=batch.id, state=state, **row) for row in parsed.rows)
        audit.record(
            s,
            actor,
            "outcomes.import",
            batch,
            after={"file": filename, "stored": len(parsed.rows), "errors": len(parsed.errors)},
        )
        report.import_id, report.stored = batch.id, len(parsed.rows)
    log.info(
        "imported %d outcome rows for %s from %s (%d bad)", report.stored, state, filename, len(parsed.errors)
    )
    return report


def outcome_dict(row: ProgramOutcome, batch: OutcomeImport) -> dict[str, Any]:
    return {
        "program_ref": row.program_ref,
        "provider": row.provider,
        "period": row.period,
        "completion_rate": row.completion_rate,
        "placement_rate": row.placement_rate,
        "median_earnings": row.median_earnings,
        "earnings_period": row.earnings_period,
        "price_parity": row.price_parity,
        "tuition_and_fees": row.tuition_and_fees,
        "enrolled": row.enrolled,
        "completers": row.completers,
        "placed": row.placed,
        "kind": batch.kind,
        "source": batch.source,
        "file": batch.file_name,
        "line": row.line,
        "import_id": batch.id,
        "imported_at": batch.imported_at.isoformat(timespec="seconds"),
    }


def outcome_for(s: Session, state: str, program_id: int, external_id: str | None) -> dict[str, Any] | None:
    """The figures of a program (its latest period, newest import), or None."""
    refs = [str(program_id), *([external_id] if external_id else [])]
    found = s.execute(
        select(ProgramOutcome, OutcomeImport)
        .join(OutcomeImport, OutcomeImport.id == ProgramOutcome.import_id)
        .where(ProgramOutcome.state == state, or_(*(ProgramOutcome.program_ref == r for r in refs)))
        .order_by(ProgramOutcome.period.desc(), ProgramOutcome.import_id.desc())
        .limit(1)
    ).first()
    return outcome_dict(*found) if found else None


def outcome_of_record(s: Session, record: ProgramRecord) -> dict[str, Any] | None:
    """The figures of a program record, by its id or the id its newest version states."""
    content = s.scalars(
        select(ProgramVersion.content).where(
            ProgramVersion.program_id == record.id, ProgramVersion.number == record.latest_version
        )
    ).first()
    return outcome_for(s, record.state, record.id, (content or {}).get("id"))
