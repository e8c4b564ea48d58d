"""Who is calling: the review database and the current user, as FastAPI dependencies.

A request authenticates with an API key (header ``X-API-Key``) or with the web UI's session
cookie. With the cookie, state-changing requests must also carry the session's CSRF token
(header ``X-CSRF-Token``, or the ``csrf_token`` form field in the web UI). A missing or wrong
credential is a 401 that does not say which part was wrong.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, FastAPI, Request, Response, Security
from fastapi.security import APIKeyCookie, APIKeyHeader

from matcher.db import Database, get_database
from matcher.errors import ForbiddenError
from matcher.review import Actor
from matcher.review.auth import CredentialsError, authenticate_key, resolve_session
from matcher.review.hashing import check_csrf, csrf_token
from matcher.settings import Settings
from service.signin import guard_address, throttle_of

SESSION_COOKIE = "matcher_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

api_key_scheme = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    scheme_name="ApiKey",
    description="An API key (`matcher admin create-key`), shown once at creation.",
)
session_scheme = APIKeyCookie(
    name=SESSION_COOKIE,
    auto_error=False,
    scheme_name="SessionCookie",
    description="The web UI's sign-in (POST /auth/login); writes also need the X-CSRF-Token header.",
)


def get_db(request: Request) -> Database:
    db = getattr(request.app.state, "review_db", None)
    if db is None:
        db = request.app.state.review_db = get_database(request.app.state.settings)
    return db


def session_csrf(settings: Settings, session_id: str) -> str:
    return csrf_token(settings.session_secret, "session", session_id)


def current_actor(
    request: Request,
    db: Annotated[Database, Depends(get_db)],
    api_key: Annotated[str | None, Security(api_key_scheme)] = None,
    session_token: Annotated[str | None, Security(session_scheme)] = None,
) -> Actor:
    if api_key is not None:  # a bad key never falls back to the cookie
        address = guard_address(request, db)  # 429 for an address that keeps sending wrong keys
        try:
            return authenticate_key(db, api_key)
        except CredentialsError:
            throttle_of(request).failed({"address": address})
            raise
    found = resolve_session(db, session_token) if session_token else None
    if found is None:
        raise CredentialsError()
    actor, sid = found
    if request.method not in SAFE_METHODS:
        settings: Settings = request.app.state.settings
        if not check_csrf(settings.session_secret, "session", sid, request.headers.get(CSRF_HEADER)):
            raise ForbiddenError(f"cookie-authenticated writes need the {CSRF_HEADER} header")
    request.state.session_id = sid
    return actor


def set_session_cookie(response: Response, settings: Settings, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(settings.session_hours * 3600),
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )


def clear_session_cookie(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=settings.secure_cookies
    )


DbDep = Annotated[Database, Depends(get_db)]
ActorDep = Annotated[Actor, Depends(current_actor)]

OPEN_ROLES = (
    "**Roles:** anyone, no credentials needed: the route works on what the request carries and "
    "the public reference data (or aggregates of job postings), shows no organisation's data and "
    "stores nothing."
)


TOO_MANY = {
    "description": "Over the client's request rate, text budget or concurrency; see `Retry-After`.",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
}


def document_open_routes(app: FastAPI) -> None:
    """Every operation of the OpenAPI schema documents its roles: the ones without credentials
    get :data:`OPEN_ROLES` (the matrix in ``tests/test_role_matrix.py`` lists each of them).
    Every operation rate-limited by ``service.ratelimit`` documents its 429."""
    from service.ratelimit import UNLIMITED_PATHS

    generate = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = generate()
            for path, operations in schema.get("paths", {}).items():
                for op in operations.values():
                    if path not in UNLIMITED_PATHS:
                        op.setdefault("responses", {}).setdefault("429", TOO_MANY)
                    description = op.get("description") or ""
                    if not op.get("security") and "**Roles:**" not in description:
                        op["description"] = f"{description}\n\n{OPEN_ROLES}".strip()
        return app.openapi_schema or generate()

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to extend the schema
