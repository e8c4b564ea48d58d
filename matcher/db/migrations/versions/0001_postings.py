"""Job postings: import batches, postings, MinHash buckets and signatures, posting skills.

Revision ID: 0001_postings
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import matcher.db.base

revision: str = "0001_postings"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UtcDateTime = matcher.db.base.UtcDateTime


def upgrade() -> None:
    op.create_table(
        "import_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("format", sa.String(length=32), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("received", sa.Integer(), nullable=False),
        sa.Column("stored", sa.Integer(), nullable=False),
        sa.Column("duplicates", sa.Integer(), nullable=False),
        sa.Column("near_duplicates", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("needs_review", sa.Integer(), nullable=False),
        sa.Column("coder_version", sa.String(length=64), nullable=False),
        sa.Column("error_report", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batches")),
    )
    op.create_table(
        "postings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("source_ref", sa.String(length=500), nullable=True),
        sa.Column("external_id", sa.String(length=255), nullable=True),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("employer", sa.String(length=500), nullable=True),
        sa.Column("location", sa.String(length=500), nullable=True),
        sa.Column("city", sa.String(length=255), nullable=True),
        sa.Column("county", sa.String(length=255), nullable=True),
        sa.Column("metro", sa.String(length=255), nullable=True),
        sa.Column("state", sa.String(length=64), nullable=True),
        sa.Column("country", sa.String(length=64), nullable=True),
        sa.Column("postal_code", sa.String(length=32), nullable=True),
        sa.Column("date_posted", sa.Date(), nullable=True),
        sa.Column("salary_min", sa.Float(), nullable=True),
        sa.Column("salary_max", sa.Float(), nullable=True),
        sa.Column("salary_currency", sa.String(length=8), nullable=True),
        sa.Column("salary_period", sa.String(length=16), nullable=True),
        sa.Column("employment_type", sa.String(length=64), nullable=True),
        sa.Column("stated_code", sa.String(length=32), nullable=True),
        sa.Column("stated_category", sa.String(length=500), nullable=True),
        sa.Column("stated_skills", sa.Text(), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("cluster_id", sa.BigInteger(), nullable=True),
        sa.Column("occupation_code", sa.String(length=16), nullable=True),
        sa.Column("occupation_title", sa.String(length=255), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("coding_method", sa.String(length=16), nullable=True),
        sa.Column("candidates", sa.JSON(), nullable=False),
        sa.Column("needs_review", sa.Boolean(), nullable=False),
        sa.Column("coder_version", sa.String(length=64), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
            name=op.f("fk_postings_batch_id_import_batches"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_postings")),
        sa.UniqueConstraint("text_hash", name=op.f("uq_postings_text_hash")),
    )
    op.create_index(op.f("ix_postings_batch_id"), "postings", ["batch_id"])
    op.create_index(op.f("ix_postings_state"), "postings", ["state"])
    op.create_index(op.f("ix_postings_needs_review"), "postings", ["needs_review"])
    op.create_index("ix_postings_cluster", "postings", ["cluster_id"])
    op.create_index("ix_postings_occupation_date", "postings", ["occupation_code", "date_posted"])
    op.create_table(
        "posting_minhash",
        sa.Column("posting_id", sa.Integer(), nullable=False),
        sa.Column("band", sa.SmallInteger(), nullable=False),
        sa.Column("bucket", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["posting_id"],
            ["postings.id"],
            name=op.f("fk_posting_minhash_posting_id_postings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("posting_id", "band", name=op.f("pk_posting_minhash")),
    )
    op.create_index("ix_posting_minhash_bucket", "posting_minhash", ["band", "bucket"])
    op.create_table(
        "posting_signatures",
        sa.Column("posting_id", sa.Integer(), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["posting_id"],
            ["postings.id"],
            name=op.f("fk_posting_signatures_posting_id_postings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("posting_id", name=op.f("pk_posting_signatures")),
    )
    op.create_table(
        "posting_skills",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("posting_id", sa.Integer(), nullable=False),
        sa.Column("taxonomy", sa.String(length=16), nullable=False),
        sa.Column("skill_id", sa.String(length=255), nullable=False),
        sa.Column("label", sa.String(length=500), nullable=False),
        sa.Column("matched_text", sa.String(length=500), nullable=True),
        sa.Column("start_char", sa.Integer(), nullable=True),
        sa.Column("end_char", sa.Integer(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("method", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["posting_id"],
            ["postings.id"],
            name=op.f("fk_posting_skills_posting_id_postings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_posting_skills")),
    )
    op.create_index(op.f("ix_posting_skills_posting_id"), "posting_skills", ["posting_id"])
    op.create_index("ix_posting_skills_skill", "posting_skills", ["taxonomy", "skill_id"])


def downgrade() -> None:
    op.drop_table("posting_skills")
    op.drop_table("posting_signatures")
    op.drop_table("posting_minhash")
    op.drop_table("postings")
    op.drop_table("import_batches")
