"""Tables of program outcomes (migration ``0005_outcomes``).

- ``outcome_imports``: one row per imported file (state, file name and SHA-256, where the figures
  come from, provider-reported or the state's ETPL performance data, counts and the per-line
  errors, who imported it and when).
- ``program_outcomes``: one row per program and reporting period: completion and placement rates
  (fractions), median annual earnings of completers, the cohort counts behind them when given,
  tuition and fees as reported, the line of the file. A row names its program by the id the file
  uses (``program_ref``: the ETPL or provider id, or a skills-matcher program id); the newest
  import of a program and period is the one the checks read.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from matcher.db.base import Base, utcnow
from matcher.review.tables import Audited


class OutcomeImport(Audited, Base):
    __tablename__ = "outcome_imports"
    __audit_entity__ = "outcome_import"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    state: Mapped[str] = mapped_column(String(2), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # provider | etpl
    source: Mapped[str] = mapped_column(String(1000))
    file_name: Mapped[str] = mapped_column(String(300))
    file_sha256: Mapped[str] = mapped_column(String(64))
    received: Mapped[int] = mapped_column(Integer)
    stored: Mapped[int] = mapped_column(Integer)
    errors: Mapped[int] = mapped_column(Integer)
    error_report: Mapped[list[Any]] = mapped_column(default=list)  # [{line, message}], capped
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(300))


class ProgramOutcome(Base):
    __tablename__ = "program_outcomes"
    __table_args__ = (Index("ix_program_outcomes_ref", "state", "program_ref"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("outcome_imports.id"), index=True)
    state: Mapped[str] = mapped_column(String(2))
    program_ref: Mapped[str] = mapped_column(String(100))
    provider: Mapped[str] = mapped_column(String(300), default="")
    period: Mapped[str] = mapped_column(String(100))
    completion_rate: Mapped[float | None] = mapped_column(Float)
    placement_rate: Mapped[float | None] = mapped_column(Float)
    median_earnings: Mapped[float | None] = mapped_column(Float)
    earnings_period: Mapped[str] = mapped_column(String(100), default="")
    price_parity: Mapped[float | None] = mapped_column(Float)  # regional price parity, 100 = U.S.
    tuition_and_fees: Mapped[float | None] = mapped_column(Float)
    enrolled: Mapped[int | None] = mapped_column(Integer)
    completers: Mapped[int | None] = mapped_column(Integer)
    placed: Mapped[int | None] = mapped_column(Integer)
    line: Mapped[int] = mapped_column(Integer)
