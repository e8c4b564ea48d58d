"""Server-rendered web UI plumbing: Jinja2 templates, security headers, CSRF tokens for forms,
and a route class that turns domain errors into HTML pages (and a missing sign-in into a
redirect to the sign-in page) instead of JSON."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates

from matcher.errors import MatcherError
from matcher.review import Actor
from matcher.review.auth import resolve_session
from matcher.review.hashing import check_csrf, csrf_token
from matcher.review.vocab import DECISION_LABELS, Decision
from service.access import SESSION_COOKIE, get_db
from service.errors import STATUS

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
TEMPLATES = Jinja2Templates(directory=str(HERE / "templates"))
STATIC_DIR = HERE / "static"
LOGIN_COOKIE = "matcher_login"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def _when(value: str | datetime | None) -> str:
    if not value:
        return ""
    dt = datetime.fromisoformat(value) if isinstance(value, str) else value
    return dt.strftime("%Y-%m-%d %H:%M UTC")


def _percent(value: float | None, digits: int = 0) -> str:
    return "" if value is None else f"{value * 100:.{digits}f}%"


TEMPLATES.env.filters["when"] = _when
TEMPLATES.env.filters["percent"] = _percent
TEMPLATES.env.globals["DECISIONS"] = [(d.value, DECISION_LABELS[d]) for d in Decision]
TEMPLATES.env.globals["DECISION_LABELS"] = {d.value: label for d, label in DECISION_LABELS.items()}


class SignInRequired(Exception):
    """Raised by page handlers when nobody is signed in: the route answers with a redirect."""


def page(request: Request, template: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    context = {
        "actor": getattr(request.state, "actor", None),
        "csrf": getattr(request.state, "csrf", ""),
        **context,
    }
    response = TEMPLATES.TemplateResponse(request, template, context, status_code=status_code)
    response.headers.update(SECURITY_HEADERS)
    return response


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303, headers={"Cache-Control": "no-store"})


def signed_in(request: Request) -> Actor:
    """The signed-in user of a page request (sets ``request.state.actor`` and ``.csrf``)."""
    token = request.cookies.get(SESSION_COOKIE)
    found = resolve_session(get_db(request), token) if token else None
    if found is None:
        raise SignInRequired()
    actor, sid = found
    request.state.actor = actor
    request.state.session_id = sid
    request.state.csrf = csrf_token(request.app.state.settings.session_secret, "session", sid)
    return actor


def require_form_csrf(request: Request, form_token: str | None) -> None:
    sid = getattr(request.state, "session_id", "")
    if not check_csrf(request.app.state.settings.session_secret, "session", sid, form_token):
        from matcher.errors import ForbiddenError

        raise ForbiddenError("the form expired or did not come from this site; reload the page and try again")


class HtmlRoute(APIRoute):
    """Page routes: domain errors become an HTML error page with the same status code."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except SignInRequired:
                target = request.url.path if request.method == "GET" else "/ui/"
                return redirect(f"/ui/login?next={quote(target)}")
            except MatcherError as exc:
                status = STATUS.get(exc.kind, 400)
                return page(request, "error.html", {"status": status, "message": exc.message}, status)

        return route
