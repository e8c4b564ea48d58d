"""List screening: one row per screening run (inputs, counts, per-row errors) and one current
result per screened program (Pell check statuses, top occupations, coverage, data versions,
re-review flags).

Revision ID: 0004_screening
Revises: 0003_state_lists
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import matcher.db.base

revision: str = "0004_screening"
down_revision: str | None = "0003_state_lists"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UtcDateTime = matcher.db.base.UtcDateTime


def upgrade() -> None:
    op.create_table(
        "screening_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=2), nullable=False),
        sa.Column("source", sa.String(length=1000), nullable=False),
        sa.Column("inputs_sha256", sa.String(length=64), nullable=False),
        sa.Column("refresh", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("started_by", sa.String(length=300), nullable=False),
        sa.Column("started_at", UtcDateTime(), nullable=False),
        sa.Column("finished_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_runs")),
    )
    op.create_index(op.f("ix_screening_runs_state"), "screening_runs", ["state"])
    op.create_index(op.f("ix_screening_runs_inputs_sha256"), "screening_runs", ["inputs_sha256"])
    op.create_table(
        "screening_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=2), nullable=False),
        sa.Column("provider_org_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("version_number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("clock_hours", sa.Float(), nullable=True),
        sa.Column("weeks", sa.Float(), nullable=True),
        sa.Column("top_code", sa.String(length=16), nullable=False),
        sa.Column("top_title", sa.String(length=300), nullable=False),
        sa.Column("top_score", sa.Float(), nullable=True),
        sa.Column("top_coverage", sa.Float(), nullable=True),
        sa.Column("occupations", sa.JSON(), nullable=False),
        sa.Column("checks", sa.JSON(), nullable=False),
        sa.Column("passed", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("unknown", sa.Integer(), nullable=False),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("flagged", sa.Boolean(), nullable=False),
        sa.Column("model_version", sa.String(length=255), nullable=False),
        sa.Column("data_versions", sa.JSON(), nullable=False),
        sa.Column("screened_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"], ["programs.id"], name=op.f("fk_screening_results_program_id_programs")
        ),
        sa.ForeignKeyConstraint(
            ["provider_org_id"],
            ["organisations.id"],
            name=op.f("fk_screening_results_provider_org_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["screening_runs.id"], name=op.f("fk_screening_results_run_id_screening_runs")
        ),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["alignment_snapshots.id"],
            name=op.f("fk_screening_results_snapshot_id_alignment_snapshots"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_results")),
        sa.UniqueConstraint("program_id", name=op.f("uq_screening_results_program_id")),
        sa.UniqueConstraint("state", "external_id", name=op.f("uq_screening_results_state_external_id")),
    )
    op.create_index(op.f("ix_screening_results_state"), "screening_results", ["state"])
    op.create_index(op.f("ix_screening_results_provider_org_id"), "screening_results", ["provider_org_id"])
    op.create_index(op.f("ix_screening_results_run_id"), "screening_results", ["run_id"])
    op.create_index(op.f("ix_screening_results_flagged"), "screening_results", ["flagged"])


def downgrade() -> None:
    op.drop_index(op.f("ix_screening_results_flagged"), table_name="screening_results")
    op.drop_index(op.f("ix_screening_results_run_id"), table_name="screening_results")
    op.drop_index(op.f("ix_screening_results_provider_org_id"), table_name="screening_results")
    op.drop_index(op.f("ix_screening_results_state"), table_name="screening_results")
    op.drop_table("screening_results")
    op.drop_index(op.f("ix_screening_runs_inputs_sha256"), table_name="screening_runs")
    op.drop_index(op.f("ix_screening_runs_state"), table_name="screening_runs")
    op.drop_table("screening_runs")
