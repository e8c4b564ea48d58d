"""Tables of the employer review workflow (SQLAlchemy 2, on the shared :class:`matcher.db.Base`).
Change them only together with a migration under ``matcher/db/migrations/versions/``.

- ``organisations``: training providers, employers and state agencies, each in one state.
- ``users``: people with one role (provider, employer, reviewer, admin) in one organisation;
  ``password_hash`` is argon2id (empty for key-only users).
- ``api_keys``: a public ``prefix`` to find the key and the argon2id hash of its secret.
- ``web_sessions``: web UI sign-ins, stored by the SHA-256 of the cookie token.
- ``programs`` and ``program_versions``: a version is written once and never changed; a new
  curriculum is a new version.
- ``program_shares``: which employer organisations may see (and review) a program.
- ``alignment_snapshots``: an alignment computed by the matcher for one program version, with
  the gaps of its top occupations, the review subjects, and the model and data versions.
- ``reviews``: one decision (and comment) of an employer organisation on an occupation or a
  skill of a snapshot; ``version`` is the optimistic lock.
- ``audit_log``: append-only; one entry per write, in the same transaction (see ``audit.py``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, inspect
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matcher.db.base import Base, utcnow


class Audited:
    """Mixin: every insert, update or delete of these rows needs an audit entry."""

    __audit_entity__: ClassVar[str]

    def audit_key(self) -> tuple[str, str]:
        key = inspect(self).mapper.primary_key_from_instance(self)
        return self.__audit_entity__, ":".join(str(v) for v in key)


class Organisation(Audited, Base):
    __tablename__ = "organisations"
    __audit_entity__ = "organisation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # OrgKind
    state: Mapped[str] = mapped_column(String(2))  # two-letter US state code
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class User(Audited, Base):
    __tablename__ = "users"
    __audit_entity__ = "user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # lower-cased
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))  # Role
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    org: Mapped[Organisation] = relationship(lazy="joined")


class ApiKey(Audited, Base):
    __tablename__ = "api_keys"
    __audit_entity__ = "api_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(255))
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined")


class WebSession(Audited, Base):
    __tablename__ = "web_sessions"
    __audit_entity__ = "web_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 hex of the cookie token
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]

    user: Mapped[User] = relationship(lazy="joined")

    def audit_key(self) -> tuple[str, str]:
        return self.__audit_entity__, self.id[:12]  # never the whole token hash


class ProgramRecord(Audited, Base):
    __tablename__ = "programs"
    __audit_entity__ = "program"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    state: Mapped[str] = mapped_column(String(2), index=True)
    title: Mapped[str] = mapped_column(String(500))  # the newest version's title
    latest_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))

    owner: Mapped[Organisation] = relationship(lazy="joined")


class ProgramVersion(Audited, Base):
    __tablename__ = "program_versions"
    __audit_entity__ = "program_version"
    __table_args__ = (UniqueConstraint("program_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(500))
    content: Mapped[dict[str, Any]]  # the Program, as JSON
    content_sha256: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))


class ProgramShare(Audited, Base):
    __tablename__ = "program_shares"
    __audit_entity__ = "program_share"

    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), primary_key=True, index=True)
    shared_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    org: Mapped[Organisation] = relationship(lazy="joined")


class AlignmentSnapshot(Audited, Base):
    __tablename__ = "alignment_snapshots"
    __audit_entity__ = "alignment_snapshot"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("program_versions.id"))
    version_number: Mapped[int]
    model_version: Mapped[str] = mapped_column(String(255))
    data_versions: Mapped[dict[str, Any]]  # the matcher's versions (data, fingerprint, weights)
    alignment: Mapped[dict[str, Any]]  # Matcher.align(...).to_dict()
    gaps: Mapped[list[Any]]  # Matcher.gaps(...).to_dict() of the reviewed occupations
    subjects: Mapped[list[Any]]  # what employers decide on (see snapshots.build_subjects)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))


class Review(Audited, Base):
    __tablename__ = "reviews"
    __audit_entity__ = "review"
    __table_args__ = (
        UniqueConstraint("snapshot_id", "org_id", "occupation_code", "skill_key"),
        Index("ix_reviews_program", "program_id", "snapshot_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"))
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("alignment_snapshots.id"))
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    occupation_code: Mapped[str] = mapped_column(String(16))
    skill_key: Mapped[str] = mapped_column(String(600), default="")  # "" = the occupation itself
    subject_label: Mapped[str] = mapped_column(String(600))
    decision: Mapped[str] = mapped_column(String(32))  # Decision
    comment: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[int] = mapped_column(ForeignKey("users.id"))

    org: Mapped[Organisation] = relationship(lazy="joined")
    author: Mapped[User] = relationship(foreign_keys=[created_by], lazy="joined")
    editor: Mapped[User] = relationship(foreign_keys=[updated_by], lazy="joined")

    # UPDATE ... WHERE id = :id AND version = :loaded; 0 rows -> StaleDataError -> HTTP 409.
    __mapper_args__ = {"version_id_col": version}


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_user_id: Mapped[int | None]  # None: the command line or the system
    actor_org_id: Mapped[int | None]
    actor: Mapped[str] = mapped_column(String(300))  # "name <email> (role, organisation)" or "cli"
    action: Mapped[str] = mapped_column(String(64))  # e.g. review.update
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    program_id: Mapped[int | None] = mapped_column(index=True)
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]


# Append-only and written-once tables (enforced in audit.py; audit_log also by database triggers).
IMMUTABLE = (AuditEntry, ProgramVersion, AlignmentSnapshot)
