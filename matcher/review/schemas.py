"""Request and response schemas of the review workflow (programs, snapshots, reviews, audit log,
organisations, users, sign-in): declared once, here. :mod:`matcher.review.views` builds its row
dicts through them and the service uses them as its routes' request bodies and response models."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from matcher.program import Program
from matcher.review.vocab import MAX_COMMENT_CHARS, Decision, OrgKind, Role

T = TypeVar("T")


class ListOut(BaseModel, Generic[T]):
    data: list[T]
    count: int


class OrganisationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    kind: OrgKind
    state: str = Field(min_length=2, max_length=2, description="Two-letter US state code, e.g. NJ.")


class OrganisationOut(BaseModel):
    id: int
    name: str
    kind: str
    state: str


class UserIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=3, max_length=254)
    name: str = Field(min_length=1, max_length=200)
    role: Role
    organisation_id: int
    password: str | None = Field(default=None, min_length=10, max_length=1024)


class UserOut(BaseModel):
    id: int
    email: str
    name: str
    role: str
    active: bool
    organisation: OrganisationOut


class ApiKeyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str = Field(default="", max_length=200)


class ApiKeyOut(BaseModel):
    id: int
    prefix: str
    label: str
    user_id: int
    created_at: str
    revoked_at: str | None


class NewApiKeyOut(ApiKeyOut):
    key: str = Field(description="The key itself. It is shown only in this response; store it now.")


class LoginIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=254)
    password: str = Field(max_length=1024)


class MeOut(BaseModel):
    user_id: int | None
    name: str
    email: str
    role: str
    organisation: str
    state: str


class LoginOut(BaseModel):
    user: MeOut
    csrf_token: str = Field(description="Send it as X-CSRF-Token with cookie-authenticated writes.")
    expires_at: str


class ProgramIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    program: Program = Field(description="The curriculum (ETPL fields suffice: title, description, ...).")
    note: str = Field(default="", max_length=1000, description="What changed in this version.")


class ProviderRef(BaseModel):
    id: int
    name: str


class VersionOut(BaseModel):
    number: int
    title: str
    note: str
    content_sha256: str
    created_at: str
    created_by: int
    program: dict[str, Any] | None = None


class ProgramBase(BaseModel):
    id: int
    title: str
    state: str
    provider: ProviderRef
    latest_version: int
    created_at: str


class ProgramOut(ProgramBase):
    review_count: int | None = Field(default=None, description="In listings: decisions on the program.")
    version: VersionOut | None = Field(default=None, description="After a write: the version written.")


class ShareIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    organisation_id: int = Field(description="An employer organisation (GET /organisations?kind=employer).")


class ShareOut(BaseModel):
    program_id: int
    organisation: OrganisationOut
    shared_by: int
    created_at: str


class OccupationRef(BaseModel):
    code: str
    title: str
    score: float


class SnapshotSummary(BaseModel):
    id: int
    program_id: int
    version: int
    model_version: str
    data_versions: dict[str, Any]
    created_at: str
    created_by: int
    occupations: list[OccupationRef]


class SnapshotIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int | None = Field(default=None, ge=1, description="Program version (default: the newest).")


class SnapshotOut(SnapshotSummary):
    alignment: dict[str, Any] = Field(description="The alignment, as POST /align returns it.")
    gaps: list[dict[str, Any]] = Field(description="Gaps of the reviewed occupations, as POST /gaps.")
    subjects: list[dict[str, Any]] = Field(description="What employers decide on: occupations and skills.")


class ProgramDetailOut(ProgramBase):
    versions: list[VersionOut]
    current: VersionOut
    shared_with: list[ShareOut]
    snapshots: list[SnapshotSummary]


class Person(BaseModel):
    id: int
    name: str
    organisation: str


class ReviewCreateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    occupation: str = Field(min_length=1, max_length=16, description="O*NET-SOC code under review.")
    skill: str | None = Field(
        default=None,
        max_length=600,
        description="Skill id from the snapshot's subjects ('taxonomy:id'); omit to judge the occupation.",
    )
    decision: Decision
    comment: str = Field(default="", max_length=MAX_COMMENT_CHARS)
    snapshot_id: int | None = Field(default=None, description="Default: the program's newest snapshot.")


class ReviewUpdateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1, description="The version you last saw; a stale one gets 409.")
    decision: Decision | None = None
    comment: str | None = Field(default=None, max_length=MAX_COMMENT_CHARS)


class OrganisationRef(BaseModel):
    id: int
    name: str


class ReviewOut(BaseModel):
    id: int
    program_id: int
    snapshot_id: int
    occupation: str
    skill: str | None
    subject: str
    decision: Decision
    decision_label: str
    comment: str
    version: int
    organisation: OrganisationRef
    created_by: Person
    created_at: str
    updated_by: Person
    updated_at: str


class AuditEntryOut(BaseModel):
    id: int
    at: str
    actor: str
    actor_user_id: int | None
    actor_org_id: int | None
    action: str
    entity: str
    entity_id: str
    program_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
