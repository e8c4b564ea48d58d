"""The matcher's tables (SQLAlchemy 2, typed declarative). Change them only together with a new
migration under ``migrations/versions/``.

- ``import_batches``: one row per import (a file or one ``POST /postings`` call) with its counts
  and the per-record errors.
- ``postings``: one row per distinct advert (exact duplicates are not stored again; near
  duplicates are stored and share ``cluster_id``, the id of the first posting of their cluster,
  so demand counts each cluster once).
- ``posting_minhash``: LSH band buckets of each posting's MinHash signature, to find
  near-duplicate candidates with an indexed lookup.
- ``posting_skills``: skills found in a posting (taxonomy, skill id, matched text, offsets).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matcher.db.base import Base, utcnow


class ImportBatch(Base):
    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(500))  # file name(s) or "api"
    format: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    received: Mapped[int] = mapped_column(default=0)  # records read
    stored: Mapped[int] = mapped_column(default=0)  # new postings written
    duplicates: Mapped[int] = mapped_column(default=0)  # exact duplicates, not stored again
    near_duplicates: Mapped[int] = mapped_column(default=0)  # stored, merged into a cluster
    errors: Mapped[int] = mapped_column(default=0)  # records rejected (see error_report)
    needs_review: Mapped[int] = mapped_column(default=0)  # stored postings the coder abstained on
    coder_version: Mapped[str] = mapped_column(String(64), default="")
    error_report: Mapped[list[Any]] = mapped_column(default=list)  # [{line, id, message}], capped

    postings: Mapped[list[Posting]] = relationship(back_populates="batch")


class Posting(Base):
    __tablename__ = "postings"
    __table_args__ = (
        Index("ix_postings_occupation_date", "occupation_code", "date_posted"),
        Index("ix_postings_cluster", "cluster_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(500))  # file name, "api", or the record's own source
    source_ref: Mapped[str | None] = mapped_column(String(500))  # line number, URL or record id
    external_id: Mapped[str | None] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text)
    employer: Mapped[str | None] = mapped_column(String(500))
    location: Mapped[str | None] = mapped_column(String(500))  # as given
    city: Mapped[str | None]
    county: Mapped[str | None]
    metro: Mapped[str | None]
    state: Mapped[str | None] = mapped_column(String(64), index=True)  # US: two-letter code
    country: Mapped[str | None] = mapped_column(String(64))
    postal_code: Mapped[str | None] = mapped_column(String(32))
    date_posted: Mapped[date | None] = mapped_column(Date)
    salary_min: Mapped[float | None] = mapped_column(Float)
    salary_max: Mapped[float | None] = mapped_column(Float)
    salary_currency: Mapped[str | None] = mapped_column(String(8))
    salary_period: Mapped[str | None] = mapped_column(String(16))  # HOUR, DAY, WEEK, MONTH, YEAR
    employment_type: Mapped[str | None] = mapped_column(String(64))
    stated_code: Mapped[str | None] = mapped_column(String(32))  # SOC / O*NET-SOC given by the source
    stated_category: Mapped[str | None] = mapped_column(String(500))  # occupationalCategory as given
    stated_skills: Mapped[str | None] = mapped_column(Text)  # JobPosting.skills as given
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)  # other fields, kept verbatim
    text_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of normalised text
    cluster_id: Mapped[int | None] = mapped_column(BigInteger)  # first posting of its near-dup cluster
    occupation_code: Mapped[str | None] = mapped_column(String(16))  # coded O*NET-SOC
    occupation_title: Mapped[str | None] = mapped_column(String(255))
    confidence: Mapped[float | None] = mapped_column(Float)
    coding_method: Mapped[str | None] = mapped_column(String(16))  # stated | coder
    candidates: Mapped[list[Any]] = mapped_column(default=list)  # [{code, title, score}], best first
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    coder_version: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    batch: Mapped[ImportBatch] = relationship(back_populates="postings")
    skills: Mapped[list[PostingSkill]] = relationship(
        back_populates="posting", cascade="all, delete-orphan", passive_deletes=True
    )


class PostingMinhash(Base):
    __tablename__ = "posting_minhash"
    __table_args__ = (Index("ix_posting_minhash_bucket", "band", "bucket"),)

    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id", ondelete="CASCADE"), primary_key=True)
    band: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    bucket: Mapped[int] = mapped_column(BigInteger)


class PostingSignature(Base):
    __tablename__ = "posting_signatures"

    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id", ondelete="CASCADE"), primary_key=True)
    signature: Mapped[bytes] = mapped_column(LargeBinary)  # MinHash, uint32 little-endian


class PostingSkill(Base):
    __tablename__ = "posting_skills"
    __table_args__ = (Index("ix_posting_skills_skill", "taxonomy", "skill_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id", ondelete="CASCADE"), index=True)
    taxonomy: Mapped[str] = mapped_column(String(16))  # onet-tech | onet-tool | onet-dwa | esco
    skill_id: Mapped[str] = mapped_column(String(255))
    label: Mapped[str] = mapped_column(String(500))
    matched_text: Mapped[str | None] = mapped_column(String(500))
    start: Mapped[int | None] = mapped_column("start_char")  # offsets into title + "\n" + description
    end: Mapped[int | None] = mapped_column("end_char")
    score: Mapped[float | None] = mapped_column(Float)
    method: Mapped[str | None] = mapped_column(String(32))

    posting: Mapped[Posting] = relationship(back_populates="skills")
