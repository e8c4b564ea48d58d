"""Tables of list screening (migration ``0004_screening``).

- ``screening_runs``: one row per ``matcher screen`` / ``POST /screenings`` call: state, input
  files and their SHA-256, counts, per-row input errors, who started it, when it finished. A run
  that did not finish is continued by the next run over the same inputs.
- ``screening_results``: one row per screened program (the program's current result; a
  refresh updates it): the snapshot it came from, the Pell checks (status per check), the top
  occupations, coverage of the top occupation, the data versions, model and state list used,
  and the re-review ``flags`` (``[{"kind", "reason", "since"}]``, empty when none).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matcher.db.base import Base, utcnow
from matcher.review.tables import Audited, ProgramRecord


class ScreeningRun(Audited, Base):
    __tablename__ = "screening_runs"
    __audit_entity__ = "screening_run"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    state: Mapped[str] = mapped_column(String(2), index=True)
    source: Mapped[str] = mapped_column(String(1000))  # file names, comma-separated
    inputs_sha256: Mapped[str] = mapped_column(String(64), index=True)  # of the files' bytes
    refresh: Mapped[bool] = mapped_column(Boolean, default=False)  # --refresh: flagged programs only
    status: Mapped[str] = mapped_column(String(16), default="running")  # running | finished
    counts: Mapped[dict[str, Any]]  # rows, screened, skipped (already done), errors
    errors: Mapped[list[Any]]  # [{"file", "line", "id", "error"}] rows not screened
    started_by: Mapped[str] = mapped_column(String(300))  # the actor's label
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]


class ScreeningResult(Audited, Base):
    __tablename__ = "screening_results"
    __audit_entity__ = "screening_result"
    __table_args__ = (UniqueConstraint("state", "external_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), unique=True)
    external_id: Mapped[str] = mapped_column(String(200))  # the ETPL's program id (e.g. nj-257)
    state: Mapped[str] = mapped_column(String(2), index=True)
    provider_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("screening_runs.id"), index=True)  # last writer
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("alignment_snapshots.id"))
    version_number: Mapped[int]
    title: Mapped[str] = mapped_column(String(500))
    clock_hours: Mapped[float | None] = mapped_column(Float)
    weeks: Mapped[float | None] = mapped_column(Float)
    top_code: Mapped[str] = mapped_column(String(16), default="")  # O*NET-SOC; "" = none
    top_title: Mapped[str] = mapped_column(String(300), default="")
    top_score: Mapped[float | None] = mapped_column(Float)
    top_coverage: Mapped[float | None] = mapped_column(Float)  # percent of the top occupation
    occupations: Mapped[list[Any]]  # [{"code", "title", "score", "coverage"}] best first
    checks: Mapped[list[Any]]  # [{"id", "name", "status", "reason"}] the packet's Pell checks
    passed: Mapped[int] = mapped_column(Integer, default=0)  # checks with status pass
    failed: Mapped[int] = mapped_column(Integer, default=0)
    unknown: Mapped[int] = mapped_column(Integer, default=0)
    flags: Mapped[list[Any]]  # [{"kind", "reason", "since"}] re-review triggers; [] = none
    flagged: Mapped[bool] = mapped_column(Boolean, default=False, index=True)  # flags != []
    model_version: Mapped[str] = mapped_column(String(255), default="")
    data_versions: Mapped[dict[str, Any]]  # data fingerprint, state list, demand shares used
    screened_at: Mapped[datetime] = mapped_column(default=utcnow)  # last computed
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)  # last change (flags too)

    program: Mapped[ProgramRecord] = relationship(lazy="joined")
