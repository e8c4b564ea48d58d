"""Organisations, users and API keys. Admins manage them; everyone may list organisations
(a provider needs the employers' ids to share a program)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from matcher.review import accounts
from matcher.review.schemas import (
    ApiKeyIn,
    ApiKeyOut,
    ListOut,
    NewApiKeyOut,
    OrganisationIn,
    OrganisationOut,
    UserIn,
    UserOut,
)
from matcher.review.vocab import OrgKind
from service.access import ActorDep, DbDep
from service.schemas import ErrorOut

router = APIRouter(tags=["organisations and users"])
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut},
    403: {"model": ErrorOut},
    422: {"model": ErrorOut},
}


@router.get("/organisations", response_model=ListOut[OrganisationOut], responses=ERRORS)
def list_organisations(actor: ActorDep, db: DbDep, kind: Annotated[OrgKind | None, Query()] = None) -> dict:
    """Organisations of the partnership (id, name, kind, state), optionally of one kind.

    **Roles:** any authenticated user."""
    data = accounts.list_orgs(db, kind.value if kind else None)
    return {"data": data, "count": len(data)}


@router.post(
    "/organisations",
    status_code=201,
    response_model=OrganisationOut,
    responses={**ERRORS, 409: {"model": ErrorOut}},
)
def create_organisation(body: OrganisationIn, actor: ActorDep, db: DbDep) -> dict:
    """Create a training provider, employer or state agency.

    **Roles:** admin."""
    return accounts.create_org(db, actor, name=body.name, kind=body.kind.value, state=body.state)


@router.get("/users", response_model=ListOut[UserOut], responses=ERRORS)
def list_users(actor: ActorDep, db: DbDep) -> dict:
    """Every user with role and organisation.

    **Roles:** admin."""
    data = accounts.list_users(db, actor)
    return {"data": data, "count": len(data)}


@router.post(
    "/users",
    status_code=201,
    response_model=UserOut,
    responses={**ERRORS, 404: {"model": ErrorOut}, 409: {"model": ErrorOut}},
)
def create_user(body: UserIn, actor: ActorDep, db: DbDep) -> dict:
    """Create a user with one role in one organisation (provider → training provider, employer →
    employer, reviewer → state agency). Without a password the user works with API keys only.

    **Roles:** admin."""
    return accounts.create_user(
        db,
        actor,
        email=body.email,
        name=body.name,
        role=body.role.value,
        org=body.organisation_id,
        password=body.password,
    )


@router.post(
    "/users/{user_id}/api-keys",
    status_code=201,
    response_model=NewApiKeyOut,
    responses={**ERRORS, 404: {"model": ErrorOut}},
)
def create_api_key(user_id: int, body: ApiKeyIn, actor: ActorDep, db: DbDep) -> dict:
    """Create an API key for a user. The key is in this response only; the database keeps its
    argon2id hash.

    **Roles:** admin."""
    record, token = accounts.create_api_key(db, actor, user=user_id, label=body.label)
    return {**record, "key": token}


@router.delete("/api-keys/{prefix}", response_model=ApiKeyOut, responses={**ERRORS, 404: {"model": ErrorOut}})
def revoke_api_key(prefix: str, actor: ActorDep, db: DbDep) -> dict:
    """Revoke an API key (by its public prefix); it stops working at once.

    **Roles:** admin."""
    return accounts.revoke_api_key(db, actor, prefix=prefix)
