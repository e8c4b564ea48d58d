"""``Origin`` check of cookie-authenticated writes, on top of the CSRF tokens (service/access.py).

A write (any method but GET, HEAD, OPTIONS) that carries the sign-in cookie (or the sign-in
form's nonce cookie) and no API key must come from an allowed origin: ``Settings.allowed_origins``
when set, else the origin of the request's own ``Host``. Browsers send ``Origin`` with every
such request; a request without ``Origin`` is judged by ``Referer``, and one with neither (not a
browser) still needs its CSRF token. Refused: 403 in the one error shape.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from matcher.settings import Settings
from service.errors import error_response

SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
COOKIES = ("matcher_session=", "matcher_login=")


def _netloc(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    default = {"http": 80, "https": 443}.get(parts.scheme)
    port = parts.port if parts.port and parts.port != default else None
    return f"{host}:{port}" if port else host


def _host(value: str) -> str:
    return _netloc(f"//{value}")


class OriginCheckMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.allowed = {_netloc(o.strip()) for o in settings.allowed_origins.split(",") if o.strip()}

    def allowed_origin(self, origin: str, host: str) -> bool:
        if origin == "null":
            return False
        return _netloc(origin) in self.allowed if self.allowed else _netloc(origin) == _host(host)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in SAFE:
            headers = {k: v.decode("latin-1") for k, v in scope.get("headers") or ()}
            cookie = headers.get(b"cookie", "")
            if b"x-api-key" not in headers and any(c in cookie for c in COOKIES):
                origin = headers.get(b"origin") or headers.get(b"referer")
                if origin is not None and not self.allowed_origin(origin, headers.get(b"host", "")):
                    response = error_response(
                        403, "forbidden", "cookie-authenticated writes must come from this site's own pages"
                    )
                    await response(scope, receive, send)
                    return
        await self.app(scope, receive, send)
