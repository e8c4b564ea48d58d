"""Request-body bounds for every route, enforced before any handler parses a body.

A body larger than its route's limit is refused with 413 in the one JSON error shape: at once
when ``Content-Length`` declares it, else as soon as the streamed body passes the limit (the
handler's body parsing stops there). File uploads and bulk posting imports get
``Settings.max_upload_bytes``; every other route ``Settings.max_body_bytes``.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from matcher.settings import Settings
from service.errors import error_response

# Routes that take files or bulk imports, and the slack a multipart body needs beyond the file.
UPLOAD_PATHS = ("/programs/parse", "/postings")
MULTIPART_SLACK = 64 * 1024


def body_limit(settings: Settings, path: str) -> int:
    """The largest body, in bytes, that ``path`` accepts."""
    if path in UPLOAD_PATHS:
        return settings.max_upload_bytes + MULTIPART_SLACK
    return settings.max_body_bytes


def _too_large(limit: int) -> str:
    return f"the request body is larger than this route's limit of {limit:,} bytes"


class BodyLimitMiddleware:
    """Pure ASGI middleware: 413 for bodies over :func:`body_limit`."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit(self.settings, scope["path"])
        declared = next((v for k, v in scope["headers"] if k == b"content-length"), b"")
        if declared.isdigit() and int(declared) > limit:
            response = error_response(413, "too_large", _too_large(limit), {"limit_bytes": limit})
            await response(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                # Raised inside the handler's body parsing; the app's handler answers 413.
                raise HTTPException(413, detail=_too_large(limit))
            return message

        await self.app(scope, counting_receive, send)
