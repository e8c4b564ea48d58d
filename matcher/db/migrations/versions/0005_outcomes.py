"""Workforce Pell outcome checks: imported completion, placement and earnings figures of
programs (one row per import, and its per-program rows).

Revision ID: 0005_outcomes
Revises: 0004_screening
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import matcher.db.base

revision: str = "0005_outcomes"
down_revision: str | None = "0004_screening"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UtcDateTime = matcher.db.base.UtcDateTime


def upgrade() -> None:
    op.create_table(
        "outcome_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=2), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=1000), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("received", sa.Integer(), nullable=False),
        sa.Column("stored", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("error_report", sa.JSON(), nullable=False),
        sa.Column("imported_at", UtcDateTime(), nullable=False),
        sa.Column("imported_by", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcome_imports")),
    )
    op.create_index(op.f("ix_outcome_imports_state"), "outcome_imports", ["state"])
    op.create_table(
        "program_outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=2), nullable=False),
        sa.Column("program_ref", sa.String(length=100), nullable=False),
        sa.Column("provider", sa.String(length=300), nullable=False),
        sa.Column("period", sa.String(length=100), nullable=False),
        sa.Column("completion_rate", sa.Float(), nullable=True),
        sa.Column("placement_rate", sa.Float(), nullable=True),
        sa.Column("median_earnings", sa.Float(), nullable=True),
        sa.Column("earnings_period", sa.String(length=100), nullable=False),
        sa.Column("price_parity", sa.Float(), nullable=True),
        sa.Column("tuition_and_fees", sa.Float(), nullable=True),
        sa.Column("enrolled", sa.Integer(), nullable=True),
        sa.Column("completers", sa.Integer(), nullable=True),
        sa.Column("placed", sa.Integer(), nullable=True),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["outcome_imports.id"],
            name=op.f("fk_program_outcomes_import_id_outcome_imports"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_program_outcomes")),
    )
    op.create_index(op.f("ix_program_outcomes_import_id"), "program_outcomes", ["import_id"])
    op.create_index("ix_program_outcomes_ref", "program_outcomes", ["state", "program_ref"])


def downgrade() -> None:
    op.drop_index("ix_program_outcomes_ref", table_name="program_outcomes")
    op.drop_index(op.f("ix_program_outcomes_import_id"), table_name="program_outcomes")
    op.drop_table("program_outcomes")
    op.drop_index(op.f("ix_outcome_imports_state"), table_name="outcome_imports")
    op.drop_table("outcome_imports")
