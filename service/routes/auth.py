"""Sign-in for the web UI (a session cookie) and the current user."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from matcher.review.actor import Actor
from matcher.review.auth import logout
from matcher.review.schemas import LoginIn, LoginOut, MeOut
from service.access import (
    SESSION_COOKIE,
    ActorDep,
    DbDep,
    clear_session_cookie,
    session_csrf,
    set_session_cookie,
)
from service.schemas import ErrorOut
from service.signin import throttled_login

router = APIRouter(prefix="/auth", tags=["auth"])


def me_dict(actor: Actor) -> dict:
    return MeOut(
        user_id=actor.user_id,
        name=actor.name,
        email=actor.email,
        role=actor.role.value,
        organisation=actor.org_name,
        state=actor.state,
    ).model_dump()


@router.post(
    "/login", response_model=LoginOut, responses={401: {"model": ErrorOut}, 429: {"model": ErrorOut}}
)
async def login_route(body: LoginIn, request: Request, response: Response, db: DbDep) -> dict:
    """Sign in with email and password; sets the HttpOnly session cookie and returns the CSRF
    token that cookie-authenticated writes must send as `X-CSRF-Token`. A wrong email or
    password gets the same 401. Repeated failures are throttled per account and per address
    (later answers, then a lock: 429 with `Retry-After`), the same as the web form's.

    **Roles:** anyone (no credentials needed)."""
    settings = request.app.state.settings
    signed_in = await throttled_login(request, db, body.email, body.password)
    set_session_cookie(response, settings, signed_in.token)
    return {
        "user": me_dict(signed_in.actor),
        "csrf_token": session_csrf(settings, signed_in.session_id),
        "expires_at": signed_in.expires_at.isoformat(),
    }


@router.post("/logout", status_code=204, responses={401: {"model": ErrorOut}})
def logout_route(request: Request, actor: ActorDep, db: DbDep) -> Response:
    """End the web session (the cookie is cleared and the session deleted).

    **Roles:** any signed-in user."""
    logout(db, request.cookies.get(SESSION_COOKIE))
    response = Response(status_code=204)
    clear_session_cookie(response, request.app.state.settings)
    return response


@router.get("/me", response_model=MeOut, responses={401: {"model": ErrorOut}})
def me(actor: ActorDep) -> dict:
    """Who the credentials belong to: name, role, organisation and its state.

    **Roles:** any authenticated user."""
    return me_dict(actor)
