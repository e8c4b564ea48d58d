"""Evidence packets: states' lists of high-skill, high-wage or in-demand occupations, imported
from CSV (one row per import, and its SOC codes).

Revision ID: 0003_state_lists
Revises: 0002_review
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import matcher.db.base

revision: str = "0003_state_lists"
down_revision: str | None = "0002_review"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UtcDateTime = matcher.db.base.UtcDateTime


def upgrade() -> None:
    op.create_table(
        "state_occupation_lists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=2), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("source", sa.String(length=1000), nullable=False),
        sa.Column("vintage", sa.String(length=100), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("imported_at", UtcDateTime(), nullable=False),
        sa.Column("imported_by", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_state_occupation_lists")),
    )
    op.create_index(op.f("ix_state_occupation_lists_state"), "state_occupation_lists", ["state"])
    op.create_table(
        "state_occupation_list_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("soc", sa.String(length=7), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("designation", sa.String(length=100), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["state_occupation_lists.id"],
            name=op.f("fk_state_occupation_list_entries_list_id_state_occupation_lists"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_state_occupation_list_entries")),
    )
    op.create_index(
        op.f("ix_state_occupation_list_entries_list_id"), "state_occupation_list_entries", ["list_id"]
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_state_occupation_list_entries_list_id"), table_name="state_occupation_list_entries"
    )
    op.drop_table("state_occupation_list_entries")
    op.drop_index(op.f("ix_state_occupation_lists_state"), table_name="state_occupation_lists")
    op.drop_table("state_occupation_lists")
